#!/usr/bin/env python3
"""How long `mcp-lint server` takes to answer a change with diagnostics: the median and the
slowest of N changes to a typical config (fixtures/examples/.mcp.json), driven over stdio as an
editor does. Run by tests/bench/run.sh; the README quotes it.

  lsp_latency.py BINARY CONFIG [N]
"""
import json
import statistics
import subprocess
import sys
import time

binary, config = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 100
text = open(config, encoding="utf-8").read()
server = subprocess.Popen([binary, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def read():
    length = 0
    while True:
        line = server.stdout.readline().strip()
        if not line:
            break
        if line.startswith(b"Content-Length:"):
            length = int(line.split(b":")[1])
    return json.loads(server.stdout.read(length))


def wait(predicate):
    while True:
        message = read()
        if predicate(message):
            return message


uri = "file:///bench/.mcp.json"
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
wait(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}})
wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
times = []
for version in range(2, runs + 2):
    changed = text.replace("{", "{ ", 1) if version % 2 else text
    started = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]}})
    wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version)
    times.append(time.perf_counter() - started)
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
wait(lambda m: m.get("id") == 2)
send({"jsonrpc": "2.0", "method": "exit", "params": None})
server.wait(timeout=10)
print(f"lsp-change   median {statistics.median(times) * 1000:.2f} ms, slowest {max(times) * 1000:.2f} ms over {runs} changes ({len(text)} bytes)")
