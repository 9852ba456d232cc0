#!/usr/bin/env python3
"""Generates large configs for the scaling benchmark (tests/bench/run.sh).

  generate.py servers N     a Claude Desktop config with N pinned stdio servers (what check reads)
  generate.py fixable N     a Claude Code .mcp.json: N servers that each have a floating npx
                            package, an inline secret and a plain-http url (as N stdio servers
                            with a secret and N plain-http remotes): every one has something to fix
  generate.py litellm N     a LiteLLM proxy config with N servers (YAML)
  generate.py codex N       a Codex config.toml in the floating shape: N `[mcp_servers.*]` tables,
                            each an unpinned `npx -y @acme-gen/mcp-tool-N` with an env table,
                            every 50th a plain-http remote
  generate.py bytes N       a Claude Desktop config of about N bytes
  generate.py stream N      a Kubernetes manifest stream of N ToolHive MCPServer resources, each
                            after a ConfigMap that is no MCP resource (2N documents)
  generate.py probed N DIR  DIR/.mcp.json with N pinned servers and DIR/mcp-lint.lock with the
                            tools each was probed for: the real servers' tools of
                            tests/poison/probed-benign.jsonl, repeated (1,000 servers hold about
                            9,000 tools, a 10 MB lock), what `check` reads for poisoned descriptions
  generate.py repo N DIR    a repository of N files in DIR, shaped like a monorepo: sources,
                            docs, package.json and tsconfig.json per package, translation JSON,
                            CI workflows, Helm values, TOML, and one MCP config per 250 files
                            (some at client places, some found only by content)
"""
import hashlib
import json
import sys


def servers(n):
    return {
        "mcpServers": {
            f"server-{i:05}": {
                "command": "npx",
                "args": ["-y", f"@example/mcp-server-{i % 97}@1.{i % 13}.0", f"/srv/data/{i}"],
                "env": {"LOG_LEVEL": "info", "DATA_DIR": f"/srv/data/{i}"},
            }
            for i in range(n)
        }
    }


def floating(n):
    """The issue's shape: each server an unpinned `npx -y @acme-gen/mcp-tool-N` (an
    unpinned-package finding and a lookalike candidate) with an env map; every 50th a
    plain-http remote."""
    servers = {}
    for i in range(n):
        if i % 50 == 49:
            servers[f"remote-{i:05}"] = {"type": "http", "url": f"http://tools-{i}.internal.example/mcp"}
        else:
            servers[f"tool-{i:05}"] = {
                "command": "npx",
                "args": ["-y", f"@acme-gen/mcp-tool-{i}"],
                "env": {"LOG_LEVEL": "info", "TOOL_ID": str(i)},
            }
    return {"mcpServers": servers}


def fixable(n):
    config = {"mcpServers": {}}
    for i in range(n):
        config["mcpServers"][f"tool-{i:05}"] = {
            "command": "npx",
            "args": ["-y", f"@example/mcp-server-{i % 97}", f"http://backend-{i}.example.com/api"],
            # Not a real key: 40 hex digits derived from the index, shaped like one.
            "env": {"ACME_API_KEY": hashlib.sha256(str(i).encode()).hexdigest()[:40]},
        }
        config["mcpServers"][f"remote-{i:05}"] = {"type": "sse", "url": f"http://remote-{i}.example.com/sse"}
    return config


def litellm(n):
    lines = ["mcp_servers:"]
    for i in range(n):
        lines += [
            f"  server_{i:05}:",
            f"    url: https://mcp-{i}.internal.example.com/mcp",
            "    transport: http",
            "    allowed_tools: [search, fetch]",
            "    mcp_info:",
            "      tool_allowlist_enforced: true",
        ]
    lines += ["general_settings:", "  master_key: os.environ/LITELLM_MASTER_KEY"]
    return "\n".join(lines) + "\n"


def codex(n):
    lines = []
    for i in range(n):
        lines.append(f"[mcp_servers.tool_{i:05}]")
        if i % 50 == 49:
            lines.append(f'url = "http://tools-{i}.example.com/mcp"')
        else:
            lines += [
                'command = "npx"',
                f'args = ["-y", "@acme-gen/mcp-tool-{i}"]',
                f"[mcp_servers.tool_{i:05}.env]",
                'LOG_LEVEL = "info"',
                f'REGION = "eu-{i % 7}"',
            ]
        lines.append("")
    return "\n".join(lines)


def stream(n):
    documents = []
    for i in range(n):
        documents.append(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tools-{i:05}\ndata:\n  LOG_LEVEL: info\n"
        )
        documents.append(
            "apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPServer\nmetadata:\n"
            f"  name: fetch-{i:05}\nspec:\n"
            f"  image: ghcr.io/stackloklabs/gofetch/server:1.{i % 13}.0@sha256:{hashlib.sha256(str(i).encode()).hexdigest()}\n"
            "  transport: streamable-http\n  env:\n    - name: LOG_LEVEL\n      value: info\n"
        )
    return "---\n".join(documents)


def repo(n, root):
    """Writes n files under root; returns nothing. Deterministic for one n."""
    import pathlib

    root = pathlib.Path(root)
    mcp = {"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "."]}}}
    written = 0

    def write(relative, text):
        nonlocal written
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written += 1

    package = 0
    while written < n:
        base = f"packages/pkg-{package:04}"
        write(f"{base}/package.json", json.dumps({"name": f"@acme/pkg-{package}", "version": "1.0.0", "scripts": {"build": "tsc"}, "repository": {"type": "git", "url": "https://github.com/acme/repo"}}, indent=2) + "\n")
        write(f"{base}/tsconfig.json", json.dumps({"extends": "../../tsconfig.base.json", "compilerOptions": {"outDir": "dist"}}, indent=2) + "\n")
        for i in range(8):
            write(f"{base}/src/module_{i}.ts", f"export function f{i}(x: number): number {{\n  return x * {i};\n}}\n" * 20)
        write(f"{base}/README.md", "# Package\n\nSome documentation about servers and tools.\n" * 10)
        write(f"{base}/locales/en/messages.json", json.dumps({f"key_{i}": f"Message {i} about the servers list" for i in range(40)}, indent=2) + "\n")
        write(f"{base}/.github/workflows/ci.yml", "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n")
        write(f"{base}/chart/values.yaml", "image:\n  repository: acme/app\n  tag: 1.0.0\nservice:\n  port: 8080\nresources: {}\n" * 5)
        write(f"{base}/pyproject.toml", "[project]\nname = \"acme\"\nversion = \"1.0.0\"\n[tool.ruff]\nline-length = 100\n")
        if package % 20 == 0:
            write(f"{base}/.vscode/mcp.json", json.dumps({"servers": mcp["mcpServers"]}, indent=2) + "\n")
            write(f"{base}/config/claude-config.json", json.dumps(mcp, indent=2) + "\n")
        package += 1


def toml_string(text):
    """A TOML string as mcp-lint's lock writer (the toml crate) spells it: literal when it holds
    quotes and needs no escape, multi-line when it holds line breaks, basic otherwise."""
    import re

    control = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
    escape = lambda t: control.sub(lambda m: f"\\u{ord(m.group()):04X}", t.replace("\\", "\\\\"))
    if "\n" not in text and "'" not in text and '"' in text and not control.search(text):
        return f"'{text}'"
    if "\n" in text:
        body = escape(text).replace('"""', '\\"\\"\\"')
        if body.endswith('"'):
            body = body[:-1] + '\\"'
        return f'"""\n{body}"""'
    return '"' + escape(text).replace('"', '\\"').replace("\t", "\\t") + '"'


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def probed(n, root):
    import os
    import pathlib

    here = pathlib.Path(__file__).resolve().parent
    by_source = {}
    for line in (here.parent / "poison" / "probed-benign.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            by_source.setdefault(row["source"], []).append(row["tool"])
    sources = sorted(by_source)
    os.makedirs(root, exist_ok=True)
    servers, lock = {}, ["version = 1\n"]
    for i in range(n):
        source = sources[i % len(sources)]
        name = f"{source.rsplit('@', 1)[0].strip('@').replace('/', '-')}-{i}"
        runner = ["uvx", source] if "==" in source else ["npx", "-y", source]
        servers[name] = {"command": runner[0], "args": runner[1:]}
        tools = sorted(by_source[source], key=lambda tool: tool["name"])
        digests = []
        entries = []
        for tool in tools:
            definition = {k: tool[k] for k in ("name", "description", "inputSchema", "annotations") if k in tool}
            digest = "sha256:" + hashlib.sha256(canonical(definition).encode()).hexdigest()
            digests.append(f"{tool['name']}={digest}")
            entry = [f"\n[[server.tool]]\nname = {toml_string(tool['name'])}\ndigest = {toml_string(digest)}\n"]
            if tool.get("annotations") is not None:
                entry.append(f"annotations = {toml_string(canonical(tool['annotations']))}\n")
            if tool.get("description") is not None:
                entry.append(f"description = {toml_string(tool['description'])}\n")
            entry.append(f"input_schema = {toml_string(canonical(tool.get('inputSchema', {})))}\n")
            entries.append("".join(entry))
        tools_digest = "sha256:" + hashlib.sha256("\n".join(digests).encode()).hexdigest()
        lock.append(
            f"\n[[server]]\nconfig = \".mcp.json\"\nname = {toml_string(name)}\nprotocol = \"2025-06-18\"\n"
            f"server_name = {toml_string(source)}\nserver_version = \"1.0.0\"\n"
            f"probed = \"2026-12-07T00:00:00Z\"\ntools_digest = {toml_string(tools_digest)}\n"
        )
        lock.extend(entries)
    pathlib.Path(root, ".mcp.json").write_text(json.dumps({"mcpServers": servers}, indent=2) + "\n")
    pathlib.Path(root, "mcp-lint.lock").write_text("".join(lock))


def main():
    kind, n = sys.argv[1], int(sys.argv[2])
    if kind == "repo":
        repo(n, sys.argv[3])
        return
    if kind == "probed":
        probed(n, sys.argv[3])
        return
    if kind == "servers":
        text = json.dumps(servers(n), indent=2) + "\n"
    elif kind == "fixable":
        text = json.dumps(fixable(n), indent=2) + "\n"
    elif kind == "floating":
        text = json.dumps(floating(n), indent=2) + "\n"
    elif kind == "litellm":
        text = litellm(n)
    elif kind == "codex":
        text = codex(n)
    elif kind == "stream":
        text = stream(n)
    elif kind == "bytes":
        # About 230 bytes per server.
        text = json.dumps(servers(max(1, n // 230)), indent=2) + "\n"
    else:
        sys.exit(f"unknown kind {kind}")
    sys.stdout.write(text)


main()
