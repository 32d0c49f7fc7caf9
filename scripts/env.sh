# Source this file (`. scripts/env.sh`) to put the edgefn tool and every built app binary on
# PATH, so `edgefn …`, `wardrobe …`, `catalog …` work as typed. Prefers the release build (what
# `make dev` builds), then the dev build.
_edgefn_root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
for _preset in dev release; do
  for _dir in "$_edgefn_root/build/$_preset/native" "$_edgefn_root"/build/$_preset/apps/*; do
    [ -d "$_dir" ] && case ":$PATH:" in *":$_dir:"*) ;; *) PATH="$_dir:$PATH" ;; esac
  done
done
export PATH
unset _edgefn_root _preset _dir
