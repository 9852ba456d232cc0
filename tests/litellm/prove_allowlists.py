"""Proof against the real gateway: loads configs that `mcp-lint --fix` wrote with LiteLLM's own
config code and asks LiteLLM's own allowlist check whether tools are allowed.

    python prove_allowlists.py CONFIG.yaml [helm:VALUES.yaml] ...

For every MCP server of every file, by LiteLLM's own checks (`check_allowed_or_banned_tools` before a
call, `filter_tools_by_allowed_tools` on `tools/list`): a tool that its `allowed_tools` does not name
must be denied, and every tool it names must be allowed. Prints one JSON line per file
(`{"path", "servers", "loaded", "error", "violations"}`) and exits 1 if any file has a violation.
"""

import asyncio
import json
import os
import re
import sys

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import yaml  # noqa: E402  (LiteLLM's proxy extra ships PyYAML)
from litellm.proxy._experimental.mcp_server.mcp_server_manager import (  # noqa: E402
    MCPServerManager,
)
from litellm.proxy._experimental.mcp_server.operations import (  # noqa: E402
    filter_tools_by_allowed_tools,
)
from litellm.proxy.proxy_server import ProxyConfig  # noqa: E402
from mcp.types import Tool  # noqa: E402

UNLISTED = "mcp_lint_probe_tool_that_no_allowlist_names"


async def prove(path: str, helm: bool) -> dict:
    result = {"path": path, "servers": 0, "loaded": 0, "error": None, "violations": []}
    try:
        with open(path, encoding="utf-8-sig") as handle:
            document = yaml.safe_load(handle) or {}
        config = (document.get("proxy_config") or {}) if helm else document
        result["servers"] = len(config.get("mcp_servers") or {})
        # A fix moves secrets into `os.environ/NAME` and tells the user to set NAME; the proof
        # sets each such variable the way a deployment would.
        for name in re.findall(r"os\.environ/([A-Za-z_][A-Za-z0-9_]*)", json.dumps(config)):
            os.environ.setdefault(name, f"mcp-lint-proof-{name.lower()}")
        # The proxy resolves `os.environ/` references before it reads the servers.
        config = ProxyConfig()._check_for_os_environ_vars(config=config)
        aliases = (config.get("litellm_settings") or {}).get("mcp_aliases")
        manager = MCPServerManager()
        # Loading would also start a background task that connects to every server to map its
        # tool names; the proof is about the config, so it stays offline.
        manager.initialize_tool_name_to_mcp_server_name_mapping = lambda: None
        await manager.load_servers_from_config(config.get("mcp_servers") or {}, aliases)
    except Exception as error:  # LiteLLM refusing the file is a result, not a crash.
        result["error"] = f"{type(error).__name__}: {error}"
        return result
    loaded = list(manager.config_mcp_servers.values())
    result["loaded"] = len(loaded)
    for server in loaded:
        listed = list(server.allowed_tools or [])
        # tools/call: the check the proxy makes before it forwards a call.
        if manager.check_allowed_or_banned_tools(UNLISTED, server):
            result["violations"].append(f"server `{server.name}` lets a call to an unlisted tool through")
        for tool in listed:
            if not manager.check_allowed_or_banned_tools(tool, server):
                result["violations"].append(f"server `{server.name}` refuses a call to `{tool}`, which it lists")
        # tools/list: the filter the proxy applies to what a server advertises.
        offered = [Tool(name=name, inputSchema={"type": "object"}) for name in [*listed, UNLISTED]]
        shown = {tool.name for tool in filter_tools_by_allowed_tools(offered, server)}
        if UNLISTED in shown:
            result["violations"].append(f"server `{server.name}` advertises an unlisted tool")
        for tool in listed:
            if tool not in shown and tool not in (server.disallowed_tools or []):
                result["violations"].append(f"server `{server.name}` hides `{tool}`, which it lists")
    return result


def main() -> int:
    failed = False
    for arg in sys.argv[1:]:
        helm = arg.startswith("helm:")
        path = arg.removeprefix("helm:")
        result = asyncio.run(prove(path, helm))
        failed |= bool(result["violations"])
        print(json.dumps(result), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
