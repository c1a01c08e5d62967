#!/usr/bin/env bash
# Makes the Python venv with the real tools the interop suite compares against (DVC, DVCLive,
# GTO, MLflow, wandb, pinned in test/interop/requirements.txt) at
# ${LINEAGE_INTEROP_VENV:-.tools/interop-venv}. A stamp file in the venv holds the hash of the
# requirements file it was installed from: an unchanged file costs nothing, a changed pin
# re-installs. CI starts from a fresh clone (.tools/ is not in Git), so it always installs.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUIREMENTS=test/interop/requirements.txt
VENV="${LINEAGE_INTEROP_VENV:-.tools/interop-venv}"
STAMP="$VENV/.lineage-requirements.sha256"
want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "interop venv: $VENV is up to date with $REQUIREMENTS"
  exit 0
fi

fail() {
  echo "interop venv: $1" >&2
  exit 1
}
command -v python3 >/dev/null || fail "python3 is missing (Debian: apt-get install python3 python3-venv)"
# Debian's python3 has the venv module without ensurepip until python3-venv is installed, and
# `python3 -m venv` then fails half-way; ask for both up front.
python3 -c 'import venv, ensurepip' 2>/dev/null \
  || fail "python3 ($(command -v python3)) cannot make a venv: the venv/ensurepip modules are missing (Debian: apt-get install python3-venv)"

start=$(date +%s)
# The stamp goes first so that an install that dies half-way is redone next time.
rm -f "$STAMP"
echo "interop venv: installing $REQUIREMENTS into $VENV ($(python3 --version))"
python3 -m venv "$VENV"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -r "$REQUIREMENTS"
for tool in dvc gto mlflow wandb; do
  [ -x "$VENV/bin/$tool" ] || fail "$VENV/bin/$tool is missing after installing $REQUIREMENTS"
done
echo "$want" > "$STAMP"
echo "interop venv: $(( $(date +%s) - start )) s ($("$VENV/bin/dvc" --version 2>/dev/null | tail -1 | sed 's/^/dvc /'))"
