#!/bin/sh
# Runs every fuzz target for SECONDS (default 1260, 21 minutes) one after another, on stable
# Rust (RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags), seeded from the scenario corpus.
# Logs go to fuzz/logs/<target>.log; crashes to fuzz/artifacts/<target>/.
set -eu
cd "$(dirname "$0")"
SECONDS_EACH=${1:-1260}
./seed.sh
mkdir -p logs
for t in ${TARGETS:-parse analyses link}; do
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" -- -dict=keyline.dict -max_len=16384 \
        -max_total_time="$SECONDS_EACH" -print_final_stats=1 >"logs/$t.log" 2>&1 || {
        echo "$t: crashed, see fuzz/logs/$t.log and fuzz/artifacts/$t/"
        exit 1
    }
    tail -n 30 "logs/$t.log" | grep -E '^(#[0-9]+|stat::|Done)' | tail -n 12
done
