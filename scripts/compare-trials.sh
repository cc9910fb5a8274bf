#!/bin/sh
# Behaviour check for performance work on simulated trials: runs a fixed set of trials with
# `sfulab trial --json --reproducible` and either saves their output (record) or compares it
# byte for byte with what was saved (check). An optimization must leave every output identical.
#
# Usage:
#   scripts/compare-trials.sh record SFULAB DIR [--quick]   save the outputs of SFULAB in DIR
#   scripts/compare-trials.sh check SFULAB DIR [--quick]    run SFULAB again, diff against DIR
#
# Typical use: build the unchanged tree in release, copy the binary away, `record` it; after
# each change, build again and `check` the new binary against that directory. Exit status 0
# when every output is identical, 1 when one differs or fails (its diff is printed), 2 on a usage
# error. --quick leaves out the 60 s trial. Trials run one after another (the machine is
# shared); the whole set takes about 3 s of CPU with a release build (10 s of wall time on the
# loaded development machine).
# Run from anywhere: paths are resolved against the repository root (the spec's trace path,
# ../shared/traces/..., is relative to it).
set -eu

usage() {
    echo "usage: $0 record|check SFULAB DIR [--quick]" >&2
    exit 2
}
[ $# -ge 3 ] || usage
MODE=$1
SFULAB=$(realpath "$2")
DIR=$3
QUICK=${4:-}
case $MODE in record|check) ;; *) usage ;; esac
[ -x "$SFULAB" ] || { echo "$0: $2 is not an executable (build with: swift build -c release --product sfulab)" >&2; exit 2; }
[ -z "$QUICK" ] || [ "$QUICK" = --quick ] || usage
mkdir -p "$DIR"
DIR=$(realpath "$DIR")
cd "$(dirname "$0")/.."

# name | arguments after `trial` (10 s unless stated)
TRIALS='synthetic-5-4g-s1|--participants 5 --network 4g --seed 1 --duration 10s
synthetic-10-desktop-s2|--participants 10 --network desktop-broadband --seed 2 --duration 10s
synthetic-10-3g-s3|--participants 10 --network 3g --seed 3 --duration 10s
webinar-12-4g-s4|--participants 12 --kind webinar --network 4g --seed 4 --duration 10s
screen-4-wifi-lossy-s5|--participants 4 --kind screen --network wifi-lossy --seed 5 --duration 10s
audio-8-mobile-congested-s6|--participants 8 --kind audio --device mobile --network mobile-congested --seed 6 --duration 10s
mixed-6-lossless-s7|--participants 6 --device mixed --network lossless --seed 7 --duration 10s
recorded-meeting-5-3g-s1|--workload Workloads/meeting-5-desktop.sfuw --network 3g --seed 1 --duration 10s
recorded-meeting-10-mixed-wifi-s2|--workload Workloads/meeting-10-mixed.sfuw --network wifi-lossy --seed 2 --duration 10s
recorded-screen-4-4g-s3|--workload Workloads/screen-share-4.sfuw --network 4g --seed 3 --duration 10s
spec-trace-bus-codel|--spec scripts/compare-trials/trace-bus-codel.json'
if [ -z "$QUICK" ]; then
    TRIALS="$TRIALS
synthetic-10-desktop-s2-60s|--participants 10 --network desktop-broadband --seed 2 --duration 60s"
fi

rm -f "$DIR/.failures"
echo "$TRIALS" | while IFS='|' read -r name arguments; do
    # shellcheck disable=SC2086 # the arguments are meant to split
    if ! "$SFULAB" trial $arguments --json --reproducible > "$DIR/$name.new" 2> "$DIR/$name.err"; then
        echo "FAILED  $name (see $DIR/$name.err)"
        echo "$name" >> "$DIR/.failures"
        continue
    fi
    if [ "$MODE" = record ]; then
        mv "$DIR/$name.new" "$DIR/$name.json"
        echo "saved   $name"
    elif cmp -s "$DIR/$name.json" "$DIR/$name.new"; then
        rm "$DIR/$name.new"
        echo "same    $name"
    else
        echo "DIFFERS $name"
        diff "$DIR/$name.json" "$DIR/$name.new" | head -20
        echo "$name" >> "$DIR/.failures"
    fi
done
if [ -s "$DIR/.failures" ]; then
    echo "$(wc -l < "$DIR/.failures") trial(s) failed or differ"
    exit 1
fi
