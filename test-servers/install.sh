#!/usr/bin/env bash
# Installs the npm-served test servers (kinesalite, s3rver) from the committed lock file into DIR.
# Called by the build (exec-maven-plugin, pre-integration-test). The *.js wrappers are copied on
# every run, since they change without the lock file changing; the npm install is skipped when DIR
# already holds exactly this lock file's packages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:?usage: install.sh TARGET_DIR}"
command -v npm >/dev/null || { echo "install.sh: npm not found; integration tests need Node.js (see README.md)" >&2; exit 1; }
mkdir -p "$dest"
cp "$here/"*.js "$dest/"
if [ -f "$dest/package-lock.json" ] && cmp -s "$here/package-lock.json" "$dest/package-lock.json" \
   && [ -d "$dest/node_modules/kinesalite" ] && [ -d "$dest/node_modules/s3rver" ]; then
  exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dest/"
cd "$dest"
npm ci --no-audit --no-fund --loglevel=error
