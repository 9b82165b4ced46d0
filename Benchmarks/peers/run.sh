#!/usr/bin/env bash
# jukisim beside its peers (SimPy, SQLite in memory), in one run; see Benchmarks/peers/README.md.
#
#   swift build -c release            # once, from the repository root
#   Benchmarks/peers/run.sh           # full size, writes Reports/baselines/peers.md
#   Benchmarks/peers/run.sh --quick   # smaller peer counts (CI), writes .build/peers/peers-quick.md
#   Benchmarks/peers/run.sh --help    # every option of peers.py
#
# Environment: JUKISIM (the binary, default .build/release/jukisim), PYTHON (the interpreter that makes the
# virtualenv, default python3).
set -euo pipefail

SIMPY_VERSION=4.1.2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
VENV=.build/peers-venv
JUKISIM=${JUKISIM:-$ROOT/.build/release/jukisim}
PYTHON=${PYTHON:-python3}

die() { printf 'run.sh: %s\n' "$*" >&2; exit 2; }

wants_help=false
for a in "$@"; do [[ $a == -h || $a == --help ]] && wants_help=true; done
if ! $wants_help && [[ ! -x $JUKISIM ]]; then
    die "the jukisim binary $JUKISIM is missing: build it first, from $ROOT:
    swift build -c release"
fi

command -v "$PYTHON" >/dev/null || die "$PYTHON not found: install Python 3.8 or later (apt-get install python3 python3-venv)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 8))' || die "$PYTHON is older than Python 3.8"

# The virtualenv: made once, remade when its interpreter is gone, SimPy pinned.
if ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    echo "run.sh: making the virtualenv $VENV" >&2
    "$PYTHON" -m venv --clear "$VENV" \
        || die "could not make a virtualenv with $PYTHON (on Debian or Ubuntu: apt-get install python3-venv)"
fi
if ! "$VENV/bin/python" -c "import sys, simpy; sys.exit(simpy.__version__ != '$SIMPY_VERSION')" >/dev/null 2>&1; then
    echo "run.sh: installing simpy==$SIMPY_VERSION into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check "simpy==$SIMPY_VERSION" \
        || die "pip could not install simpy==$SIMPY_VERSION into $VENV (it needs PyPI)"
fi

exec "$VENV/bin/python" Benchmarks/peers/peers.py --jukisim "$JUKISIM" "$@"
