#!/usr/bin/env bash
# Installs the Debian packages sfulab builds against, only when pkg-config cannot find them.
# Usage: scripts/install-deps.sh [--with-test-tools]
#   --with-test-tools  also installs what tests use beyond the build: ffmpeg (clip checks) and
#                      chromium (headless report rendering checks).
set -euo pipefail

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
fi

if [ ${#need_apt[@]} -eq 0 ]; then
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
