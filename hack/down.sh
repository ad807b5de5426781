#!/usr/bin/env bash
# Stops what hack/up.sh started. Data stays in SKIFF_STATE_DIR unless --purge is given.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/hack/lib/log.sh"
source "$ROOT/hack/lib/machine.sh"
source "$ROOT/hack/lib/cluster.sh"

stop_control_plane
if [ "${1:-}" = "--purge" ]; then
  step "Removing $SKIFF_STATE_DIR/server"
  rm -rf "$SKIFF_STATE_DIR/server"
fi
info "stopped"
