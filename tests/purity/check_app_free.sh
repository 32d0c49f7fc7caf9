#!/usr/bin/env bash
# Fails (listing each hit) if src/ names an app: the core is app-agnostic, apps live in apps/.
# The words: the example apps' names, their tables and their columns' JSON names.
set -euo pipefail
src=${1:?src dir}
words='wardrobe|\bcatalog\b|\bauthors?\b|\bbooks?\b|"items"|\bitems_table\b|image_?url|imageUrl'
hits=$(grep -rniE "$words" "$src" | grep -vE 'key\("items"\)' || true)
if [ -n "$hits" ]; then
  echo "src/ must name no app; offending lines:"
  echo "$hits"
  exit 1
fi
echo "src/ names no app: $(find "$src" -name '*.cpp' -o -name '*.h' | wc -l) files scanned"
