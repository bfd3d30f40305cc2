#!/usr/bin/env bash
# The Jobs history at 10,000 Jobs of 64 KiB bodies against an empty one (release build):
# `payloads run` time and peak RSS, `payloads jobs --limit 20` time, TUI first paint and idle
# RSS; then 10 processes x 50 runs at once on one workspace, which must record all 500 Jobs.
# The full history is built through the store's API (examples/fill_history.rs), not by HTTP runs.
# Usage: bench/history.sh [PORT]     (HISTORY_JOBS, HISTORY_BODY, REPEAT tune it)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8791}
cargo build --quiet --release --bin payloads --example fill_history
bin=$PWD/target/release/payloads
fill=$PWD/target/release/examples/fill_history
dir=$(mktemp -d)
trap 'kill "$sandbox" 2>/dev/null || true; rm -rf "$dir"' EXIT
export PAYLOADS_LOG_DIR=$dir/logs
"$bin" sandbox --port "$port" 2>/dev/null &
sandbox=$!
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
python3 bench/history_bench.py "$bin" "$fill" "$port" single "$dir"
python3 bench/history_bench.py "$bin" "$fill" "$port" concurrent "$dir"
