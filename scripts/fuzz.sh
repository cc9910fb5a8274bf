#!/usr/bin/env bash
# Builds each libFuzzer target in Fuzz/<Name>/ together with the sources of the module it tests
# (Sources/RTP/*.swift, or the module named in Fuzz/<Name>/module) and runs it.
# Usage: scripts/fuzz.sh [runs] [Name...]     (default 1000000 runs, every target)
# A crash input is copied to Tests/<Module>Tests/FuzzRegressions/<Name>/ where that test target's
# FuzzRegressionTests replays it; the script then exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-1000000}"
shift || true
SWIFTC="${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}"
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    TARGETS=()
    for dir in Fuzz/*/; do TARGETS+=("$(basename "$dir")"); done
fi
mkdir -p .build-fuzz
status=0
for name in "${TARGETS[@]}"; do
    lower="$(echo "$name" | tr '[:upper:]' '[:lower:]')"
    module=RTP
    if [ -f "Fuzz/$name/module" ]; then module="$(tr -d '[:space:]' < "Fuzz/$name/module")"; fi
    regressions="Tests/${module}Tests/FuzzRegressions/$name"
    # Modules on OpenSSL (ICE's HMAC) find its module map in Sources/COpenSSL.
    extra=()
    if grep -q "^import COpenSSL" Sources/"$module"/*.swift; then extra=(-I Sources/COpenSSL); fi
    binary=".build-fuzz/$lower"
    corpus=".build-fuzz/corpus-$lower"
    artifacts=".build-fuzz/artifacts-$lower/"
    mkdir -p "$corpus" "$artifacts"
    echo "== building $name"
    # -module-name: several files need one; ld.gold warns about ASan's local symbols, harmlessly.
    if ! "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -module-name "Fuzz$name" \
        "${extra[@]}" Sources/"$module"/*.swift Fuzz/"$name"/*.swift -o "$binary" >".build-fuzz/$lower.build.log" 2>&1; then
        grep -v "Cannot export local symbol" ".build-fuzz/$lower.build.log" >&2
        exit 2
    fi
    # Seed the corpus with the kept regressions, if any.
    if [ -d "$regressions" ]; then cp -n "$regressions"/* "$corpus"/ 2>/dev/null || true; fi
    echo "== running $name for $RUNS executions"
    log=".build-fuzz/$lower.log"
    if "$binary" -runs="$RUNS" -max_len=1500 -artifact_prefix="$artifacts" "$corpus" >"$log" 2>&1; then
        grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$log" | tail -2 | sed "s/^/   $name: /"
    else
        status=1
        echo "!! $name crashed; see $log"
        mkdir -p "$regressions"
        for crash in "$artifacts"crash-* "$artifacts"leak-* "$artifacts"oom-* "$artifacts"timeout-*; do
            [ -e "$crash" ] && cp "$crash" "$regressions/" && echo "   kept $(basename "$crash")"
        done
    fi
done
exit $status
