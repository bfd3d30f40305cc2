#!/usr/bin/env bash
# Peak memory of `payloads run` against responses of growing size: the kept body is capped at
# 1 MiB and the rest is drained, so the peak should stay flat. Needs GNU time (/usr/bin/time).
# Usage: bench/large-response-memory.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8790}
cargo build --quiet
bin=$PWD/target/debug/payloads
dir=$(mktemp -d)
trap 'kill "$sandbox" 2>/dev/null || true; rm -rf "$dir"' EXIT
cat > "$dir/workspace.ron" <<RON
(
    integrations: [(id: "sbx", name: "Sandbox", base_url: "http://127.0.0.1:$port")],
    payloads: [
        (id: "large", name: "Large", integration: "sbx", kind: Callout, method: GET,
         endpoint: "/api/large?bytes={{input.bytes}}", inputs: [(name: "bytes")]),
    ],
)
RON
"$bin" sandbox --port "$port" 2>/dev/null &
sandbox=$!
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
printf '%12s %12s %10s\n' "body bytes" "peak RSS KiB" "seconds"
for bytes in 1024 1048576 10485760 52428800 104857600; do
  /usr/bin/time -f "%M %e" -o "$dir/time" "$bin" --workspace "$dir/workspace.ron" \
    run large --input bytes=$bytes > /dev/null 2>&1
  read -r rss secs < "$dir/time"
  printf '%12s %12s %10s\n' "$bytes" "$rss" "$secs"
done
