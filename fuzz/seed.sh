#!/usr/bin/env bash
# Seeds each fuzz target's corpus from fixtures/ and ../shared/corpus (when it is there).
# The lint and fix targets read a selector byte first: seeds get a zero byte in front.
set -euo pipefail
cd "$(dirname "$0")"
root=..
shared=${MCP_LINT_CORPUS:-../../shared/corpus}
mapfile -t files < <(find "$root/fixtures" "$shared" -type f \( -name '*.json' -o -name '*.jsonc' -o -name '*.yaml' -o -name '*.yml' -o -name '*.toml' \) 2>/dev/null | sort)
for target in $(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v "^mcp-lint-fuzz$"); do
  mkdir -p "corpus/$target"
done
for file in "${files[@]}"; do
  id=$(sha256sum "$file" | cut -c1-16)
  case "$file" in
    *.json|*.jsonc) cp "$file" "corpus/parse_json/$id" ;;
    *.yaml|*.yml) cp "$file" "corpus/parse_yaml/$id" ;;
    *.toml) cp "$file" "corpus/parse_toml/$id" ;;
  esac
  { printf '\0'; cat "$file"; } > "corpus/lint/$id"
  { printf '\0'; cat "$file"; } > "corpus/fix/$id"
done
printf 'docker\0run\0-i\0--rm\0ghcr.io/acme/mcp:v1' > corpus/launcher/docker
printf 'npx\0-y\0@scope/pkg@1.2.3' > corpus/launcher/npx
printf 'uvx\0--from\0git+https://github.com/a/b@abc\0b' > corpus/launcher/uvx
for sample in ../../shared/registry-samples/npm/*.json ../../shared/registry-samples/pypi/*; do
  [ -f "$sample" ] || continue
  { printf '\0'; cat "$sample"; } > "corpus/registry/$(basename "$sample")"
done
printf '\0sha256:7b97f08845bd1945698e75bfba1bfa84a6dc2699c5fead0c124b6dd3ed3372f0' > corpus/oci/digest
printf '\0Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:mcp/github:pull"' > corpus/oci/challenge
printf '\1{"token":"abc","access_token":"abc","expires_in":300}' > corpus/oci/token
printf '\0ghcr.io/github/github-mcp-server:v0.6.0@sha256:7b97f08845bd1945698e75bfba1bfa84a6dc2699c5fead0c124b6dd3ed3372f0' > corpus/oci/image
printf 'registry=https://npm.example.com/\n//npm.example.com/:_authToken=${NPM_TOKEN}\n; comment\n\0https://user:pw@pypi.example.com/simple/\0https://npm.example.com/@scope%%2fpkg' > corpus/npmrc/npmrc
echo "seeded: $(find corpus -type f | wc -l) inputs"
printf 'event: endpoint\ndata: /messages?s=1\n\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n' > corpus/probe/events
printf '{"tools":[{"name":"read","description":"Reads.","inputSchema":{"type":"object"},"annotations":{"readOnlyHint":true}},{"name":"w","inputSchema":{}}]}' > corpus/probe/page
