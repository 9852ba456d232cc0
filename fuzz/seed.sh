#!/usr/bin/env bash
# Seeds each fuzz target's corpus from fixtures/ and ../shared/corpus (when it is there).
# The lint and fix targets read a selector byte first: seeds get a zero byte in front.
set -euo pipefail
cd "$(dirname "$0")"
root=..
shared=${MCP_LINT_CORPUS:-../../shared/corpus}
mapfile -t files < <(find "$root/fixtures" "$shared" -type f \( -name '*.json' -o -name '*.jsonc' -o -name '*.yaml' -o -name '*.yml' -o -name '*.toml' \) 2>/dev/null | sort)
for target in parse_json parse_yaml parse_toml lint fix launcher registry; do
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
echo "seeded: $(find corpus -type f | wc -l) inputs"
