#!/usr/bin/env bash
# Side by side with the peers, on the same project: mcp-lint against ctxlint (npm
# `@yawlabs/ctxlint`, the peer that lints MCP configs by rule) and mcp-pin (PyPI `mcp-pin`, the
# fastest peer that checks pinning), whole-process runs with hyperfine, ratios of means. Not a
# timed test: run it by hand on a quiet machine. The README's Speed section quotes it.
#
#   bash tests/bench/peers.sh [DIR]     # default: fixtures/examples (5 configs of 5 clients)
#
# Needs hyperfine, node/npm and python3; the peers are installed at pinned versions into a
# scratch directory (npm and PyPI only) and each is told to read only DIR (no user configs).
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${1:-fixtures/examples}
command -v hyperfine >/dev/null || { echo "peers: hyperfine is required (apt-get install hyperfine)" >&2; exit 2; }

scratch=${MCP_LINT_PEERS:-${TMPDIR:-/tmp}/mcp-lint-peers}
mkdir -p "$scratch"
if [ ! -x "$scratch/npm/node_modules/.bin/ctxlint" ]; then
  npm install --silent --prefix "$scratch/npm" '@yawlabs/ctxlint@0.14.1' >/dev/null
fi
if [ ! -x "$scratch/venv/bin/mcp-pin" ]; then
  python3 -m venv "$scratch/venv"
  "$scratch/venv/bin/pip" install --quiet --disable-pip-version-check 'mcp-pin==0.1.8'
fi

cargo build --release --locked --quiet
bin=$PWD/target/release/mcp-lint
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# -i: each tool exits non-zero when it finds problems, which is its job here.
hyperfine -N -i --warmup 3 --min-runs 20 --export-json "$out/peers.json" \
  "$bin check --offline $dir" \
  "$scratch/npm/node_modules/.bin/ctxlint --mcp --format json --depth 5 $dir" \
  "$scratch/venv/bin/mcp-pin scan --no-user-configs --no-skills --no-source -f json $dir" >/dev/null

python3 - "$out/peers.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
ours = results[0]["mean"]
for r in results:
    tool = r["command"].split()[0].rsplit("/", 1)[-1]
    print(f"{tool:<10} {r['mean']*1000:>9.1f} ms   mcp-lint / {tool}: {ours / r['mean']:.3f}")
PY
