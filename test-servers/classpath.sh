#!/usr/bin/env bash
# Writes the runtime classpath of a test server (jars in the local Maven repository, ':'-separated)
# to OUT_FILE, resolved from its own POM (dynamodb-local/pom.xml, flink-cluster/pom.xml), apart from
# the project's BOMs (each POM says why).
# Called by the build (exec-maven-plugin, pre-integration-test) with the running Maven, its local
# repository and its offline flag (offline=${settings.offline}: Maven hands
# a boolean expression to exec only inside a string); skipped when OUT_FILE is newer than pom.xml and its jars exist.
set -euo pipefail
usage="usage: classpath.sh POM OUT_FILE MVN LOCAL_REPO offline=true|false"
pom="${1:?$usage}"
out="${2:?$usage}"
mvn="${3:?$usage}"
repo="${4:?$usage}"
offline="${5:-offline=false}"

if [ -s "$out" ] && [ "$out" -nt "$pom" ]; then
  missing=0
  IFS=: read -r -a jars < "$out" || true # no final newline: read reports EOF
  for jar in "${jars[@]}"; do [ -f "$jar" ] || { missing=1; break; }; done
  [ "$missing" = 0 ] && exit 0
fi

mkdir -p "$(dirname "$out")"
tmp="$out.tmp"
args=(-B -q -f "$pom" "-Dmaven.repo.local=$repo" dependency:build-classpath
  -DincludeScope=runtime "-Dmdep.outputFile=$tmp")
if [ "$offline" = offline=true ]; then
  args=(-o "${args[@]}")
fi
"$mvn" "${args[@]}"
mv "$tmp" "$out"
