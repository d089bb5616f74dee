#!/usr/bin/env bash
# The demo site and a background worker side by side (`make demo`, `make serve`): the site queues imports,
# analyses and e-mail; the worker (manage.py run_worker) runs them. Ctrl+C stops both.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DEBUG=true DEMO_SHOW_TOTP=true

"$PY" manage.py run_worker --no-reload --interval 1 &
worker=$!
stop_worker() {
  if kill -0 "$worker" 2>/dev/null; then
    kill -TERM "$worker" 2>/dev/null
    wait "$worker" 2>/dev/null
  fi
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

"$PY" manage.py runserver "127.0.0.1:${PORT:-8000}"
