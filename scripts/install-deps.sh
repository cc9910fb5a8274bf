#!/usr/bin/env bash
# Installs the Debian packages sfulab builds against, only when pkg-config cannot find them.
# Usage: scripts/install-deps.sh [--with-test-tools]
#   --with-test-tools  also installs what tests use beyond the build: ffmpeg (clip checks),
#                      chromium (headless report rendering checks) and a Python venv with aiortc
#                      at .build/aiortc-venv (interop tests, docs/interop.md).
set -euo pipefail

# The aiortc release the interop tests were run against (docs/interop.md).
AIORTC_VERSION=1.16.0
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
aiortc_venv="$repo_root/.build/aiortc-venv"

# Creates the aiortc venv unless it is complete already (the marker is written last, so an
# interrupted install is started again from scratch, never used half-made).
ensure_aiortc_venv() {
    local marker="$aiortc_venv/.sfulab-aiortc-$AIORTC_VERSION"
    [ -f "$marker" ] && [ -x "$aiortc_venv/bin/python3" ] && return 0
    echo "install-deps: creating $aiortc_venv (aiortc $AIORTC_VERSION)" >&2
    rm -rf "$aiortc_venv"
    mkdir -p "$(dirname "$aiortc_venv")"
    if ! python3 -m venv "$aiortc_venv" ||
        ! "$aiortc_venv/bin/pip" install -q --disable-pip-version-check "aiortc==$AIORTC_VERSION" </dev/null ||
        ! "$aiortc_venv/bin/python3" -c "import aiortc" ; then
        rm -rf "$aiortc_venv"
        echo "install-deps: could not install aiortc $AIORTC_VERSION into $aiortc_venv (needs python3 with venv, and pip access to PyPI or a wheel cache); fix that and run this again (without the venv the interop tests are skipped)" >&2
        return 1
    fi
    touch "$marker"
}

need_apt=()
for module in libsrtp2:libsrtp2-dev openssl:libssl-dev opus:libopus-dev vpx:libvpx-dev; do
    pc=${module%%:*}
    pkg=${module##*:}
    if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "$pc"; then
        need_apt+=("$pkg")
    fi
done
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ "${1:-}" = "--with-test-tools" ]; then
    command -v ffprobe >/dev/null 2>&1 || need_apt+=(ffmpeg)
    command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
    if ! command -v python3 >/dev/null 2>&1 || ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
        need_apt+=(python3 python3-venv)
    fi
fi

if [ ${#need_apt[@]} -eq 0 ]; then
    if [ "${1:-}" = "--with-test-tools" ]; then
        ensure_aiortc_venv || echo "install-deps: continuing without aiortc: the interop tests will be skipped" >&2
    fi
    exit 0
fi

echo "install-deps: installing ${need_apt[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo_cmd=(sudo)
    else
        echo "install-deps: need root (or sudo) to install: ${need_apt[*]}" >&2
        exit 2
    fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
if [ "${1:-}" = "--with-test-tools" ]; then
    ensure_aiortc_venv || echo "install-deps: continuing without aiortc: the interop tests will be skipped" >&2
fi
