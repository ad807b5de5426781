#!/usr/bin/env bash
# One command to a working Skiff on this machine: installs what is missing, builds, starts the control
# plane with the embedded SQLite store, and writes the admin kubeconfig. Running it twice is harmless:
# a control plane that already answers is left running.
#
# Everything lives under SKIFF_STATE_DIR (default /var/lib/skiff) and logs under SKIFF_LOG_DIR
# (default /var/log/skiff). ./hack/down.sh stops it again.
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

step "Skiff is up ($(( $(date +%s) - started ))s)"
"$SKIFF_KUBECTL" --kubeconfig "$SKIFF_KUBECONFIG" get namespaces
cat <<MSG

Try next:
  export KUBECONFIG=$SKIFF_KUBECONFIG
  alias kubectl=$SKIFF_KUBECTL
  kubectl api-resources
  kubectl create configmap demo --from-literal=greeting=hello
  kubectl get configmaps -o wide
  kubectl get configmaps -w     # and change one from another shell
(Pods are stored and served, but run only once the node agent lands: see the open issues.)
Logs: $SKIFF_LOG_DIR    Data: $SKIFF_STATE_DIR    Stop: ./hack/down.sh
MSG
