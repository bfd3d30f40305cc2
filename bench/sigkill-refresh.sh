#!/usr/bin/env bash
# SIGKILL during rotating refreshes: each round starts `payloads refresh` against the sandbox
# (whose refresh tokens are good once), kills it with SIGKILL after a random 0-80 ms, then runs
# a refresh that is not killed. If the killed one had redeemed the refresh token and its new
# tokens were lost, that second refresh is refused: a lost token. Counts lost tokens and the
# temp files (`.workspace.ron.tmp-*`, journals) left at the end.
# Usage: bench/sigkill-refresh.sh [ROUNDS] [PORT]     (defaults: 500, 8791)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-500}
port=${2:-8791}
cargo build --quiet
dir=$(mktemp -d)
# A copy, so a rebuild while the loop runs cannot swap the binary under it.
cp target/debug/payloads "$dir/payloads"
bin=$dir/payloads
trap 'kill "$sandbox" 2>/dev/null || true; rm -rf "$dir"' EXIT
seed() {
cat > "$dir/workspace.ron" <<RON
(
    integrations: [(id: "sbx", name: "Sandbox", base_url: "http://127.0.0.1:$port")],
    credentials: [
        (id: "oauth", name: "OAuth", integration: "sbx", auth: BearerToken(
            client_id: "demo-client", client_secret: "demo-secret",
            refresh_token: "sbx_rt.demo-seed", token_payload: "token")),
    ],
    payloads: [
        (id: "token", name: "Token", integration: "sbx", kind: Credential, method: POST,
         endpoint: "/oauth/token", credential: "oauth",
         body: Form([
             (name: "grant_type", value: "refresh_token"),
             (name: "refresh_token", value: "{{credential.refresh_token}}"),
             (name: "client_id", value: "{{credential.client_id}}"),
             (name: "client_secret", value: "{{credential.client_secret}}"),
         ]),
         response: [
             (name: "access_token", source: JsonPath("\$.access_token")),
             (name: "refresh_token", source: JsonPath("\$.refresh_token")),
             (name: "expires_in", source: JsonPath("\$.expires_in")),
         ],
         targets: [
             (value: "access_token", target: Credential(AccessToken)),
             (value: "refresh_token", target: Credential(RefreshToken)),
             (value: "expires_in", target: Credential(ExpiresIn)),
         ]),
    ],
)
RON
}
seed
export PAYLOADS_LOG_DIR=$dir/logs
"$bin" sandbox --port "$port" 2>/dev/null &
sandbox=$!
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
# The first refresh spends the demo seed for a rotating token.
"$bin" --workspace "$dir/workspace.ron" refresh oauth > /dev/null 2>&1
# How long one refresh takes here (process start to exit): kills are spread over that span.
t0=$(date +%s%N)
for _ in 1 2 3 4 5; do "$bin" --workspace "$dir/workspace.ron" refresh oauth > /dev/null 2>&1; done
span_us=$(( ($(date +%s%N) - t0) / 5000 ))
echo "one refresh takes about $((span_us / 1000)) ms; each kill lands at a random point of it" >&2
lost=0
recovered=0
finished=0
start=$(date +%s)
for i in $(seq "$rounds"); do
  "$bin" --workspace "$dir/workspace.ron" refresh oauth > /dev/null 2>&1 &
  victim=$!
  sleep "$(awk -v us=$(( (RANDOM * 32768 + RANDOM) % span_us )) 'BEGIN { printf "%.6f", us / 1e6 }')"
  if kill -9 "$victim" 2>/dev/null; then :; else finished=$((finished + 1)); fi
  wait "$victim" 2>/dev/null || true
  if (( i % 50 == 0 )); then echo "round $i: $lost lost, $recovered recovered" >&2; fi
  if ! out=$("$bin" --workspace "$dir/workspace.ron" refresh oauth 2>&1); then
    lost=$((lost + 1))
    echo "round $i: token lost: $(echo "$out" | tail -1)" >&2
    seed
    "$bin" --workspace "$dir/workspace.ron" refresh oauth > /dev/null 2>&1
  elif grep -q "applied the tokens of an unfinished refresh" <<< "$out"; then
    recovered=$((recovered + 1))
  fi
done
leftover=$(find "$dir" -maxdepth 1 \( -name '.workspace.ron.tmp-*' -o -name '*.journal' -o -name '*journal-tmp' \) | wc -l)
echo "rounds: $rounds  SIGKILLs: $((rounds - finished)) (the other refreshes had ended)  lost tokens: $lost  recovered from the journal: $recovered  leftover temp/journal files: $leftover  seconds: $(( $(date +%s) - start ))"
