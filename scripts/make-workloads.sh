#!/bin/sh
# Regenerates the shipped Workloads/ (deterministic: same seeds, same bytes) or, with
# --long DIR, the larger versions that are generated on demand instead of shipped.
# Usage: scripts/make-workloads.sh [SFULAB] [--long DIR]
set -eu
SFULAB=${1:-.build/release/sfulab}
OUT=Workloads
DURATION=10s
AUDIO_DURATION=20s
if [ "${2:-}" = "--long" ]; then
    OUT=${3:?--long needs a directory}
    DURATION=60s
    AUDIO_DURATION=60s
fi
mkdir -p "$OUT"
synth() { name=$1; shift; "$SFULAB" workload synth --seed 1 --key-frame-interval 2 --out "$OUT/$name" "$@" >/dev/null; echo "$OUT/$name"; }
synth meeting-5-desktop.sfuw --participants 5 --kind meeting --device desktop --duration "$DURATION" --max-sources 2
synth meeting-10-mixed.sfuw --participants 10 --kind meeting --device mixed --duration "$DURATION" --max-sources 2
synth webinar-1-presenter-50-viewers.sfuw --participants 51 --kind webinar --device desktop --duration "$DURATION" --max-sources 1
synth screen-share-4.sfuw --participants 4 --kind screen --device desktop --duration "$DURATION" --max-sources 2
synth audio-20.sfuw --participants 20 --kind audio --device desktop --duration "$AUDIO_DURATION" --max-sources 3
