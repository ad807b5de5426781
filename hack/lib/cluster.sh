# Starting and stopping the one-machine cluster of hack/up.sh. Sourced after log.sh and machine.sh.

SKIFF_SERVER_DIR="$SKIFF_STATE_DIR/server"
SKIFF_KUBECONFIG="$SKIFF_SERVER_DIR/admin.kubeconfig"
SKIFF_API_PORT="${SKIFF_API_PORT:-6443}"

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_control_plane() {
  local pidfile="$SKIFF_STATE_DIR/server.pid"
  if pid_alive "$pidfile"; then info "control plane already running (pid $(cat "$pidfile"))"; return 0; fi
  step "Starting the control plane on 127.0.0.1:$SKIFF_API_PORT (log: $SKIFF_LOG_DIR/server.log)"
  mkdir -p "$SKIFF_SERVER_DIR"
  setsid nohup node "$ROOT/dist/skiff.js" server --data-dir "$SKIFF_SERVER_DIR" --port "$SKIFF_API_PORT" \
    >>"$SKIFF_LOG_DIR/server.log" 2>&1 < /dev/null &
  echo $! >"$pidfile"
}

wait_for_api() {
  local i
  for i in $(seq 1 60); do
    if [ -f "$SKIFF_KUBECONFIG" ] && "$SKIFF_KUBECTL" --kubeconfig "$SKIFF_KUBECONFIG" get --raw /readyz >/dev/null 2>&1; then
      info "API server ready"
      return 0
    fi
    pid_alive "$SKIFF_STATE_DIR/server.pid" || { tail -20 "$SKIFF_LOG_DIR/server.log" >&2; fail "the control plane exited (log above)"; }
    sleep 1
  done
  tail -20 "$SKIFF_LOG_DIR/server.log" >&2
  fail "the API server did not become ready in 60s (log: $SKIFF_LOG_DIR/server.log)"
}

stop_control_plane() {
  local pidfile="$SKIFF_STATE_DIR/server.pid"
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; return 0; fi
  step "Stopping the control plane"
  local pid; pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}
