# Sourced by the bench scripts.

# bench_scratch NAME: a temporary folder ($dir) for everything the run writes, removed on exit
# with the tmux server $sock and the sandbox $sandbox (when one was started); HOME, the state
# folder and the logs point into it, so nothing of the user's is touched; $port is a free
# loopback port.
bench_scratch() {
  dir=$(mktemp -d)
  sock="payloads-$1-$$"
  sandbox=
  trap bench_cleanup EXIT
  export HOME=$dir XDG_STATE_HOME=$dir/state PAYLOADS_LOG_DIR=$dir/log
  unset PAYLOADS_WORKSPACE
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
}

bench_cleanup() {
  [[ -n $sandbox ]] && kill "$sandbox" 2> /dev/null || true
  tmux -L "$sock" kill-server 2> /dev/null || true
  rm -rf "$dir"
}

# `sandbox_workspace N PORT` prints a workspace of N Callout
# Payloads against the sandbox on 127.0.0.1:PORT, all behind one Bearer Token Credential whose
# token is blank (so a run requests one first).
sandbox_workspace() {
  local n=$1 port=$2
  printf '(\n    integrations: [(id: "sbx", name: "Sandbox", base_url: "http://127.0.0.1:%s")],\n' "$port"
  cat <<'RON'
    credentials: [
        (id: "oauth", name: "Sandbox OAuth", integration: "sbx",
         auth: BearerToken(client_id: "demo-client", client_secret: "demo-secret",
             access_token: "", refresh_token: "", access_token_duration_minutes: 5,
             token_payload: "token")),
    ],
    payloads: [
        (id: "token", name: "Token request", integration: "sbx", kind: Credential,
         method: POST, endpoint: "/oauth/token", credential: "oauth",
         body: Form([(name: "grant_type", value: "client_credentials"),
                     (name: "client_id", value: "demo-client"),
                     (name: "client_secret", value: "demo-secret")]),
         response: [(name: "access_token", source: JsonPath("$.access_token")),
                    (name: "expires_in", source: JsonPath("$.expires_in"))],
         targets: [(value: "access_token", target: Credential(AccessToken)),
                   (value: "expires_in", target: Credential(ExpiresIn))]),
RON
  for i in $(seq -w 1 "$n"); do
    printf '        (id: "p%s", name: "List contacts %s", integration: "sbx", kind: Callout,\n' "$i" "$i"
    printf '         method: GET, endpoint: "/api/contacts", credential: "oauth"),\n'
  done
  printf '    ],\n)\n'
}
