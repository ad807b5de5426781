#!/usr/bin/env bash
# A Skiff cluster of a control plane and N nodes on this one machine:
#
#   hack/local-cluster.sh up N         start (or complete) a cluster of nodes node1..nodeN
#   hack/local-cluster.sh status       what runs, and kubectl get nodes
#   hack/local-cluster.sh stop-node I  stop node I's agent and Docker engine (its namespace stays)
#   hack/local-cluster.sh down         stop everything and remove everything `up` made
#
# Each node is a network namespace skiff-lc-node<i> with a veth to the host bridge skiff-lc0 (10.250.0.1/24),
# address 10.250.0.(10+i)/24 and no default route, so nothing a node sends can leave toward the machine's
# default route. Each node runs its own dockerd inside its namespace (nsenter --net, never `ip netns exec`,
# which remounts /sys and breaks dockerd) with its own data-root, exec-root and socket, loaded with the
# local images; and its own agent, joined with a bootstrap token through hack/lib/join.sh, the same code a
# Vagrant VM runs (hack/provision.sh). The control plane listens on the bridge address 10.250.0.1:6443.
# State and logs: /var/lib/skiff-lc, /run/skiff-lc. `up` twice is harmless: what runs is left running.
#
# Environment:
#   SKIFF_LC_TOLERATION_SECONDS  the server's default not-ready/unreachable tolerations (default 300)
#   SKIFF_LC_PROXY_MODE          the agents' service proxy: iptables (default) or nftables
#   SKIFF_LC_SKIP_BUILD=1        do not run the TypeScript build (hack/test.sh has built already)
#   SKIFF_LC_SKIP_PREPARE=1      do not check the machine (packages, host engine, images, kubectl)
#   SKIFF_LC_ENTRY=FILE          run this build of skiff.js instead of dist/skiff.js (implies SKIP_BUILD)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/hack/lib/log.sh"
source "$ROOT/hack/lib/machine.sh"
source "$ROOT/hack/lib/join.sh"

LC_STATE=/var/lib/skiff-lc
LC_RUN=/run/skiff-lc
LC_LOGS=$LC_STATE/logs
LC_BRIDGE="skiff-lc0"
LC_HOST_IP=10.250.0.1
LC_PREFIX=24
LC_PORT=6443
LC_NETNS_PREFIX="skiff-lc-node"
LC_CLUSTER_CIDR=10.244.0.0/16
LC_SERVICE_CIDR=10.96.0.0/12
LC_SERVER_DIR=$LC_STATE/server
LC_KUBECONFIG=$LC_SERVER_DIR/admin.kubeconfig
LC_IMAGES=(skiff/pause:v1 skiff/busybox:v1)
# Marks the host iptables rules this script owns, so `down` removes exactly those.
LC_RULE_COMMENT="skiff-local-cluster"
SKIFF_NODE_BIN=$(command -v node)
SKIFF_ENTRY=${SKIFF_LC_ENTRY:-$ROOT/dist/skiff.js}

node_netns() { echo "$LC_NETNS_PREFIX$1"; }
node_ip() { echo "10.250.0.$((10 + $1))"; }
node_veth() { echo "skiff-lc-v$1"; }
node_state() { echo "$LC_STATE/node$1"; }
node_run() { echo "$LC_RUN/node$1"; }
node_docker_sock() { echo "$(node_run "$1")/docker.sock"; }
# Docker's default bridge in each node, for sandboxes made before the node has a podCIDR: distinct per node
# and outside the cluster CIDR, so it never collides with a pod network.
node_bip() { echo "10.250.$((100 + $1)).1/24"; }
# `docker info` exits 0 without a server here (Docker 20.10's client); `version` asks the server.
node_engine_ready() { node_docker "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
node_docker() { local i=$1; shift; docker -H "unix://$(node_docker_sock "$i")" "$@"; }
lc_pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
kc() { "$SKIFF_KUBECTL" --kubeconfig "$LC_KUBECONFIG" "$@"; }
skiff_cmd() { "$SKIFF_NODE_BIN" "$SKIFF_ENTRY" "$@"; }

# Nodes that exist in any form (namespace, state dir or run dir), for status, stop and down.
known_nodes() {
  {
    ip netns list 2>/dev/null | awk '{print $1}' | sed -n "s/^$LC_NETNS_PREFIX\([0-9]\+\)$/\1/p"
    ls -d "$LC_STATE"/node* "$LC_RUN"/node* 2>/dev/null | sed -n 's|.*/node\([0-9]\+\)$|\1|p'
    ip -o link show 2>/dev/null | sed -n 's/^[0-9]*: skiff-lc-v\([0-9]\+\)[@:].*/\1/p'
  } | sort -un
}

# ---------------------------------------------------------------------------------------------- network

# The iptables commands whose filter table exists on the host (listing through *-save creates nothing).
host_iptables_backends() {
  local ipt found=0
  for ipt in iptables-legacy iptables-nft; do
    command -v "$ipt" >/dev/null 2>&1 || continue
    if "$ipt-save" -t filter 2>/dev/null | grep -q '^:FORWARD'; then echo "$ipt"; found=1; fi
  done
  [ "$found" = 1 ] || echo iptables
}

ensure_bridge() {
  if ! ip link show "$LC_BRIDGE" >/dev/null 2>&1; then
    step "Creating the bridge $LC_BRIDGE ($LC_HOST_IP/$LC_PREFIX)"
    ip link add "$LC_BRIDGE" type bridge
  fi
  [[ "$(ip addr show dev "$LC_BRIDGE")" == *"inet $LC_HOST_IP/$LC_PREFIX "* ]] || ip addr add "$LC_HOST_IP/$LC_PREFIX" dev "$LC_BRIDGE"
  ip link set "$LC_BRIDGE" up
  # Frames between two nodes cross the host bridge; with br_netfilter loaded (Docker loads it) they pass
  # the host's FORWARD chain, whose policy Docker sets to DROP. Accept bridge-to-bridge traffic only, in
  # every iptables backend that has a FORWARD chain: an engine started before the switch to legacy keeps
  # its nft rules, and both backends' hooks see every bridged packet.
  local ipt
  for ipt in $(host_iptables_backends); do
    "$ipt" -C FORWARD -i "$LC_BRIDGE" -o "$LC_BRIDGE" -m comment --comment "$LC_RULE_COMMENT" -j ACCEPT 2>/dev/null \
      || "$ipt" -I FORWARD 1 -i "$LC_BRIDGE" -o "$LC_BRIDGE" -m comment --comment "$LC_RULE_COMMENT" -j ACCEPT
  done
  # Bridged traffic needs no forwarding, but Docker and the nodes' pod routes assume it: note the
  # machine's setting before changing it, so `down` restores it.
  if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then
    [ -f "$LC_STATE/host-ip_forward" ] || cat /proc/sys/net/ipv4/ip_forward >"$LC_STATE/host-ip_forward"
    echo 1 >/proc/sys/net/ipv4/ip_forward
    info "enabled net.ipv4.ip_forward (restored by down)"
  fi
}

ensure_node_netns() {
  local i=$1 ns veth ip
  ns=$(node_netns "$i"); veth=$(node_veth "$i"); ip=$(node_ip "$i")
  [ -e "/var/run/netns/$ns" ] || ip netns add "$ns"
  if ! ip link show "$veth" >/dev/null 2>&1; then
    # Created inside-out: the peer is born as eth0 in the node's namespace.
    ip link add "$veth" type veth peer name eth0 netns "$ns"
  fi
  ip link set "$veth" master "$LC_BRIDGE"
  ip link set "$veth" up
  ip -n "$ns" link set lo up
  [[ "$(ip -n "$ns" addr show dev eth0)" == *"inet $ip/$LC_PREFIX "* ]] || ip -n "$ns" addr add "$ip/$LC_PREFIX" dev eth0
  ip -n "$ns" link set eth0 up
  # No default route, on purpose: a node reaches the host and the other nodes (on-link), nothing else.
  ip -n "$ns" route del default 2>/dev/null || true
}

# ------------------------------------------------------------------------------------------ node engine

ensure_node_engine() {
  local i=$1 state run sock log
  state=$(node_state "$i"); run=$(node_run "$i"); sock=$(node_docker_sock "$i"); log=$LC_LOGS/node$i-dockerd.log
  mkdir -p "$state/docker" "$run/docker-exec" "$LC_LOGS"
  if node_engine_ready "$i"; then info "node$i: Docker engine running"; return 0; fi
  if lc_pid_alive "$run/docker.pid"; then
    info "node$i: Docker engine starting (pid $(cat "$run/docker.pid"))"
  else
    step "node$i: starting its Docker engine (log: $log)"
    # iptables stays on: the engine's NAT and the agent's proxy rules live in the node's own namespace.
    setsid nohup nsenter "--net=/var/run/netns/$(node_netns "$i")" dockerd \
      --data-root "$state/docker" --exec-root "$run/docker-exec" --pidfile "$run/docker.pid" \
      -H "unix://$sock" --bip "$(node_bip "$i")" --ip6tables=false --userland-proxy=false \
      >>"$log" 2>&1 </dev/null &
  fi
  local t
  for t in $(seq 1 60); do
    node_engine_ready "$i" && { info "node$i: Docker engine up"; return 0; }
    sleep 1
  done
  tail -20 "$log" >&2
  fail "node$i: dockerd did not become ready in 60s (log: $log)"
}

load_node_images() {
  local i=$1 missing=() image
  for image in "${LC_IMAGES[@]}"; do
    node_docker "$i" image inspect "$image" >/dev/null 2>&1 || missing+=("$image")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "node$i: loading ${missing[*]} from the host engine"
  docker save "${missing[@]}" | node_docker "$i" load >/dev/null
}

# ------------------------------------------------------------------------------------------ control plane

ensure_control_plane() {
  local pidfile=$LC_RUN/server.pid log=$LC_LOGS/server.log
  mkdir -p "$LC_SERVER_DIR" "$LC_RUN" "$LC_LOGS"
  if lc_pid_alive "$pidfile"; then
    info "control plane running (pid $(cat "$pidfile"))"
  else
    local secs=${SKIFF_LC_TOLERATION_SECONDS:-300}
    step "Starting the control plane on $LC_HOST_IP:$LC_PORT (log: $log)"
    # A kubeconfig of an earlier run must not be mistaken for this server being up.
    rm -f "$LC_KUBECONFIG"
    setsid nohup "$SKIFF_NODE_BIN" "$SKIFF_ENTRY" server --data-dir "$LC_SERVER_DIR" \
      --address "$LC_HOST_IP" --port "$LC_PORT" --service-cidr "$LC_SERVICE_CIDR" \
      --cluster-cidr "$LC_CLUSTER_CIDR" \
      --default-not-ready-toleration-seconds "$secs" --default-unreachable-toleration-seconds "$secs" \
      >>"$log" 2>&1 </dev/null &
    echo $! >"$pidfile"
  fi
  local t
  for t in $(seq 1 90); do
    if [ -f "$LC_KUBECONFIG" ] && kc get --raw /readyz >/dev/null 2>&1; then info "API server ready"; return 0; fi
    lc_pid_alive "$pidfile" || { tail -20 "$log" >&2; fail "the control plane exited (log: $log)"; }
    sleep 1
  done
  tail -20 "$log" >&2
  fail "the API server did not become ready in 90s (log: $log)"
}

# ------------------------------------------------------------------------------------------ nodes

join_node() {
  local i=$1 state run
  state=$(node_state "$i"); run=$(node_run "$i")
  local common=(--node-name "node$i" --node-ip "$(node_ip "$i")" --data-dir "$state/agent"
    --pod-logs-dir "$state/pod-logs" --docker-socket "$(node_docker_sock "$i")"
    --netns "$(node_netns "$i")" --log "$LC_LOGS/node$i-agent.log" --pidfile "$run/agent.pid"
    --skiff "$SKIFF_NODE_BIN $SKIFF_ENTRY")
  local extra=(-- --kubelet-port 10250 --cluster-cidr "$LC_CLUSTER_CIDR" --service-cidr "$LC_SERVICE_CIDR"
    --proxy-mode "${SKIFF_LC_PROXY_MODE:-iptables}")
  if lc_pid_alive "$run/agent.pid"; then info "node$i: agent running (pid $(cat "$run/agent.pid"))"; return 0; fi
  step "node$i: joining"
  if [ ! -f "$state/agent/kubelet.kubeconfig" ]; then
    local out token command server hash
    out=$(skiff_cmd token create --data-dir "$LC_SERVER_DIR" --ttl 30m) || fail "skiff token create failed"
    token=$(sed -n 1p <<<"$out"); command=$(sed -n 2p <<<"$out")
    server=$(sed -n 's/.*--server \([^ ]*\).*/\1/p' <<<"$command")
    hash=$(sed -n 's/.*--ca-cert-hash \([^ ]*\).*/\1/p' <<<"$command")
    skiff_join_node --server "$server" --token "$token" --ca-cert-hash "$hash" "${common[@]}" "${extra[@]}"
    # One token per node, used once: gone as soon as the node has its own certificate.
    skiff_cmd token delete --data-dir "$LC_SERVER_DIR" "${token%%.*}" >/dev/null 2>&1 || info "could not delete the used token ${token%%.*}"
  else
    # Joined before: the agent restarts on its stored credentials.
    skiff_join_node "${common[@]}" "${extra[@]}"
  fi
}

wait_nodes_ready() {
  local n=$1 i t status
  step "Waiting for node1..node$n to be Ready"
  for i in $(seq 1 "$n"); do
    for t in $(seq 1 120); do
      status=$(kc get node "node$i" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)
      [ "$status" = True ] && { info "node$i Ready"; break; }
      lc_pid_alive "$(node_run "$i")/agent.pid" || { tail -20 "$LC_LOGS/node$i-agent.log" >&2; fail "node$i: the agent exited (log: $LC_LOGS/node$i-agent.log)"; }
      [ "$t" = 120 ] && { tail -20 "$LC_LOGS/node$i-agent.log" >&2; fail "node$i not Ready after 120s (log: $LC_LOGS/node$i-agent.log)"; }
      sleep 1
    done
  done
}

# ------------------------------------------------------------------------------------------ commands

cmd_up() {
  local n=${1:-}
  [[ "$n" =~ ^[1-9][0-9]?$ ]] && [ "$n" -le 50 ] || fail "usage: $0 up N   (N nodes, 1..50)"
  local started; started=$(date +%s)
  if [ "${SKIFF_LC_SKIP_PREPARE:-0}" = 1 ]; then
    export SKIFF_KUBECTL="${SKIFF_KUBECTL:-$SKIFF_CACHE_DIR/kubectl-v33/kubectl}"
  else
    prepare_machine
  fi
  if [ -z "${SKIFF_LC_ENTRY:-}" ] && { [ "${SKIFF_LC_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$SKIFF_ENTRY" ]; }; then build_skiff; fi
  [ -f "$SKIFF_ENTRY" ] || fail "no $SKIFF_ENTRY"
  mkdir -p "$LC_STATE" "$LC_RUN" "$LC_LOGS"
  ensure_bridge
  local i
  for i in $(seq 1 "$n"); do
    ensure_node_netns "$i"
    ensure_node_engine "$i"
    load_node_images "$i"
  done
  ensure_control_plane
  for i in $(seq 1 "$n"); do join_node "$i"; done
  wait_nodes_ready "$n"
  step "A local cluster of $n nodes is up ($(( $(date +%s) - started ))s)"
  kc get nodes -o wide
  cat <<MSG

Try next:
  export KUBECONFIG=$LC_KUBECONFIG
  alias kubectl=$SKIFF_KUBECTL
  kubectl get nodes -o wide
  kubectl apply -f $ROOT/hack/demo/hello.yaml && kubectl get pods -o wide
  nsenter --net=/var/run/netns/$(node_netns 1) sh     # a shell in node1's network
  DOCKER_HOST=unix://$(node_docker_sock 1) docker ps  # node1's engine
Logs: $LC_LOGS    Status: $0 status    Stop and remove everything: $0 down
MSG
}

cmd_status() {
  local i nodes
  mapfile -t nodes < <(known_nodes)
  local bridge
  bridge=$(ip -br addr show dev "$LC_BRIDGE" 2>/dev/null | awk '{print $2, $3}' || true)
  echo "bridge $LC_BRIDGE: ${bridge:-absent}"
  if lc_pid_alive "$LC_RUN/server.pid"; then echo "control plane: running (pid $(cat "$LC_RUN/server.pid"))"; else echo "control plane: stopped"; fi
  for i in "${nodes[@]}"; do
    local engine=stopped agent=stopped
    lc_pid_alive "$(node_run "$i")/docker.pid" && engine="running (pid $(cat "$(node_run "$i")/docker.pid"))"
    lc_pid_alive "$(node_run "$i")/agent.pid" && agent="running (pid $(cat "$(node_run "$i")/agent.pid"))"
    echo "node$i: netns $(node_netns "$i") $(node_ip "$i"); engine $engine; agent $agent"
  done
  if lc_pid_alive "$LC_RUN/server.pid" && [ -f "$LC_KUBECONFIG" ]; then
    export SKIFF_KUBECTL="${SKIFF_KUBECTL:-$SKIFF_CACHE_DIR/kubectl-v33/kubectl}"
    kc get nodes -o wide 2>&1 || true
  fi
}

# stop_pid PIDFILE WHAT [SECONDS]: SIGTERM, wait up to SECONDS (default 30), then SIGKILL; removes the pid file.
stop_pid() {
  local pidfile=$1 what=$2 wait=${3:-30} pid t
  if ! lc_pid_alive "$pidfile"; then rm -f "$pidfile"; return 0; fi
  pid=$(cat "$pidfile")
  info "stopping $what (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for t in $(seq 1 $((wait * 2))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { info "$what did not stop in ${wait}s: SIGKILL"; kill -9 "$pid" 2>/dev/null || true; }
  rm -f "$pidfile"
}

# Stops node I's agent, then its engine with every container in it (Docker stops containers on shutdown).
stop_node() {
  local i=$1 run; run=$(node_run "$i")
  # Containers outlive the agent by design, so a slow graceful stop buys nothing here.
  stop_pid "$run/agent.pid" "node$i agent" 10
  if lc_pid_alive "$run/docker.pid"; then
    local ids
    ids=$(node_docker "$i" ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -n "$ids" ] && { node_docker "$i" rm -f $ids >/dev/null 2>&1 || true; }
  fi
  stop_pid "$run/docker.pid" "node$i Docker engine"
  # The engine's own containerd, should the engine have died without stopping it.
  stop_pid "$run/docker-exec/containerd/containerd.pid" "node$i containerd"
}

cmd_stop_node() {
  local i=${1:-}
  [[ "$i" =~ ^[0-9]+$ ]] || fail "usage: $0 stop-node I"
  step "Stopping node$i's agent and Docker engine"
  stop_node "$i"
}

cmd_down() {
  local i nodes
  mapfile -t nodes < <(known_nodes)
  step "Stopping the local cluster"
  for i in "${nodes[@]}"; do stop_node "$i"; done
  stop_pid "$LC_RUN/server.pid" "control plane"
  # Anything still running from a node's directories (containerd shims of a killed engine, an agent
  # whose pid file was lost): found by command line, each by its own pid.
  local pid
  for pid in $(pgrep -f -- "(dockerd|containerd|skiff\.js).*($LC_RUN|$LC_STATE)/" || true); do
    [ "$pid" = $$ ] && continue
    info "killing leftover process $pid: $(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | cut -c1-120)"
    kill -9 "$pid" 2>/dev/null || true
  done
  # Mounts the engines left (overlay layers, container namespaces), deepest first.
  local mnt
  for mnt in $(awk '{print $2}' /proc/mounts | grep -E "^($LC_STATE|$LC_RUN)(/|$)" | sort -r || true); do
    umount -l "$mnt" 2>/dev/null || true
  done
  for i in "${nodes[@]}"; do
    ip link del "$(node_veth "$i")" 2>/dev/null || true
    ip netns del "$(node_netns "$i")" 2>/dev/null || true
  done
  ip link del "$LC_BRIDGE" 2>/dev/null || true
  local rule ipt
  for ipt in $(host_iptables_backends); do
    { "$ipt-save" -t filter 2>/dev/null | grep -- "--comment $LC_RULE_COMMENT" | sed 's/^-A /-D /' \
      | while read -r rule; do eval "$ipt -t filter $rule" 2>/dev/null || true; done; } || true
  done
  if [ -f "$LC_STATE/host-ip_forward" ]; then
    cat "$LC_STATE/host-ip_forward" >/proc/sys/net/ipv4/ip_forward
    info "restored net.ipv4.ip_forward=$(cat "$LC_STATE/host-ip_forward")"
  fi
  rm -rf "$LC_STATE" "$LC_RUN"
  info "local cluster removed"
}

case "${1:-}" in
  up) cmd_up "${2:-}" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  stop-node) cmd_stop_node "${2:-}" ;;
  *) echo "usage: $0 up N | down | status | stop-node I" >&2; exit 2 ;;
esac
