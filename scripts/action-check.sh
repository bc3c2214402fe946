#!/usr/bin/env bash
# The action's check step: `steward check` in change mode on the pull request's base and head
# (or, with mode portfolio, on the config's whole portfolio).
# Markdown goes to the log and the job summary, SARIF to $STEWARD_SARIF, the verdict to the step's
# outputs; the exit code is steward's (0 pass, 1 a policy failed, 2 error).
set -uo pipefail
case "${STEWARD_MODE:-change}" in
  portfolio)
    # The whole portfolio of the config (scanned incrementally first).
    args=(check "${STEWARD_CONFIG:-steward.yaml}" --format markdown --no-progress)
    ;;
  change)
    if [ -z "${STEWARD_BASE:-}" ] || [ -z "${STEWARD_HEAD:-}" ]; then
      echo "steward: no base or head commit: run on pull_request events or set the base and head inputs" >&2
      exit 2
    fi
    args=(check --repo "${STEWARD_REPO_DIR:-.}" --base "$STEWARD_BASE" --head "$STEWARD_HEAD" --format markdown --no-progress)
    [ -n "${STEWARD_CONFIG:-}" ] && args+=(--config "$STEWARD_CONFIG")
    [ -n "${STEWARD_REPOSITORY:-}" ] && args+=(--repository "$STEWARD_REPOSITORY")
    ;;
  *)
    echo "steward: mode must be change or portfolio: ${STEWARD_MODE}" >&2
    exit 2
    ;;
esac
[ -n "${STEWARD_SARIF:-}" ] && args+=(--sarif "$STEWARD_SARIF")
report=$(mktemp)
node "${STEWARD_HOME:?set STEWARD_HOME to the action directory}/dist/cli/main.js" "${args[@]}" >"$report"
code=$?
cat "$report"
[ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$report" >>"$GITHUB_STEP_SUMMARY"
case $code in 0) verdict=pass ;; 1) verdict=fail ;; *) verdict=error ;; esac
[ -n "${GITHUB_OUTPUT:-}" ] && echo "verdict=$verdict" >>"$GITHUB_OUTPUT"
rm -f "$report"
exit $code
