#!/usr/bin/env bash
# sig — one entry point: set up, run, test, benchmark and administer the platform.
#   ./sig run            set up (venv, deps, migrations, demo data) and serve on 127.0.0.1:${SIG_PORT:-8000}
#   ./sig test           set up and run the whole suite (lint, types, unit/API/browser tests)
#   ./sig bench [flags]  run the benchmark harness on its own database
#   ./sig verify-audit   check the hash chain of the audit trail (exit 1 when broken)
#   ./sig token USER     print an API token for USER
#   ./sig manage ...     any Django management command
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export SIG_DATA_DIR="${SIG_DATA_DIR:-$ROOT/data}"
VENV="${SIG_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

die() { echo "sig: $*" >&2; exit 1; }

find_python() {
  if [ -n "${PYTHON:-}" ]; then
    command -v "$PYTHON" >/dev/null 2>&1 || die "PYTHON=$PYTHON not found"
    echo "$PYTHON"; return
  fi
  for cand in python3.13 python3.12 python3.11 python3.10 python3; do
    if command -v "$cand" >/dev/null 2>&1 &&
       "$cand" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 14) else 1)' 2>/dev/null; then
      echo "$cand"; return
    fi
  done
  die "no Python 3.10-3.14 found; install python3 (Debian: apt-get install python3 python3-venv) or set PYTHON="
}

# Create the venv and install requirements only when they changed (stamp = hash of the files).
setup_venv() {
  local want="$1"  # requirements file to install
  local stamp="$VENV/.sig-$(basename "$want").sha"
  local sum; sum="$(cat requirements.txt "$want" | sha256sum | cut -d' ' -f1)"
  if [ ! -x "$PY" ]; then
    local base; base="$(find_python)"
    echo "sig: creating virtual environment with $base" >&2
    "$base" -m venv "$VENV" || die "could not create venv (Debian: apt-get install python3-venv)"
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    echo "sig: installing dependencies from $want" >&2
    local log; log="$(mktemp)"
    local pip_rc=0
    "$PY" -m pip install -q --disable-pip-version-check -r "$want" >"$log" 2>&1 || pip_rc=$?
    grep -v "is ignored" "$log" >&2 || true
    rm -f "$log"
    [ "$pip_rc" -eq 0 ] || die "pip could not install $want (exit $pip_rc)"
    # find_spec, not import: importing ninja needs configured Django settings.
    "$PY" -c 'import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in ("django", "ninja")))' \
      || die "dependency installation failed"
    echo "$sum" > "$stamp"
  fi
}

manage() { "$PY" manage.py "$@"; }

# WeasyPrint (controlled copies, reports) needs Pango from the system.
check_pdf_libs() {
  "$PY" -c 'import weasyprint' >/dev/null 2>&1 ||
    die "PDF rendering needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
}

# CI=true (or 1/yes) marks a continuous-integration run: missing tools then fail instead of skip.
is_ci() { case "${CI:-}" in 1|[Tt]rue|TRUE|[Yy]es) return 0 ;; *) return 1 ;; esac; }

prepare_db() {
  check_pdf_libs
  mkdir -p "$SIG_DATA_DIR"
  manage migrate --noinput -v 0
  manage load_demo --if-empty
}

cmd="${1:-run}"; shift || true
case "$cmd" in
  run)
    setup_venv requirements.txt
    prepare_db
    port="${SIG_PORT:-8000}"
    manage compilemessages_if_needed
    manage anchor_audit  # checkpoint of the audit chain outside the database (README, "Audit trail")
    echo "sig: serving on http://127.0.0.1:$port/  (demo logins: see README, password ${SIG_DEMO_PASSWORD:-juntos2020})"
    manage demo_logins
    # The job worker (and the daily review reminders; in production run them from cron, README)
    # watches this process and stops with it, even after a kill -9 (core.lifecycle): the server
    # below replaces this shell (exec), keeping its process id.
    "$PY" manage.py run_worker --parent $$ -v 0 &  # its parent must be this very process
    if [ "${SIG_DEV:-0}" = "1" ]; then
      exec "$PY" manage.py runserver "127.0.0.1:$port"
    else
      exec "$VENV/bin/gunicorn" -c config/gunicorn_conf.py config.wsgi:application --bind "127.0.0.1:$port" \
        --workers "${SIG_WEB_WORKERS:-3}"
    fi
    ;;
  test)
    # Extra arguments go to pytest (./sig test -k journey, ./sig test catalog/tests).
    # SIG_TEST_SKIP_LINT=1 skips ruff and mypy (CI sets it for its second, PostgreSQL, run).
    setup_venv requirements-dev.txt
    mkdir -p "$SIG_DATA_DIR"
    if [ "${SIG_TEST_SKIP_LINT:-0}" != "1" ]; then
      echo "sig: ruff check, ruff format --check, mypy" >&2
      "$VENV/bin/ruff" check -q . || die "ruff found problems"
      "$VENV/bin/ruff" format --check -q . || die "ruff format: run '$VENV/bin/ruff format .'"
      "$VENV/bin/mypy" . || die "mypy found problems"
    fi
    manage compilemessages_if_needed
    check_pdf_libs
    export SIG_CHROMIUM="${SIG_CHROMIUM:-/usr/bin/chromium}"
    if [ ! -x "$SIG_CHROMIUM" ]; then
      if is_ci; then
        echo "sig: chromium not found at $SIG_CHROMIUM: browser tests will FAIL (CI); install it: apt-get install -y --no-install-recommends chromium" >&2
      else
        echo "sig: chromium not found at $SIG_CHROMIUM: browser tests will be skipped; install it: apt-get install -y --no-install-recommends chromium" >&2
      fi
    fi
    if [ -n "${DATABASE_URL:-}" ]; then echo "sig: pytest on DATABASE_URL (${DATABASE_URL%%:*})" >&2
    else echo "sig: pytest on SQLite" >&2; fi
    # Tests run in parallel on every core (pytest-xdist; SIG_TEST_WORKERS=0 runs them in one process).
    exec "$VENV/bin/pytest" -n "${SIG_TEST_WORKERS:-auto}" "$@"
    ;;
  bench)
    setup_venv requirements-dev.txt
    exec "$PY" manage.py bench "$@"
    ;;
  verify-audit)
    setup_venv requirements.txt
    exec "$PY" manage.py verify_audit "$@"
    ;;
  token)
    setup_venv requirements.txt
    [ $# -ge 1 ] || die "usage: ./sig token USERNAME"
    exec "$PY" manage.py api_token "$@"
    ;;
  manage)
    setup_venv requirements.txt
    exec "$PY" manage.py "$@"
    ;;
  *)
    die "unknown command '$cmd' (run, test, bench, verify-audit, token, manage)"
    ;;
esac
