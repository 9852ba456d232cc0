#!/usr/bin/env bash
# Side by side on the same tool definitions: mcp-lint's poisoning detector (`mcp-lint tools`)
# and the peer's offline rules (cisco-ai-mcp-scanner, `mcp-scanner --analyzers yara static`).
# Sets: ../shared/toolpoison/dev.jsonl and tests/poison/probed-benign.jsonl.
# Usage: tests/bench/toolpoison-peer.sh [MCP_LINT_BIN]   (installs the peer in a venv under $TMPDIR)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-$root/target/release/mcp-lint}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
venv="${TMPDIR:-/tmp}/mcp-lint-peer-cisco"
if [ ! -x "$venv/bin/mcp-scanner" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'cisco-ai-mcp-scanner==4.8.7'
fi
python3 - "$root" "$work" <<'PY'
import json, sys
root, work = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for f in (f"{root}/../shared/toolpoison/dev.jsonl", f"{root}/tests/poison/probed-benign.jsonl") for l in open(f) if l.strip()]
tools = []
for i, row in enumerate(rows):
    tool = dict(row["tool"]); tool["name"] = f"T{i:04d}"
    tool.setdefault("inputSchema", {"type": "object"})
    tools.append(tool)
json.dump({"tools": tools}, open(f"{work}/tools.json", "w"))
json.dump([[r["group"], r["label"]] for r in rows], open(f"{work}/labels.json", "w"))
PY
"$bin" tools --format json "$work/tools.json" > "$work/ours.json" 2>/dev/null || true
"$venv/bin/mcp-scanner" --analyzers yara --format raw static --tools "$work/tools.json" > "$work/peer.json" 2>/dev/null
python3 - "$work" <<'PY'
import json, sys, collections
work = sys.argv[1]
labels = json.load(open(f"{work}/labels.json"))
ours = {f["tool"] for f in json.load(open(f"{work}/ours.json"))["files"][0]["findings"]}
peer = {x["tool_name"] for x in json.load(open(f"{work}/peer.json"))["scan_results"] if not x["is_safe"]}
table = collections.defaultdict(lambda: [0, 0, 0])
for i, (group, label) in enumerate(labels):
    name = f"T{i:04d}"
    row = table[(group, label)]
    row[0] += 1; row[1] += name in ours; row[2] += name in peer
print(f"{'set':<36} {'tools':>5} {'mcp-lint':>9} {'peer':>6}")
for (group, label), (total, o, p) in sorted(table.items(), key=lambda kv: kv[0][1] != "poisoned"):
    print(f"{group + ' (' + label + ')':<36} {total:>5} {o:>9} {p:>6}")
PY
