#!/usr/bin/env bash
# A long coverage-guided fuzzing run of the readers (Jazzer's command line, libFuzzer underneath),
# starting from the committed inputs of io-dicom's ReaderFuzzTest: the file readers (DICOM parser and
# pixel decoders, NIfTI) or series assembly. A finding (an exception other than a one-line
# ImageFileException naming the file, a hang, more than 10 s or 1 GB for one input) is written to the
# inputs folder as crash-<sha1>, where `mvn verify` then runs it as a regression test.
# Prints libFuzzer's "Done N runs in T second(s)".
# Usage: scripts/fuzz-readers.sh [SECONDS (600)] [fileReaders|seriesAssembly]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-600}"
target="${2:-fileReaders}"
inputs="$root/io-dicom/src/test/resources/io/medseg/io/dicom/ReaderFuzzTestInputs/$target"
(cd "$root" && mvn -B -q -o -DskipTests install -pl io-dicom -am >&2 2>/dev/null || mvn -B -q -DskipTests install -pl io-dicom -am >&2)
cp_file="$(mktemp)"
corpus="$root/io-dicom/.cifuzz-corpus/long-$target"
mkdir -p "$corpus"
trap 'rm -f "$cp_file"' EXIT
(cd "$root/io-dicom" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2)
cd "$root/io-dicom"
java -Xmx4g -cp "target/test-classes:target/classes:$(cat "$cp_file")" com.code_intelligence.jazzer.Jazzer \
  --target_class=io.medseg.io.dicom.ReaderFuzzing --target_method="$target" \
  --reproducer_path="${TMPDIR:-/tmp}" --instrumentation_includes='io.medseg.**:jj2000.**:com.github.jaiimageio.**' \
  -max_total_time="$seconds" -timeout=30 -rss_limit_mb=6144 -artifact_prefix="$inputs/" \
  "$corpus" "$inputs" 2>&1 | grep -E "^(#[0-9]+.*(pulse|DONE|NEW))|Done [0-9]+ runs|==|Exception|Error|crash-|Test unit" || true
