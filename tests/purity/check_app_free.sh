#!/usr/bin/env bash
# Fails (listing each hit) if src/ names an app: the core is app-agnostic, apps live in apps/.
# The words: the example apps' names, their tables and their columns' JSON names.
set -euo pipefail
src=${1:?src dir}
words='wardrobe|\bcatalog\b|\bauthors?\b|\bbooks?\b|"items"|\bitems_table\b|\bname_idx\b|image_?url|imageUrl'
# The wardrobe's table in comments ("items.extra", "items::user_id"); `items` alone is also a
# common variable name, so code is not matched.
in_comments='//.*\bitems(\.|::)[a-z_]'
hits=$( { grep -rniE "$words" "$src" | grep -vE 'key\("items"\)' || true; grep -rnE "$in_comments" "$src" || true; } )
if [ -n "$hits" ]; then
  echo "src/ must name no app; offending lines:"
  echo "$hits"
  exit 1
fi
echo "src/ names no app: $(find "$src" -name '*.cpp' -o -name '*.h' | wc -l) files scanned"
