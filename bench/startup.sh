#!/usr/bin/env bash
# Startup and idle cost of Payloads on this machine, in one table (medians):
#   - the headless refresh + call (`payloads run`) against the built-in sandbox on a free
#     loopback port; each run starts from a blank access token, so it requests a token, saves
#     it to the workspace file (token journal fsynced) and records both Jobs. Two rows: with the
#     Jobs history already there (any run but a workspace's first) and with none (the first run,
#     which creates the database);
#   - TUI first paint and idle RSS on 1 and 1,000 Payloads, `less` on the 1,000-Payload file as
#     the floor (first paint: from fork to the frame's last row on a 120x40 pseudo-terminal;
#     idle RSS: in a 120x40 tmux pane, after the program has sat idle);
#   - `payloads check` time and peak RSS (GNU time), `--version` peak RSS as the floor.
#
# Usage: [SLUMBER=/path/to/slumber] bench/startup.sh [--runs N] [BIN...]
#   BIN: the binaries to compare, one column each (say a build of main and one of a branch);
#   default target/release/payloads, built first (`cargo build --release` under nice).
#   SLUMBER: a Slumber binary (5.x) for one more column, on an equivalent collection: the token
#   request chained into the business call (`response('token', trigger='always')`), run with
#   `slumber request`, and its TUI on 1 and 1,000 recipes. Only used when given; never built here.
# Needs python3, tmux and GNU time (/usr/bin/time); hyperfine when installed, else a timed loop.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20
bins=()
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) bins+=("$(realpath "$1")"); shift ;;
  esac
done
if ((${#bins[@]} == 0)); then
  nice -n 10 cargo build --release --quiet
  bins=("$PWD/target/release/payloads")
fi
for tool in python3 tmux /usr/bin/time less; do
  command -v "$tool" > /dev/null || { echo "bench/startup.sh needs $tool" >&2; exit 2; }
done

source bench/common.sh
bench_scratch bench
sandbox_workspace 1 "$port" > "$dir/one.ron"
sandbox_workspace 1000 "$port" > "$dir/thousand.ron"
cp "$dir/one.ron" "$dir/blank.ron"

# The same for Slumber: N recipes whose Bearer token is the answer of the token recipe, which
# `trigger='always'` requests anew before each call (as a blank token makes Payloads do).
collection() {
  local n=$1
  cat <<YAML
profiles:
  sbx:
    name: Sandbox
    default: true
    data:
      host: http://127.0.0.1:$port
requests:
  token:
    name: Token request
    method: POST
    url: "{{ host }}/oauth/token"
    body:
      type: form_urlencoded
      data:
        grant_type: client_credentials
        client_id: demo-client
        client_secret: demo-secret
YAML
  for i in $(seq -w 1 "$n"); do
    printf '  p%s:\n    name: List contacts %s\n    method: GET\n' "$i" "$i"
    printf '    url: "{{ host }}/api/contacts"\n'
    printf '    authentication:\n      type: bearer\n'
    printf "      token: \"{{ response('token', trigger='always') | jsonpath('\$.access_token') }}\"\n"
  done
}
slumber=
if [[ -n ${SLUMBER:-} ]]; then
  slumber=$(realpath "$SLUMBER")
  [[ -x $slumber ]] || { echo "SLUMBER=$SLUMBER is not an executable" >&2; exit 2; }
  collection 1 > "$dir/one.yml"
  collection 1000 > "$dir/thousand.yml"
fi

"${bins[0]}" sandbox --port "$port" > /dev/null 2>&1 &
sandbox=$!
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break; sleep 0.05; done
"${bins[0]}" --workspace "$dir/one.ron" check > /dev/null

# First paint: fork a program on a fresh 120x40 pseudo-terminal, time until `marker` (text of
# the frame's last row) has been written, then stop it. Prints the median in ms.
cat > "$dir/paint.py" <<'PY'
import fcntl, os, pty, select, signal, statistics, struct, sys, termios, time
runs, marker, argv = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3:]
times = []
for _ in range(runs):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.environ["TERM"] = "xterm-256color"
        os.execvp(argv[0], argv)
    seen, ended = b"", None
    while ended is None:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            sys.exit(f"no first paint within 10 s: {argv}")
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            sys.exit(f"exited before painting: {argv}")
        seen = (seen + chunk)[-4096:]
        if marker in seen:
            ended = time.perf_counter()
    times.append((ended - start) * 1000)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
print(f"{statistics.median(times):.1f}")
PY
paint() { python3 "$dir/paint.py" "$runs" "$@"; }

# Idle RSS in a 120x40 tmux pane: started, left idle for 2 s, VmRSS read. Prints MB.
idle_rss() {
  tmux -L "$sock" kill-server 2> /dev/null || true
  tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 "$*"
  local pid
  pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
  sleep 2
  awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"
  tmux -L "$sock" kill-server 2> /dev/null || true
}

# Median wall time of a command in ms, `prepare` run before each (hyperfine when installed).
timed() {
  local prepare=$1; shift
  if command -v hyperfine > /dev/null; then
    hyperfine --style none --runs "$runs" --warmup 3 -N --prepare "$prepare" \
      --export-json "$dir/h.json" "$(printf '%q ' "$@")" > /dev/null 2>&1
    python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$dir/h.json"
  else
    python3 - "$runs" "$prepare" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, prepare, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = []
for _ in range(runs):
    subprocess.run(prepare, shell=True, check=True)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.1f}")
PY
  fi
}
peak_rss() {
  /usr/bin/time -f %M -o "$dir/time" "$@" > /dev/null 2>&1 || true
  awk '{ printf "%.1f", $1 / 1024 }' "$dir/time"
}

# ratatui ends each frame it draws by resetting colours and attributes (the first frame is the
# whole screen); `less` ends its first screen with the file's name in the prompt.
footer=$'\e[59m\e[0m'

declare -A cell
cols=("${!bins[@]}")
for b in "${!bins[@]}"; do
  bin=${bins[$b]}
  ws=$dir/run-$b.ron
  # Each run starts from the blank token (a file: hyperfine -N runs `--prepare` without a
  # shell too); `new` also removes the Jobs history, so the run creates it.
  printf 'cp %q %q\n' "$dir/blank.ron" "$ws" > "$dir/reset-$b.sh"
  printf 'cp %q %q && rm -rf %q/run-%s.jobs*\n' "$dir/blank.ron" "$ws" "$dir" "$b" > "$dir/new-$b.sh"
  reset="sh $dir/reset-$b.sh"
  new="sh $dir/new-$b.sh"
  $new
  "$bin" --workspace "$ws" run p1 > /dev/null 2>&1 || { echo "$bin: run p1 failed" >&2; exit 1; }
  cell[run,$b]="$(timed "$reset" "$bin" --workspace "$ws" run p1) ms"
  cell[runnew,$b]="$(timed "$new" "$bin" --workspace "$ws" run p1) ms"
  cell[paint1,$b]="$(paint "$footer" "$bin" --workspace "$dir/one.ron") ms"
  cell[paint1000,$b]="$(paint "$footer" "$bin" --workspace "$dir/thousand.ron") ms"
  cell[rss1,$b]="$(idle_rss "$bin" --workspace "$dir/one.ron") MB"
  cell[rss1000,$b]="$(idle_rss "$bin" --workspace "$dir/thousand.ron") MB"
  cell[check,$b]="$(timed true "$bin" --workspace "$dir/one.ron" check) ms, $(peak_rss "$bin" --workspace "$dir/one.ron" check) MB peak"
  cell[version,$b]="$(peak_rss "$bin" --version) MB peak"
done
if [[ -n $slumber ]]; then
  # Slumber keeps its history and state in its data directory under $HOME (the temp dir); the
  # CLI records nothing unless asked (`--persist`), so both of its rows are the same run.
  cols+=(slumber)
  "$slumber" -f "$dir/one.yml" request p1 > /dev/null 2>&1 || { echo "$slumber: request p1 failed" >&2; exit 1; }
  cell[run,slumber]="$(timed true "$slumber" -f "$dir/one.yml" request p1) ms (saves nothing)"
  cell[runnew,slumber]="–"
  cell[paint1,slumber]="$(paint "$footer" "$slumber" -f "$dir/one.yml") ms"
  cell[paint1000,slumber]="$(paint "$footer" "$slumber" -f "$dir/thousand.yml") ms"
  cell[rss1,slumber]="$(idle_rss "$slumber" -f "$dir/one.yml") MB"
  cell[rss1000,slumber]="$(idle_rss "$slumber" -f "$dir/thousand.yml") MB"
  cell[check,slumber]="–"
  cell[version,slumber]="$(peak_rss "$slumber" --version) MB peak"
fi
floor_paint="$(paint thousand.ron less "$dir/thousand.ron") ms"
floor_rss="$(idle_rss less "$dir/thousand.ron") MB"

row() {
  local label=$1 key=$2 floor=$3 line
  line="| $label |"
  for b in "${cols[@]}"; do line+=" ${cell[$key,$b]} |"; done
  echo "$line $floor |"
}
header="| $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), $runs runs, medians |"
rule="|---|"
for b in "${cols[@]}"; do
  if [[ $b == slumber ]]; then
    header+=" $("$slumber" --version 2> /dev/null | head -n 1 || echo slumber) |"
  else
    header+=" $(basename "$(dirname "${bins[$b]}")")/$(basename "${bins[$b]}") |"
  fi
  rule+="---|"
done
echo "$header floor |"
echo "$rule---|"
row "headless refresh + call (token saved, 2 Jobs)" run "–"
row "the same, first run (creates the Jobs history)" runnew "–"
row "TUI first paint, 1 Payload" paint1 "–"
row "TUI first paint, 1,000 Payloads" paint1000 "\`less\` $floor_paint"
row "TUI idle RSS, 1 Payload" rss1 "–"
row "TUI idle RSS, 1,000 Payloads" rss1000 "\`less\` $floor_rss"
row "\`payloads check\`, 1 Payload" check "–"
row "\`payloads --version\`" version "–"
