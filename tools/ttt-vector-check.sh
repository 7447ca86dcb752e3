#!/usr/bin/env bash
# Checks TTT reference vectors with org.tttvideo.model.ttt.TttVectorCheck.
# Usage: tools/ttt-vector-check.sh DIR [--backend vector|naive|nd4j]
# Builds the model and compute-nd4j modules if needed (nd4j is found on the class path through
# ServiceLoader); prints one line per file and "N passed, M failed".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file="compute-nd4j/target/classpath.txt"
if [ ! -d compute-nd4j/target/classes/org/tttvideo/compute/nd4j ] || [ ! -s "$cp_file" ] \
    || [ model/pom.xml -nt "$cp_file" ] || [ compute-nd4j/pom.xml -nt "$cp_file" ]; then
  # One reactor build, nothing installed: the model resolves to model/target/classes (its test
  # jar, which compute-nd4j's tests use, to model/target/test-classes, hence test-compile).
  mvn -B -ntp -q -pl compute-nd4j -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$root/$cp_file.tmp" -Dmdep.includeScope=runtime >&2
  mv "$cp_file.tmp" "$cp_file"
fi
exec java --add-modules jdk.incubator.vector \
  -cp "compute-nd4j/target/classes:$(cat "$cp_file")" \
  org.tttvideo.model.ttt.TttVectorCheck "$@"
