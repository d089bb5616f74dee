#!/usr/bin/env bash
# Resolve git merge conflicts in gettext catalogs: keep every translated entry of both sides, re-extract the
# messages from the sources, and recompile. Run from the repository root during a conflicted merge.
set -euo pipefail
for po in $(git diff --name-only --diff-filter=U | grep '\.po$' || true); do
  ours=$(mktemp) theirs=$(mktemp)
  git show ":2:$po" > "$ours"
  git show ":3:$po" > "$theirs"
  msgcat --use-first "$ours" "$theirs" -o "$po"
  rm -f "$ours" "$theirs"
  app=${po%%/locale/*}
  (cd "$app" && ../.venv/bin/python ../manage.py makemessages -l nl --no-obsolete --no-location >/dev/null)
  .venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
  git add "$po" "${po%.po}.mo"
  echo "resolved $po"
done
