#!/usr/bin/env bash
# SIGKILL during rotating refreshes: each round starts `payloads refresh` against the sandbox
# (whose refresh tokens are good once), kills it with SIGKILL after a random delay within one
# refresh's span, then runs a refresh that is not killed. If the killed one had redeemed the
# refresh token and its new tokens were lost, that second refresh is refused: a lost token.
#
# Each lost token is classified from the sandbox's log (it logs every rotation by the
# fingerprints of the refresh token it spent and the one it issued) and the client's (it logs
# "token answer read" with its pid the moment a token answer is in its hands):
#   inherent  the sandbox rotated, but the killed client never read its answer: nothing a client
#             can do (the server moved on and the answer died with the process)
#   window    the client read the answer but its new refresh token is nowhere on disk: a window
#             in our code between reading the answer and the journal
#   on-disk   the new refresh token is on disk (journal, temp file) but was not applied: a bug
#   other     no rotation of the file's refresh token was logged: the refusal has another cause
# Then a full-disk check (a 1 MiB tmpfs filled up, when this user may mount one): a refresh on
# the full disk must not lose the token, and the next refresh once there is room must succeed.
# Counts the temp files (`.workspace.ron.tmp-*`, journals) left at the end.
#
# Usage: bench/sigkill-refresh.sh [ROUNDS] [PORT]     (defaults: 500, 8791)
#        PROFILE=debug bench/sigkill-refresh.sh       (default: a release build, under nice)
#        BIN=/path/to/payloads bench/sigkill-refresh.sh  (that binary, no build: an older one)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-500}
port=${2:-8791}
profile=${PROFILE:-release}
if [[ -n ${BIN:-} ]]; then
  profile="given ($BIN)"
elif [[ $profile == release ]]; then
  nice cargo build --release --quiet
else
  nice cargo build --quiet
fi
dir=$(mktemp -d)
full=$dir/full
# A copy, so a rebuild while the loop runs cannot swap the binary under it.
cp "${BIN:-target/$profile/payloads}" "$dir/payloads"
bin=$dir/payloads
trap 'kill "$sandbox" 2>/dev/null || true; umount "$full" 2>/dev/null || true; rm -rf "$dir"' EXIT
seed() { # seed FOLDER
cat > "$1/workspace.ron" <<RON
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
# The sha256 part of a token's fingerprint (as `jobs::token_fingerprint` and the logs show it).
fp() { printf '%s' "$1" | sha256sum | cut -c1-8; }
# The refresh token the workspace file in FOLDER holds.
file_rt() { grep -ao 'refresh_token: "sbx_rt\.[^"]*"' "$1/workspace.ron" | head -1 | cut -d'"' -f2; }
# Every sandbox refresh token written anywhere in FOLDER (file, journals, temp files).
disk_rts() { grep -raho 'sbx_rt\.[0-9]*\.[0-9a-f]*\.[0-9a-f]*' "$1" --exclude=payloads --exclude-dir=logs 2>/dev/null | sort -u || true; }
refresh() { "$bin" --workspace "$1/workspace.ron" refresh oauth; }
seed "$dir"
export PAYLOADS_LOG_DIR=$dir/logs
log=$PAYLOADS_LOG_DIR/payloads.log
"$bin" sandbox --port "$port" 2>/dev/null &
sandbox=$!
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
# The first refresh spends the demo seed for a rotating token.
refresh "$dir" > /dev/null 2>&1
# How long one refresh takes here (process start to exit), the quickest of 5 (a busy machine
# makes some slow): kills are spread over that span.
span_us=0
for _ in 1 2 3 4 5; do
  t0=$(date +%s%N)
  refresh "$dir" > /dev/null 2>&1
  took=$(( ($(date +%s%N) - t0) / 1000 ))
  if (( span_us == 0 || took < span_us )); then span_us=$took; fi
done
echo "$profile build: one refresh takes about $((span_us / 1000)) ms; each kill lands at a random point of the last unkilled refresh's span" >&2
lost=0 recovered=0 finished=0 inherent=0 window=0 ondisk=0 other=0
start=$(date +%s)
for i in $(seq "$rounds"); do
  before=$(file_rt "$dir")
  # The binary itself, not the `refresh` function: `$!` must be the process that gets the kill.
  "$bin" --workspace "$dir/workspace.ron" refresh oauth > /dev/null 2>&1 &
  victim=$!
  sleep "$(awk -v us=$(( (RANDOM * 32768 + RANDOM) % span_us )) 'BEGIN { printf "%.6f", us / 1e6 }')"
  if kill -9 "$victim" 2>/dev/null; then :; else finished=$((finished + 1)); fi
  wait "$victim" 2>/dev/null || true
  if (( i % 50 == 0 )); then echo "round $i: $lost lost, $recovered recovered" >&2; fi
  t0=$(date +%s%N)
  if ! out=$(refresh "$dir" 2>&1); then
    lost=$((lost + 1))
    issued=$(grep -a "sandbox rotated a refresh token" "$log" | grep -a "redeemed=[^ ]* sha256:$(fp "$before")" \
      | grep -ao 'issued=[^ ]* sha256:[0-9a-f]*' | grep -ao '[0-9a-f]\{8\}$' | tail -1 || true)
    class=other
    if [[ -n $issued ]]; then
      class=inherent
      if grep -aq "token answer read pid=$victim " "$log"; then class=window; fi
      while read -r rt; do
        if [[ -n $rt && $(fp "$rt") == "$issued" ]]; then class=on-disk; fi
      done <<< "$(disk_rts "$dir")"
    fi
    case $class in
      inherent) inherent=$((inherent + 1)) ;; window) window=$((window + 1)) ;;
      on-disk) ondisk=$((ondisk + 1)) ;; *) other=$((other + 1)) ;;
    esac
    echo "round $i: token lost ($class; killed pid $victim): $(echo "$out" | tail -1)" >&2
    seed "$dir"
    refresh "$dir" > /dev/null 2>&1
  elif grep -q "applied the tokens of an unfinished refresh" <<< "$out"; then
    recovered=$((recovered + 1))
  fi
  # The next kill is spread over how long this refresh took: on a machine whose load changes,
  # kills keep landing all along a refresh, its token request included.
  span_us=$(( ($(date +%s%N) - t0) / 1000 ))
done
leftover=$(find "$dir" -maxdepth 1 \( -name '.workspace.ron.tmp-*' -o -name '*.journal' -o -name '*journal-tmp' -o -name '*.journal-unreadable' \) | wc -l)
echo "rounds: $rounds  SIGKILLs: $((rounds - finished)) (the other refreshes had ended)  lost tokens: $lost (inherent: $inherent, window in our code: $window, on disk but not applied: $ondisk, other: $other)  recovered from the journal: $recovered  leftover temp/journal files: $leftover  seconds: $(( $(date +%s) - start ))"

# The full disk: a refresh whose tokens cannot be written must not spend the refresh token for
# nothing, and must leave no temp file.
mkdir -p "$full"
if mount -t tmpfs -o size=1m tmpfs "$full" 2>/dev/null; then
  seed "$full"
  refresh "$full" > /dev/null 2>&1
  dd if=/dev/zero of="$full/filler" bs=4k 2>/dev/null || true
  if out=$(refresh "$full" 2>&1); then full_run="succeeded"; else full_run="failed: $(echo "$out" | tail -1)"; fi
  rm -f "$full/filler"
  if refresh "$full" > /dev/null 2>&1; then kept="kept"; else kept="LOST"; fi
  full_left=$(find "$full" -maxdepth 1 \( -name '.workspace.ron.tmp-*' -o -name '*.journal' \) | wc -l)
  echo "full disk: the refresh on the full disk $full_run; the token was $kept (the next refresh with room); leftover temp/journal files: $full_left"
  umount "$full"
else
  echo "full disk: skipped (this user cannot mount a tmpfs)"
fi
