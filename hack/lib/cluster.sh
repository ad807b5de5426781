# Starting and stopping the one-machine cluster of hack/up.sh: a control plane (API server, store,
# scheduler, controllers) and one node agent (kubelet, CRI over Docker, service proxy) on this machine.
# Sourced after log.sh and machine.sh.

SKIFF_SERVER_DIR="$SKIFF_STATE_DIR/server"
SKIFF_AGENT_DIR="$SKIFF_STATE_DIR/agent"
SKIFF_KUBECONFIG="$SKIFF_SERVER_DIR/admin.kubeconfig"
SKIFF_API_PORT="${SKIFF_API_PORT:-6443}"
SKIFF_SERVICE_CIDR="${SKIFF_SERVICE_CIDR:-10.96.0.0/12}"
SKIFF_CLUSTER_CIDR="${SKIFF_CLUSTER_CIDR:-10.244.0.0/16}"
SKIFF_NODE_NAME="${SKIFF_NODE_NAME:-$(hostname | tr 'A-Z' 'a-z')}"
SKIFF_DEMO_NODE_PORT=30080

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

kc() { "$SKIFF_KUBECTL" --kubeconfig "$SKIFF_KUBECONFIG" "$@"; }

# start_daemon NAME LOGFILE CMD...: runs CMD detached, pid in $SKIFF_STATE_DIR/NAME.pid; no-op if running.
start_daemon() {
  local name=$1 log=$2; shift 2
  local pidfile="$SKIFF_STATE_DIR/$name.pid"
  if pid_alive "$pidfile"; then info "$name already running (pid $(cat "$pidfile"))"; return 0; fi
  setsid nohup "$@" >>"$log" 2>&1 < /dev/null &
  echo $! >"$pidfile"
}

stop_daemon() {
  local name=$1 pidfile="$SKIFF_STATE_DIR/$1.pid"
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; return 0; fi
  step "Stopping the $name"
  local pid i; pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

start_control_plane() {
  step "Starting the control plane on 127.0.0.1:$SKIFF_API_PORT (log: $SKIFF_LOG_DIR/server.log)"
  mkdir -p "$SKIFF_SERVER_DIR"
  start_daemon server "$SKIFF_LOG_DIR/server.log" \
    node "$ROOT/dist/skiff.js" server --data-dir "$SKIFF_SERVER_DIR" --port "$SKIFF_API_PORT" --service-cidr "$SKIFF_SERVICE_CIDR" \
      --cluster-cidr "$SKIFF_CLUSTER_CIDR"
}

wait_for_api() {
  local i
  for i in $(seq 1 60); do
    if [ -f "$SKIFF_KUBECONFIG" ] && kc get --raw /readyz >/dev/null 2>&1; then info "API server ready"; return 0; fi
    pid_alive "$SKIFF_STATE_DIR/server.pid" || { tail -20 "$SKIFF_LOG_DIR/server.log" >&2; fail "the control plane exited (log above)"; }
    sleep 1
  done
  tail -20 "$SKIFF_LOG_DIR/server.log" >&2
  fail "the API server did not become ready in 60s (log: $SKIFF_LOG_DIR/server.log)"
}

start_agent() {
  step "Starting the node agent as node \"$SKIFF_NODE_NAME\" (log: $SKIFF_LOG_DIR/agent.log)"
  mkdir -p "$SKIFF_AGENT_DIR"
  # The server gives the node a /24 of the cluster CIDR; the agent puts its pods on a Docker bridge
  # network with that subnet (skiff-pods-<cidr>) and tells the proxy the same cluster CIDR.
  start_daemon agent "$SKIFF_LOG_DIR/agent.log" \
    node "$ROOT/dist/skiff.js" agent --kubeconfig "$SKIFF_KUBECONFIG" --node-name "$SKIFF_NODE_NAME" \
      --data-dir "$SKIFF_AGENT_DIR" --service-cidr "$SKIFF_SERVICE_CIDR" --cluster-cidr "$SKIFF_CLUSTER_CIDR"
}

wait_for_node_ready() {
  local i
  for i in $(seq 1 60); do
    if [ "$(kc get node "$SKIFF_NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = "True" ]; then
      info "node $SKIFF_NODE_NAME Ready"; return 0
    fi
    pid_alive "$SKIFF_STATE_DIR/agent.pid" || { tail -20 "$SKIFF_LOG_DIR/agent.log" >&2; fail "the node agent exited (log above)"; }
    sleep 1
  done
  tail -20 "$SKIFF_LOG_DIR/agent.log" >&2
  fail "node $SKIFF_NODE_NAME did not become Ready in 60s (log: $SKIFF_LOG_DIR/agent.log)"
}

apply_demo() {
  step "Applying the demo: Deployment hello (2 replicas) and its NodePort Service"
  kc apply -f "$ROOT/hack/demo/hello.yaml"
  kc rollout status deployment/hello --timeout=120s || fail "the demo deployment did not become available (kubectl describe pods -l app=hello)"
}

# Bounded requests to this machine only: the ClusterIP (routed locally, DNATed to a pod on this node's
# bridge) and the NodePort on 127.0.0.1.
show_demo_answers() {
  local cluster_ip i answer
  cluster_ip=$(kc get service hello -o jsonpath='{.spec.clusterIP}')
  for i in $(seq 1 30); do
    answer=$(curl -s --max-time 2 "http://$cluster_ip/") && [ -n "$answer" ] && break
    sleep 1
  done
  [ -n "${answer:-}" ] || fail "no answer through the ClusterIP $cluster_ip:80 (kubectl get endpointslices; log: $SKIFF_LOG_DIR/agent.log)"
  info "through the ClusterIP  http://$cluster_ip/     -> $answer"
  answer=$(curl -s --max-time 2 "http://127.0.0.1:$SKIFF_DEMO_NODE_PORT/") || fail "no answer through the NodePort 127.0.0.1:$SKIFF_DEMO_NODE_PORT"
  info "through the NodePort   http://127.0.0.1:$SKIFF_DEMO_NODE_PORT/ -> $answer"
}

# Everything the agent leaves behind on purpose while it runs (containers survive agent restarts):
# containers, the proxy's iptables chains and jump rules, and the service CIDR's local route.
remove_node_state() {
  local ids
  ids=$(docker ps -aq --filter label=io.skiff.managed 2>/dev/null || true)
  if [ -n "$ids" ]; then
    step "Removing Skiff's containers"
    docker rm -f $ids >/dev/null
  fi
  remove_proxy_rules
  # The nftables proxy mode keeps all of its rules in one table.
  nft delete table ip skiff 2>/dev/null || true
  ip route del local "$SKIFF_SERVICE_CIDR" dev lo table local 2>/dev/null || true
  # The pod networks the CRI made for the node's pod CIDR (empty once the containers are gone).
  local net
  for net in $(docker network ls --format '{{.Name}}' 2>/dev/null | grep '^skiff-pods-' || true); do
    docker network rm "$net" >/dev/null 2>&1 || true
  done
}

remove_proxy_rules() {
  local table rule chain
  for table in nat filter; do
    # `|| true`: grep finding nothing is the normal case, and must not stop a `set -e` caller.
    { iptables-save -t "$table" 2>/dev/null | grep -E '^-A (PREROUTING|OUTPUT|POSTROUTING|INPUT|FORWARD) .*SKIFF-' | sed 's/^-A /-D /' \
      | while read -r rule; do eval "iptables -t $table $rule" 2>/dev/null || true; done; } || true
    for chain in $(iptables-save -t "$table" 2>/dev/null | grep -oE '^:SKIFF-[^ ]+' | tr -d ':' || true); do
      iptables -t "$table" -F "$chain" 2>/dev/null || true
    done
    for chain in $(iptables-save -t "$table" 2>/dev/null | grep -oE '^:SKIFF-[^ ]+' | tr -d ':' || true); do
      iptables -t "$table" -X "$chain" 2>/dev/null || true
    done
  done
}
