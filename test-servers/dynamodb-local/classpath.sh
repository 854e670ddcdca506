#!/usr/bin/env bash
# Writes DynamoDB Local's runtime classpath (jars in the local Maven repository, ':'-separated) to
# OUT_FILE, resolved from pom.xml beside this script, apart from the project's BOMs (see pom.xml).
# Called by the build (exec-maven-plugin, pre-integration-test) with the running Maven, its local
# repository and its offline flag (offline=${settings.offline}: Maven hands
# a boolean expression to exec only inside a string); skipped when OUT_FILE is newer than pom.xml and its jars exist.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: classpath.sh OUT_FILE MVN LOCAL_REPO offline=true|false}"
mvn="${2:?usage: classpath.sh OUT_FILE MVN LOCAL_REPO offline=true|false}"
repo="${3:?usage: classpath.sh OUT_FILE MVN LOCAL_REPO offline=true|false}"
offline="${4:-offline=false}"

if [ -s "$out" ] && [ "$out" -nt "$here/pom.xml" ]; then
  missing=0
  IFS=: read -r -a jars < "$out" || true # no final newline: read reports EOF
  for jar in "${jars[@]}"; do [ -f "$jar" ] || { missing=1; break; }; done
  [ "$missing" = 0 ] && exit 0
fi

mkdir -p "$(dirname "$out")"
tmp="$out.tmp"
args=(-B -q -f "$here/pom.xml" "-Dmaven.repo.local=$repo" dependency:build-classpath
  -DincludeScope=runtime "-Dmdep.outputFile=$tmp")
if [ "$offline" = offline=true ]; then
  args=(-o "${args[@]}")
fi
"$mvn" "${args[@]}"
mv "$tmp" "$out"
