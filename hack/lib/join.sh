# shellcheck shell=bash
# Joining a node to a Skiff control plane: the one piece of code that hack/local-cluster.sh (a node is a
# network namespace on this machine) and hack/provision.sh (a node is a Vagrant VM) both run, so the path
# the e2e test exercises is the path a provisioned VM takes. Sourced after hack/lib/log.sh, never run.
#
#   skiff_join_node --server URL --token TOKEN --ca-cert-hash sha256:HEX \
#                   --node-name NAME --node-ip IP --data-dir DIR --pod-logs-dir DIR --docker-socket PATH \
#                   [--skiff CMD]              how to run skiff (default: node "$ROOT/dist/skiff.js")
#                   [--netns NAME]             run the agent inside /var/run/netns/NAME (nsenter --net)
#                   [--log FILE --pidfile FILE] run detached with this log and pid file (default)
#                   [--systemd UNIT]           run as the systemd unit UNIT instead (on a VM)
#                   [--timeout SECONDS]        how long to wait for the join (default 120)
#                   [-- EXTRA-AGENT-FLAGS...]
#
# It starts `skiff agent --server … --token-file … --ca-cert-hash …` (the agent pins the CA, sends a CSR with the
# token, and writes <data-dir>/kubelet.kubeconfig), then waits until that kubeconfig exists. A node whose
# data dir already holds a kubelet.kubeconfig restarts with it: its token may have expired since.
# The token is never printed, and never written anywhere but a 0600 file in the node's data dir.

# Prints the agent's command-line flags, one per line (used to build both ways of running it).
skiff_join_agent_flags() {
  local server=$1 hash=$2 name=$3 ip=$4 data=$5 logs=$6 docker=$7
  shift 7
  if [ -f "$data/kubelet.kubeconfig" ]; then
    printf '%s\n' --kubeconfig "$data/kubelet.kubeconfig"
  else
    # The token file, not --token: a command line is visible to every user in `ps`.
    printf '%s\n' --server "$server" --token-file "$data/bootstrap-token" --ca-cert-hash "$hash"
  fi
  printf '%s\n' --node-name "$name" --node-ip "$ip" --data-dir "$data" --pod-logs-dir "$logs" \
    --docker-socket "$docker" "$@"
}

skiff_join_node() {
  local server="" token="" hash="" name="" ip="" data="" logs="" docker="/var/run/docker.sock"
  local skiff="" netns="" log="" pidfile="" unit="" timeout=120
  local extra=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --server) server=$2; shift 2 ;;
      --token) token=$2; shift 2 ;;
      --ca-cert-hash) hash=$2; shift 2 ;;
      --node-name) name=$2; shift 2 ;;
      --node-ip) ip=$2; shift 2 ;;
      --data-dir) data=$2; shift 2 ;;
      --pod-logs-dir) logs=$2; shift 2 ;;
      --docker-socket) docker=$2; shift 2 ;;
      --skiff) skiff=$2; shift 2 ;;
      --netns) netns=$2; shift 2 ;;
      --log) log=$2; shift 2 ;;
      --pidfile) pidfile=$2; shift 2 ;;
      --systemd) unit=$2; shift 2 ;;
      --timeout) timeout=$2; shift 2 ;;
      --) shift; extra=("$@"); break ;;
      *) fail "skiff_join_node: unknown argument $1" ;;
    esac
  done
  [ -n "$name" ] && [ -n "$ip" ] && [ -n "$data" ] && [ -n "$logs" ] || fail "skiff_join_node: --node-name, --node-ip, --data-dir and --pod-logs-dir are required"
  if [ ! -f "$data/kubelet.kubeconfig" ]; then
    [ -n "$server" ] && [ -n "$token" ] && [ -n "$hash" ] || fail "skiff_join_node $name: --server, --token and --ca-cert-hash are required to join"
  fi
  [ -n "$skiff" ] || skiff="node $ROOT/dist/skiff.js"
  mkdir -p "$data" "$logs"
  # Kept beside the node's private key, with the same mode: a restarted agent that still has to join reads it again.
  if [ -n "$token" ]; then (umask 077 && printf '%s\n' "$token" >"$data/bootstrap-token"); fi

  local flags cmd=()
  mapfile -t flags < <(skiff_join_agent_flags "$server" "$hash" "$name" "$ip" "$data" "$logs" "$docker" "${extra[@]}")
  [ -n "$netns" ] && cmd+=(nsenter "--net=/var/run/netns/$netns")
  # shellcheck disable=SC2206 # --skiff is a command line ("node /path/skiff.js"), split on purpose
  cmd+=($skiff agent)

  if [ -n "$unit" ]; then
    skiff_join_systemd_unit "$unit" "$name" "${cmd[@]}" "${flags[@]}"
  else
    [ -n "$log" ] && [ -n "$pidfile" ] || fail "skiff_join_node $name: --log and --pidfile are required without --systemd"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      info "agent $name already running (pid $(cat "$pidfile"))"
      return 0
    fi
    mkdir -p "$(dirname "$log")" "$(dirname "$pidfile")"
    # Detached from this shell (its own session) so it outlives the script.
    setsid nohup "${cmd[@]}" "${flags[@]}" >>"$log" 2>&1 </dev/null &
    echo $! >"$pidfile"
  fi
  skiff_join_wait "$name" "$data" "$timeout" "$pidfile" "$unit" "$log"
}

# Waits until the agent has its node credentials (the join finished), or fails with the agent's log.
skiff_join_wait() {
  local name=$1 data=$2 timeout=$3 pidfile=$4 unit=$5 log=$6 i
  for ((i = 0; i < timeout; i++)); do
    [ -f "$data/kubelet.kubeconfig" ] && { info "node $name joined"; return 0; }
    if [ -n "$unit" ]; then
      systemctl is-failed --quiet "$unit" && { journalctl -u "$unit" -n 20 --no-pager >&2 || true; fail "node $name: the join failed (journalctl -u $unit)"; }
    elif ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -20 "$log" >&2
      fail "node $name: the agent exited before joining (log: $log)"
    fi
    sleep 1
  done
  [ -n "$log" ] && tail -20 "$log" >&2
  fail "node $name did not join in ${timeout}s${log:+ (log: $log)}"
}

# Writes and starts a systemd unit running CMD... (the token is in a file the flags name, never in the unit).
skiff_join_systemd_unit() {
  local unit=$1 name=$2; shift 2
  local exec="" arg
  mkdir -p /etc/systemd/system
  for arg in "$@"; do exec+=" $(printf '%q' "$arg")"; done
  cat >"/etc/systemd/system/$unit.service" <<UNIT
[Unit]
Description=Skiff node agent ($name)
After=network-online.target docker.service
Wants=network-online.target
Requires=docker.service

[Service]
ExecStart=${exec# }
Restart=on-failure
RestartSec=5
KillMode=process

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now "$unit.service" >/dev/null
}
