#!/usr/bin/env bash
# The action's first step: build Steward from the action's own checkout, once.
set -euo pipefail
cd "${STEWARD_HOME:?set STEWARD_HOME to the action directory}"
if [ ! -f dist/cli/main.js ]; then
  npm ci --no-audit --no-fund
  npm run build
fi
node dist/cli/main.js --version
