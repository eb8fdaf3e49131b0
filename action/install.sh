#!/usr/bin/env bash
# Installs dispatch-lint in the action's own folder, as GitHub downloaded it (no node_modules, no dist/).
# Runtime dependencies from the lockfile, then the build tools alone (the lockfile's TypeScript, Node types and
# esbuild, in a folder of their own) to emit dist/ and its bundle: a full `npm ci` would also fetch the test tools (Mermaid, Playwright,
# Microsoft's SARIF validator: ~380 MB) only to compile. `--noCheck` emits the same JavaScript as `npm run build`
# (test/action.test.ts compares them) without type-checking, which the project's CI has done.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f dist/.built-by-action ]; then
  echo "dispatch-lint: already installed in $PWD"
  exit 0
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "::error title=dispatch-lint::needs Node 20 or newer on PATH (actions/setup-node), found $(node --version)"
  exit 2
fi
npm ci --omit=dev --ignore-scripts --no-audit --no-fund
tools="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/dispatch-lint-build-tools"
build_tools=$(node -p 'const lock = require("./package-lock.json").packages; ["typescript", "@types/node", "esbuild"].map((name) => `${name}@${lock[`node_modules/${name}`].version}`).join(" ")')
# shellcheck disable=SC2086 # three package specs, split on purpose
npm install --prefix "$tools" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund $build_tools
"$tools/node_modules/.bin/tsc" -p tsconfig.build.json --noCheck --typeRoots "$tools/node_modules/@types"
DISPATCH_LINT_ESBUILD="$tools/node_modules/esbuild/lib/main.js" node scripts/bundle.js
touch dist/.built-by-action
