#!/usr/bin/env bash
# One command to a working Skiff on this machine: installs what is missing, builds, starts the control
# plane (embedded SQLite store, scheduler, controllers) and a node agent (kubelet, CRI over Docker, service
# proxy), applies a demo Deployment with a Service, and prints what the Service answers. Running it twice
# is harmless: what already runs is left running and the demo is re-applied.
#
# State lives under SKIFF_STATE_DIR (default /var/lib/skiff), logs under SKIFF_LOG_DIR (default
# /var/log/skiff). ./hack/down.sh stops everything and removes what it made.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/hack/lib/log.sh"
source "$ROOT/hack/lib/machine.sh"
source "$ROOT/hack/lib/cluster.sh"

started=$(date +%s)
prepare_machine
build_skiff
start_control_plane
wait_for_api
start_agent
wait_for_node_ready
apply_demo
step "The demo Service answers"
show_demo_answers

step "Skiff is up ($(( $(date +%s) - started ))s)"
kc get nodes,pods,svc -A -o wide
cat <<MSG

Try next:
  export KUBECONFIG=$SKIFF_KUBECONFIG
  alias kubectl=$SKIFF_KUBECTL
  kubectl get pods -o wide
  kubectl scale deployment hello --replicas=4
  kubectl set image deployment/hello web=skiff/busybox:v1 && kubectl rollout status deployment/hello
  kubectl describe service hello
Logs: $SKIFF_LOG_DIR    Data: $SKIFF_STATE_DIR    Stop and clean up: ./hack/down.sh
MSG
