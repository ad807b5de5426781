#!/usr/bin/env bash
# Stops what hack/up.sh started and removes every container, iptables rule and route it made.
# The store and agent data stay in SKIFF_STATE_DIR unless --purge is given.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/hack/lib/log.sh"
source "$ROOT/hack/lib/machine.sh"
source "$ROOT/hack/lib/cluster.sh"

stop_daemon agent
stop_daemon server
remove_node_state
if [ "${1:-}" = "--purge" ]; then
  step "Removing $SKIFF_STATE_DIR/server and $SKIFF_STATE_DIR/agent"
  rm -rf "$SKIFF_SERVER_DIR" "$SKIFF_AGENT_DIR"
fi
info "stopped"
