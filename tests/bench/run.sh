#!/usr/bin/env bash
# Benchmark: whole-process runs of the release binary, as medians and ratios. The README quotes
# the numbers. Not a timed test: run it by hand on a quiet machine.
#
#   bash tests/bench/run.sh [FILE]     # needs hyperfine and jq (apt-get install hyperfine jq)
#
# 1. One typical config and the whole corpus, against `cat` (the floor: a process that only reads
#    the files) and `jq .`.
# 2. Scaling: generated Claude Desktop configs of 1k, 4k and 16k servers (t(16k)/t(1k) is 16 when
#    the check is linear), a LiteLLM config of 4k servers, manifest streams of 2k and 8k MCP
#    resources (each after a ConfigMap), `--fix --unsafe-fixes --offline` on 1k
#    servers that each have something to fix, and the peak memory of checking a 1 MiB config.
#    The issue's floating shape at 1k and 16k servers in the human, JSON and SARIF outputs.
#    (`tests/bench/probe.sh` times `probe` of three real servers; `peers.sh` runs the peers.)
# 3. A config of 1,000 servers beside a lock of the ~9,000 tools they were probed for (12 MB):
#    the poisoning detector reads every definition; `mcp-lint bom` lists them all.
set -euo pipefail
cd "$(dirname "$0")/../.."

corpus=${MCP_LINT_CORPUS:-../shared/corpus}
typical=${1:-fixtures/examples/.mcp.json}

for tool in hyperfine jq python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required (apt-get install $tool)" >&2; exit 2; }
done

cargo build --release --locked --quiet
bin=$PWD/target/release/mcp-lint
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# -N: no shell in between; -i: mcp-lint exits 1 when it finds problems, which is its job.
bench() {
  local name=$1 runs=$2; shift 2
  hyperfine -N -i --warmup 3 --min-runs "$runs" --export-json "$out/$name.json" "$@" >/dev/null
}

bench "one-file" 200 "cat $typical" "$bin check $typical" "jq . $typical"

if [ -d "$corpus" ]; then
  mapfile -t all < <(find "$corpus" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.toml' \) | sort)
  mapfile -t json < <(printf '%s\n' "${all[@]}" | grep '\.json$')
  bench "corpus" 50 "cat ${all[*]}" "$bin check ${all[*]}" "jq . ${json[*]}"
  echo "corpus: ${#all[@]} files ($(cat "${all[@]}" | wc -c) bytes); jq reads only the ${#json[@]} JSON files"
fi

gen="python3 tests/bench/generate.py"
# A repository walk: every JSON, YAML and TOML file is a candidate, tested by a byte search for
# the keys of a server map before any parse; the floor is grep listing the files that hold one
# of those keys over the same tree.
$gen repo 4000 "$out/repo"
keys='mcpServer|_servers|"servers"|mcpProxy|extensions:|registry:|mcp-gateway|toolhive\.stacklok\.dev/|kagent\.dev/'
printf '%s\n' "$keys" >"$out/keys"
bench "repo-4k" 20 "grep -rlE -f $out/keys --include=*.json --include=*.jsonc --include=*.json5 --include=*.yaml --include=*.yml --include=*.toml $out/repo" "$bin check --offline $out/repo"
for n in 1000 4000 16000; do $gen servers $n >"$out/servers-$n.json"; done
$gen litellm 4000 >"$out/litellm-4000.yaml"
for n in 2000 8000; do $gen stream $n >"$out/stream-$n.yaml"; done
$gen fixable 1000 >"$out/fixable-1000.json"
$gen bytes 1048576 >"$out/one-mib.json"
claude="--dialect claude-desktop"
code="--dialect claude-code"
bench "servers-1k" 20 "$bin check $claude $out/servers-1000.json"
bench "servers-4k" 10 "$bin check $claude $out/servers-4000.json"
bench "servers-16k" 5 "$bin check $claude $out/servers-16000.json"
bench "litellm-4k" 5 "$bin check --dialect litellm $out/litellm-4000.yaml"
bench "stream-2k" 10 "$bin check $out/stream-2000.yaml"
bench "stream-8k" 5 "$bin check $out/stream-8000.yaml"
# --diff runs every fix and writes nothing, so each run starts from the same file.
# The issue's shape: unpinned `npx -y @acme-gen/mcp-tool-N` with an `env` map, every 50th a
# plain-http remote, in each output format (goal: 16k under 0.5 s, t(16k)/t(1k) at most 17).
for n in 1000 16000; do $gen floating $n >"$out/floating-$n.json"; done
for format in human json sarif; do
  bench "floating-1k-$format" 10 "$bin check --offline --format $format $out/floating-1000.json"
  bench "floating-16k-$format" 5 "$bin check --offline --format $format $out/floating-16000.json"
done
# The other shapes at the issue's sizes: a Codex config.toml in the floating shape, LiteLLM, and a
# Kubernetes manifest stream (16k MCP resources, each after a ConfigMap).
for n in 1000 16000; do
  $gen codex $n >"$out/codex-$n.toml"
  $gen litellm $n >"$out/litellm-$n.yaml"
  $gen stream $n >"$out/stream-$n.yaml"
done
for n in 1000 16000; do
  runs=$([ $n = 1000 ] && echo 10 || echo 5)
  bench "shape-codex-$n" "$runs" "$bin check --offline --dialect codex $out/codex-$n.toml"
  bench "shape-litellm-$n" "$runs" "$bin check --offline --dialect litellm $out/litellm-$n.yaml"
  bench "shape-stream-$n" "$runs" "$bin check --offline $out/stream-$n.yaml"
done
bench "fix-1k" 5 "$bin check $code --diff --unsafe-fixes --offline $out/fixable-1000.json"
# A lock of about 9,000 probed tools beside its config: what check reads for poisoned descriptions.
$gen probed 1000 "$out/probed"
bench "lock-9k" 10 "cat $out/probed/mcp-lint.lock $out/probed/.mcp.json" "$bin check $out/probed/.mcp.json"
# The inventory of a repository of 1,000 servers: their packages, and the ~9,000 tools the lock
# recorded (the issue's goal: under a second).
bench "bom-1k" 10 "$bin bom -o $out/bom.json $out/probed"
# The language server: a change to a typical config answered with its diagnostics.
python3 tests/bench/lsp_latency.py "$bin" "$typical" 200
rss=$( (/usr/bin/time -f '%M' "$bin" check $claude "$out/one-mib.json" 2>&1 >/dev/null || true) | tail -1)

python3 - "$out" "$rss" "$(wc -c <"$out/one-mib.json")" <<'PY'
import json, pathlib, statistics, sys
out, rss_kib, mib_bytes = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])

def load(name):
    path = out / f"{name}.json"
    return json.loads(path.read_text())["results"] if path.exists() else None

def median(result):
    return statistics.median(result["times"])

print(f"{'input':<12} {'command':<16} {'median':>10} {'vs cat':>7}")
repo = load("repo-4k")
if repo:
    grep_t, walk_t = median(repo[0]), median(repo[1])
    print(f"repo-4k      grep -rlE {grep_t*1000:>8.2f}ms   mcp-lint check {walk_t*1000:>8.2f}ms   {walk_t/grep_t:.2f}x grep")
for name in ("one-file", "corpus"):
    results = load(name)
    if not results:
        continue
    floor = median(results[0])
    for r in results:
        tool = r["command"].split()[0].rsplit("/", 1)[-1]
        label = {"cat": "cat", "mcp-lint": "mcp-lint check", "jq": "jq ."}[tool]
        print(f"{name:<12} {label:<16} {median(r)*1000:>8.2f}ms {median(r)/floor:>6.2f}x")
lock = load("lock-9k")
if lock:
    cat_t, check_t = median(lock[0]), median(lock[1])
    print(f"lock-9k      cat {cat_t*1000:>8.2f}ms   mcp-lint check {check_t*1000:>8.2f}ms   (goal: under 200 ms)")
bom = load("bom-1k")
if bom:
    print(f"bom-1k       mcp-lint bom {median(bom[0])*1000:>8.2f}ms   (1,000 servers, ~9,000 tools; goal: under 1 s)")
print()
times = {
    name: median(load(name)[0])
    for name in ("servers-1k", "servers-4k", "servers-16k", "litellm-4k", "stream-2k", "stream-8k", "fix-1k")
}
for name, t in times.items():
    print(f"{name:<12} {t*1000:>9.1f} ms")
print(f"t(16k)/t(1k) {times['servers-16k']/times['servers-1k']:>9.1f}   (16 is linear)")
print(f"t(4k)/t(1k)  {times['servers-4k']/times['servers-1k']:>9.1f}   (4 is linear)")
print(f"stream t(8k)/t(2k) {times['stream-8k']/times['stream-2k']:>5.1f}   (4 is linear)")
for fmt in ("human", "json", "sarif"):
    small, large = median(load(f"floating-1k-{fmt}")[0]), median(load(f"floating-16k-{fmt}")[0])
    print(f"floating {fmt:<6} 1k {small*1000:>7.1f} ms   16k {large*1000:>7.1f} ms   ratio {large/small:>5.1f}   (goal: 16k under 500 ms, ratio at most 17)")
for shape in ("codex", "litellm", "stream"):
    small, large = median(load(f"shape-{shape}-1000")[0]), median(load(f"shape-{shape}-16000")[0])
    print(f"{shape:<15} 1k {small*1000:>7.1f} ms   16k {large*1000:>7.1f} ms   ratio {large/small:>5.1f}   (goal: 16k under 500 ms, ratio at most 17)")
print(f"peak RSS checking a {mib_bytes/1048576:.2f} MiB config: {rss_kib/1024:.1f} MiB")
PY
