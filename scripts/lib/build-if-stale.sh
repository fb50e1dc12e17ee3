# Sourced by the launchers (medseg, medseg-imagej): builds the jars with Maven when they are missing
# or older than any pom.xml or main source file. Needs $root (the checkout).
medseg_jar="$root/workbench/target/medseg.jar"
medseg_lib="$root/workbench/target/lib"
plugin_jar="$root/imagej-plugin/target/Segmentation_Workbench.jar"

medseg_stale() {
  [ -f "$medseg_jar" ] && [ -d "$medseg_lib" ] && [ -f "$plugin_jar" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -newer "$medseg_jar" -print -quit)" ]
}

if medseg_stale; then
  echo "medseg: building (mvn -DskipTests package) ..." >&2
  # Maven 3.8 writes colour resets (ESC[0m) even in batch mode: stripped, so logs stay plain text
  if ! (cd "$root" && set -o pipefail && mvn -B -q -DskipTests package 2>&1 | sed $'s/\x1b\[[0-9;]*m//g' >&2); then
    echo "medseg: the build failed (output above)" >&2
    exit 1
  fi
  # Maven leaves an up-to-date jar untouched, so without this a source edited but unchanged in
  # effect (or a class compiled into another module's jar) would rebuild on every call
  touch "$medseg_jar"
fi
