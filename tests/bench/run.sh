#!/usr/bin/env bash
# Benchmark: whole-process `mcp-lint check` against `cat` (the floor: a process that only reads
# the files) and `jq .` on one typical config and on the whole corpus, as ratios. The README
# quotes the numbers. Not a timed test: run it by hand on a quiet machine.
#
#   bash tests/bench/run.sh [FILE]     # needs hyperfine and jq (apt-get install hyperfine jq)
set -euo pipefail
cd "$(dirname "$0")/../.."

corpus=${MCP_LINT_CORPUS:-../shared/corpus}
typical=${1:-fixtures/examples/.mcp.json}

for tool in hyperfine jq python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required (apt-get install $tool)" >&2; exit 2; }
done

cargo build --release --locked --quiet
bin=target/release/mcp-lint
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# -N: no shell in between; -i: mcp-lint exits 1 when it finds problems, which is its job.
bench() {
  local name=$1; shift
  hyperfine -N -i --warmup 20 --min-runs 200 --export-json "$out/$name.json" "$@" >/dev/null
}

bench "one-file" "cat $typical" "$bin check $typical" "jq . $typical"

if [ -d "$corpus" ]; then
  mapfile -t all < <(find "$corpus" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.toml' \) | sort)
  mapfile -t json < <(printf '%s\n' "${all[@]}" | grep '\.json$')
  bench "corpus" "cat ${all[*]}" "$bin check ${all[*]}" "jq . ${json[*]}"
  echo "corpus: ${#all[@]} files ($(cat "${all[@]}" | wc -c) bytes); jq reads only the ${#json[@]} JSON files"
fi

python3 - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
print(f"{'input':<10} {'command':<16} {'mean':>9} {'stddev':>8} {'vs cat':>7}")
for name in ("one-file", "corpus"):
    path = out / f"{name}.json"
    if not path.exists():
        continue
    results = json.loads(path.read_text())["results"]
    floor = results[0]["mean"]
    for r in results:
        tool = r["command"].split()[0].rsplit("/", 1)[-1]
        label = {"cat": "cat", "mcp-lint": "mcp-lint check", "jq": "jq ."}[tool]
        print(f"{name:<10} {label:<16} {r['mean']*1000:>7.2f}ms {r['stddev']*1000:>6.2f}ms {r['mean']/floor:>6.2f}x")
PY
