#!/usr/bin/env bash
# The GitHub Action's work (action.yml runs it; tests/integration/install.rs runs it locally with
# the runner's environment variables set): install mcp-lint from its wheel, check the paths,
# annotate the findings, write a SARIF log, and record the exit code for the action's last step.
#
# Reads: MCP_LINT_VERSION (the wheel's version), MCP_LINT_PATHS (whitespace-separated),
# MCP_LINT_FAIL_ON (error, warning, info, or empty for the project's setting), MCP_LINT_LOCKED
# (true/false), MCP_LINT_BIN (an mcp-lint to use instead of installing one: self-hosted runners,
# tests), and the runner's RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE.
# Writes to GITHUB_OUTPUT: sarif-file, exit-code.
set -euo pipefail

: "${RUNNER_TEMP:?the runner sets RUNNER_TEMP}"
: "${GITHUB_OUTPUT:?the runner sets GITHUB_OUTPUT}"
version=${MCP_LINT_VERSION:?the action passes its version input}
paths=${MCP_LINT_PATHS:-.}
fail_on=${MCP_LINT_FAIL_ON:-}
locked=${MCP_LINT_LOCKED:-false}

if [ -n "${MCP_LINT_BIN:-}" ]; then
  mcp_lint=$MCP_LINT_BIN
else
  # A venv of its own: the wheel never touches the job's Python.
  venv="$RUNNER_TEMP/mcp-lint-venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "mcp-lint-rs==$version"
  mcp_lint="$venv/bin/mcp-lint"
fi
installed=$("$mcp_lint" --version)
case "$installed" in
  "mcp-lint $version "*) ;;
  *) echo "::error title=mcp-lint::expected mcp-lint $version, found: $installed"; exit 2 ;;
esac
echo "$installed"

if [ -n "${GITHUB_WORKSPACE:-}" ]; then
  cd "$GITHUB_WORKSPACE"
fi
read -r -a path_args <<< "$paths"
args=(check --color never)
if [ -n "$fail_on" ]; then
  args+=(--fail-on "$fail_on")
fi
case "$locked" in
  true) args+=(--locked) ;;
  false | "") ;;
  *) echo "::error title=mcp-lint::the locked input is true or false, not '$locked'"; exit 2 ;;
esac

sarif="$RUNNER_TEMP/mcp-lint.sarif"
# The SARIF log and the annotations come from one check each; the annotations' exit code is the
# verdict (0 clean, 1 findings at or above fail-on, 2 a file could not be checked).
set +e
"$mcp_lint" "${args[@]}" --format sarif -- "${path_args[@]}" > "$sarif"
"$mcp_lint" "${args[@]}" --format github -- "${path_args[@]}"
code=$?
set -e

{
  echo "sarif-file=$sarif"
  echo "exit-code=$code"
} >> "$GITHUB_OUTPUT"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  results=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$sarif" 2>/dev/null || echo "?")
  echo "**mcp-lint** ($installed): $results finding(s) in \`$paths\`, exit code $code." >> "$GITHUB_STEP_SUMMARY"
fi
# The verdict fails the job in the action's last step, after the SARIF upload.
