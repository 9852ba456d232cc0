#!/usr/bin/env python3
"""Generates large configs for the scaling benchmark (tests/bench/run.sh).

  generate.py servers N     a Claude Desktop config with N pinned stdio servers (what check reads)
  generate.py fixable N     a Claude Code .mcp.json: N servers that each have a floating npx
                            package, an inline secret and a plain-http url (as N stdio servers
                            with a secret and N plain-http remotes): every one has something to fix
  generate.py litellm N     a LiteLLM proxy config with N servers (YAML)
  generate.py bytes N       a Claude Desktop config of about N bytes
  generate.py stream N      a Kubernetes manifest stream of N ToolHive MCPServer resources, each
                            after a ConfigMap that is no MCP resource (2N documents)
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


def main():
    kind, n = sys.argv[1], int(sys.argv[2])
    if kind == "servers":
        text = json.dumps(servers(n), indent=2) + "\n"
    elif kind == "fixable":
        text = json.dumps(fixable(n), indent=2) + "\n"
    elif kind == "litellm":
        text = litellm(n)
    elif kind == "stream":
        text = stream(n)
    elif kind == "bytes":
        # About 230 bytes per server.
        text = json.dumps(servers(max(1, n // 230)), indent=2) + "\n"
    else:
        sys.exit(f"unknown kind {kind}")
    sys.stdout.write(text)


main()
