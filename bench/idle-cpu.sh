#!/usr/bin/env bash
# The TUI with a 1 MiB body open in a Job's detail, left alone: CPU used and bytes written to the
# terminal over IDLE seconds with no key pressed (/proc/PID/stat, and tmux pipe-pane), then how
# long a key takes to show (Esc back to the main screen, G to the end of the body), polled from
# tmux at 5 ms. Runs the release binary in its own tmux server against `payloads sandbox`.
# Usage: bench/idle-cpu.sh [BIN] [IDLE_SECONDS]   (BIN: target/release/payloads)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/payloads}")
idle=${2:-10}
[ -x "$bin" ] || { echo "no $bin: cargo build --release first" >&2; exit 2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
sock=payloads-idle-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; kill "$sandbox" 2>/dev/null || true; rm -rf "$dir"' EXIT
cat > "$dir/workspace.ron" <<RON
(
    integrations: [(id: "sbx", name: "Sandbox", base_url: "http://127.0.0.1:$port")],
    payloads: [
        (id: "large", name: "Large", integration: "sbx", kind: Callout, method: GET,
         endpoint: "/api/large?bytes=1048576"),
    ],
)
RON
"$bin" sandbox --port "$port" >/dev/null 2>&1 &
sandbox=$!
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done

screen() { tmux -L "$sock" capture-pane -p -t idle; }
# Waits (at most 30 s) for the screen to hold $1; prints the milliseconds it took.
wait_for() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq 6000); do
    local now
    now=$(screen)
    if [[ $now == *"$1"* ]]; then
      end=$(date +%s%N); echo $(((end - start) / 1000000)); return 0
    fi
    sleep 0.005
  done
  echo "timed out waiting for: $1" >&2; screen >&2; exit 1
}

tmux -L "$sock" new-session -d -s idle -x 120 -y 40 -c "$dir" \
  "env PAYLOADS_LOG_DIR=$dir/logs TERM=xterm-256color $bin --workspace $dir/workspace.ron"
pid=$(tmux -L "$sock" list-panes -t idle -F '#{pane_pid}')
wait_for "Integrations (1)" >/dev/null
tmux -L "$sock" send-keys -t idle BTab BTab r
wait_for "succeeded" >/dev/null
tmux -L "$sock" send-keys -t idle Tab Enter
wait_for "Esc back" >/dev/null
# Let the open settle (the Job's full record is read from the history), then measure.
sleep 1

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# What the program writes to its terminal, as tmux receives it (not the log or the database).
tmux -L "$sock" pipe-pane -t idle -o "cat >> $dir/pane.out"
sleep 0.2
written() { stat -c %s "$dir/pane.out" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)
t0=$(ticks); w0=$(written); s0=$(date +%s%N)
sleep "$idle"
t1=$(ticks); w1=$(written); s1=$(date +%s%N)
wall_ms=$(((s1 - s0) / 1000000))
cpu_ms=$(((t1 - t0) * 1000 / hz))

# Keys: G (to the end of the 1 MiB body), then Esc (back to the main screen).
tmux -L "$sock" send-keys -t idle G
g_ms=$(wait_for 'x"')
tmux -L "$sock" send-keys -t idle Escape
esc_ms=$(wait_for "Integrations (1)")
w2=$(written)
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")

printf '%-46s %s\n' "binary" "$bin"
printf '%-46s %d ms of %d ms = %s%% of a core\n' "CPU while idle, 1 MiB body open" \
  "$cpu_ms" "$wall_ms" "$(awk -v c="$cpu_ms" -v w="$wall_ms" 'BEGIN {printf "%.2f", 100 * c / w}')"
printf '%-46s %d bytes\n' "written to the terminal while idle" "$((w1 - w0))"
printf '%-46s %d ms (tmux polled every 5 ms)\n' "G: end of the body on screen" "$g_ms"
printf '%-46s %d ms (tmux polled every 5 ms)\n' "Esc: main screen back" "$esc_ms"
printf '%-46s %d bytes (the probe sees frames)\n' "written for G and Esc" "$((w2 - w1))"
printf '%-46s %d KiB\n' "RSS after" "$rss"
