#!/usr/bin/env bash
# Installs the report's charting library (uPlot) from the committed lock file into NPM_DIR and copies
# its minified script, stylesheet and licence into RESOURCE_DIR, which the jar carries: the report
# inlines them, so it needs no network. Called by the build (exec-maven-plugin, generate-resources);
# the npm install is skipped when NPM_DIR already holds exactly this lock file's packages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
npm_dir="${1:?usage: install.sh NPM_DIR RESOURCE_DIR}"
resources="${2:?usage: install.sh NPM_DIR RESOURCE_DIR}"
command -v npm >/dev/null || { echo "report/install.sh: npm not found; the build needs Node.js (see README.md)" >&2; exit 1; }
mkdir -p "$npm_dir" "$resources"
if ! { [ -f "$npm_dir/package-lock.json" ] && cmp -s "$here/package-lock.json" "$npm_dir/package-lock.json" \
       && [ -d "$npm_dir/node_modules/uplot" ]; }; then
  cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
uplot="$npm_dir/node_modules/uplot"
cp "$uplot/dist/uPlot.iife.min.js" "$resources/uPlot.iife.min.js"
cp "$uplot/dist/uPlot.min.css" "$resources/uPlot.min.css"
cp "$uplot/LICENSE" "$resources/uPlot.LICENSE"
