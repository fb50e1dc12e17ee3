#!/usr/bin/env bash
# A real PACS for tests and benchmarks: Debian's Orthanc with its DICOMweb plugin, on 127.0.0.1 only,
# on free ports, with its storage in DIR, HTTP basic authentication (user "medseg", the password in
# DIR/password), nothing else on the machine touched. Installs orthanc and orthanc-dicomweb when missing.
#   scripts/orthanc.sh start DIR   prints "HTTP_PORT" once Orthanc answers; DIR/orthanc.pid, DIR/orthanc.log
#   scripts/orthanc.sh stop DIR    stops it (the storage stays in DIR)
set -euo pipefail
command="${1:-}"
dir="${2:-}"
if [ -z "$command" ] || [ -z "$dir" ]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
case "$command" in
  start)
    missing=()
    for p in orthanc orthanc-dicomweb curl python3; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "orthanc.sh: installing ${missing[*]}" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
    fi
    mkdir -p "$dir/storage"
    dir="$(cd "$dir" && pwd)"
    free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
    http_port="$(free_port)"
    dicom_port="$(free_port)"
    [ -f "$dir/password" ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/password"
    password="$(cat "$dir/password")"
    plugin="$(ls /usr/share/orthanc/plugins/libOrthancDicomWeb.so* 2>/dev/null | head -1)"
    cat > "$dir/orthanc.json" <<JSON
{
  "Name": "medseg-test",
  "StorageDirectory": "$dir/storage",
  "IndexDirectory": "$dir/storage",
  "HttpPort": $http_port,
  "DicomPort": $dicom_port,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": true,
  "RegisteredUsers": {"medseg": "$password"},
  "Plugins": ["$plugin"],
  "DicomWeb": {"Enable": true, "Root": "/dicom-web/", "EnableWado": false, "Host": "127.0.0.1"},
  "StableAge": 1,
  "HttpTimeout": 60
}
JSON
    Orthanc "$dir/orthanc.json" > "$dir/orthanc.log" 2>&1 &
    echo $! > "$dir/orthanc.pid"
    for _ in $(seq 1 100); do
      if curl -fsS -u "medseg:$password" "http://127.0.0.1:$http_port/system" >/dev/null 2>&1; then
        echo "$http_port"
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/orthanc.pid")" 2>/dev/null; then
        echo "orthanc.sh: Orthanc exited; its log:" >&2
        tail -20 "$dir/orthanc.log" >&2
        exit 1
      fi
      sleep 0.2
    done
    echo "orthanc.sh: Orthanc did not answer on port $http_port within 20 s" >&2
    kill "$(cat "$dir/orthanc.pid")" 2>/dev/null || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/orthanc.pid" ]; then
      pid="$(cat "$dir/orthanc.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/orthanc.pid"
    fi
    ;;
  *)
    echo "orthanc.sh: unknown command $command (start or stop)" >&2
    exit 2
    ;;
esac
