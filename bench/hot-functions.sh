#!/usr/bin/env bash
# Writes link/hot-functions.txt, the functions of the release binary that its common paths run,
# which build.rs hands to the linker to place first and together. The kernel maps a program's
# code 64 KiB at a time around each page it runs, so scattered functions cost their neighbours'
# pages too: placed together, an idle TUI and `payloads check` touch a fraction of the code.
#
# The paths, in this order (a function is listed once, under the first path that runs it, so
# each path's code sits in as few pages as possible):
#   1. start-up: `--version`, `--help`;
#   2. the TUI on a 1,000-Payload workspace: first paint, a few moves, idle, quit;
#   3. `payloads check` on it;
#   4. the headless refresh + call (`payloads run`) against the built-in sandbox.
#
# Names are the binary's symbols, so they change with the compiler and with the code. A name the
# linker no longer finds is skipped without a word: a stale list costs memory, never a build.
# Re-run this after a toolchain update or a large change, then rebuild (bench/startup.sh shows
# the effect on idle RSS and the `check` peak).
#
# Usage: bench/hot-functions.sh [BIN]   (default: target/release/payloads, built first)
# Needs valgrind (callgrind), tmux and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-}
if [[ -z $bin ]]; then
  nice -n 10 cargo build --release --quiet
  bin=target/release/payloads
fi
bin=$(realpath "$bin")
for tool in valgrind tmux python3; do
  command -v "$tool" > /dev/null || { echo "bench/hot-functions.sh needs $tool" >&2; exit 2; }
done

# Asked before HOME moves to the scratch folder (rustup reads its settings from HOME).
rustc_version=$(rustc --version)
source bench/common.sh
bench_scratch hot
sandbox_workspace 1000 "$port" > "$dir/thousand.ron"
sandbox_workspace 1 "$port" > "$dir/one.ron"

grind() {
  local out=$1; shift
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$dir/$out.cg" "$bin" "$@" \
    > /dev/null 2>&1 || true
}

# 1. Start-up.
grind version --version
grind help --help

# 2. The TUI, in a 120x40 tmux pane: wait for the first frame, move, sit idle, quit.
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 \
  "valgrind --tool=callgrind --demangle=no --callgrind-out-file=$dir/tui.cg $bin --workspace $dir/thousand.ron 2> /dev/null"
wait_for() {
  for _ in $(seq 600); do
    tmux -L "$sock" capture-pane -p 2> /dev/null | grep -q "$1" && return 0
    sleep 0.1
  done
  echo "bench/hot-functions.sh: the TUI never showed '$1'" >&2
  exit 1
}
wait_for "List contacts 0001"
for key in j j k Tab Tab Tab Tab; do tmux -L "$sock" send-keys "$key"; done
sleep 3
tmux -L "$sock" send-keys q
for _ in $(seq 600); do [[ -s $dir/tui.cg ]] && break; sleep 0.1; done
tmux -L "$sock" kill-server 2> /dev/null || true

# 3. `check`.
grind check --workspace "$dir/thousand.ron" check

# 4. The headless refresh + call (the token request, the save, both Jobs recorded).
"$bin" sandbox --port "$port" > /dev/null 2>&1 &
sandbox=$!
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break; sleep 0.05; done
grind run --workspace "$dir/one.ron" run p1

mkdir -p link
python3 - "$bin" "$dir" version help tui check run > link/hot-functions.txt <<'PY'
import os, re, sys
binary, folder, paths = os.path.realpath(sys.argv[1]), sys.argv[2], sys.argv[3:]
seen = set()
for path in paths:
    names, objects, current_ob = {}, {}, None
    ran = []
    with open(os.path.join(folder, path + ".cg")) as f:
        for line in f:
            m = re.match(r"^(c?ob|c?fn|c?fi|c?fe)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if not m:
                continue
            kind, ident, name = m.groups()
            table = objects if kind.endswith("ob") else names
            if name is not None:
                table[(kind.lstrip("c"), ident)] = name
            if kind == "ob":
                current_ob = objects.get(("ob", ident))
            elif kind == "fn" and current_ob and os.path.realpath(current_ob) == binary:
                symbol = names.get(("fn", ident), "")
                # Symbols only: callgrind's own labels ("(below main)", bare addresses) are not.
                if re.match(r"^[A-Za-z_][A-Za-z0-9_$.]*$", symbol) and symbol not in seen:
                    seen.add(symbol)
                    ran.append(symbol)
    # Sorted within a path (their order there does not matter), so a new list differs from the
    # old one only where the code did.
    print("\n".join(sorted(ran)))
    print(f"{path}: {len(ran)} functions", file=sys.stderr)
PY
echo "wrote link/hot-functions.txt ($(wc -l < link/hot-functions.txt) functions, $(wc -c < link/hot-functions.txt) bytes)" >&2
# The stamp build.rs compares: the names change with the compiler and with Cargo.lock.
python3 - "$rustc_version" > link/hot-functions.stamp <<'PY'
import sys
hash = 0xcbf29ce484222325
for byte in open("Cargo.lock", "rb").read():
    hash = ((hash ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
print(sys.argv[1].strip())
print(f"Cargo.lock {hash:016x}")
PY
