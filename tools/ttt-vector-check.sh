#!/usr/bin/env bash
# Checks TTT reference vectors with org.tttvideo.model.ttt.TttVectorCheck.
# Usage: tools/ttt-vector-check.sh DIR [--backend vector|nd4j]
# Builds the model module if needed; prints one line per file and "N passed, M failed".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -d model/target/classes/org/tttvideo/model/ttt ]; then
  mvn -B -ntp -q -pl model compile >&2
fi
cp_file="model/target/classpath.txt"
if [ ! -s "$cp_file" ] || [ model/pom.xml -nt "$cp_file" ]; then
  mvn -B -ntp -q -pl model dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
fi
exec java --add-modules jdk.incubator.vector \
  -cp "model/target/classes:$(cat "$cp_file")" \
  org.tttvideo.model.ttt.TttVectorCheck "$@"
