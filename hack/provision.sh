#!/usr/bin/env bash
# Provisions one Vagrant VM of a Skiff cluster (see ../Vagrantfile). Runs as root inside the VM:
#
#   provision.sh control-plane IP   installs Docker and Node 20, builds Skiff, runs `skiff server` as the
#                                   systemd unit skiff-server on IP:6443, and writes a bootstrap token
#                                   and the CA hash to the shared folder: /vagrant/.skiff/join.env
#   provision.sh worker NAME IP     installs Docker and Node 20, builds Skiff, waits for join.env, and
#                                   joins as node NAME with InternalIP IP, the agent being the systemd
#                                   unit skiff-agent, through skiff_join_node (hack/lib/join.sh): the same
#                                   code hack/local-cluster.sh runs for its namespace nodes.
#
# Idempotent: `vagrant provision` again rebuilds Skiff, restarts the units and (control plane) writes a
# fresh token. The shared folder must be two-way (VirtualBox shared folders, NFS, virtiofs), not rsync.
set -euo pipefail
SRC=/vagrant
ROOT=/opt/skiff
SHARED=$SRC/.skiff
JOIN_ENV=$SHARED/join.env
STATE=/var/lib/skiff
API_PORT=6443
CLUSTER_CIDR=${SKIFF_CLUSTER_CIDR:-10.244.0.0/16}
SERVICE_CIDR=${SKIFF_SERVICE_CIDR:-10.96.0.0/12}
source "$SRC/hack/lib/log.sh"
source "$SRC/hack/lib/join.sh"

install_packages() {
  export DEBIAN_FRONTEND=noninteractive
  step "Installing system packages"
  apt-get update -qq
  # iptables first: the legacy backend is chosen before Docker starts (see hack/lib/machine.sh).
  apt-get install -y -qq --no-install-recommends iptables ca-certificates curl gnupg rsync >/dev/null
  update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
  update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends docker.io iproute2 conntrack busybox-static gcc libc6-dev \
    make g++ python3 unzip >/dev/null
  systemctl enable --now docker >/dev/null
}

# Debian bookworm ships Node 18; Skiff needs 20: NodeSource's apt repository, as its docs describe.
install_node() {
  if command -v node >/dev/null && [[ "$(node --version)" == v20.* ]]; then info "node $(node --version) present"; return 0; fi
  step "Installing Node 20 (deb.nodesource.com)"
  install -d -m 0755 /etc/apt/keyrings
  curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg
  echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main" \
    >/etc/apt/sources.list.d/nodesource.list
  apt-get update -qq
  apt-get install -y -qq nodejs >/dev/null
}

# A copy outside the shared folder: npm and tsc on a VirtualBox share are slow and trip on symlinks.
build_skiff() {
  step "Building Skiff in $ROOT"
  mkdir -p "$ROOT"
  rsync -a --delete --exclude node_modules --exclude dist --exclude .git --exclude .vagrant --exclude .skiff "$SRC/" "$ROOT/"
  (cd "$ROOT" && npm install --no-audit --no-fund >/var/log/skiff-npm-install.log 2>&1) \
    || { tail -30 /var/log/skiff-npm-install.log >&2; fail "npm install failed"; }
  (cd "$ROOT" && npx tsc -p tsconfig.build.json) || fail "TypeScript build failed"
  "$ROOT/hack/build-images.sh"
}

provision_control_plane() {
  local ip=$1 data=$STATE/server
  rm -f "$JOIN_ENV"
  install_packages
  install_node
  build_skiff
  step "Starting the control plane (systemd unit skiff-server) on $ip:$API_PORT"
  mkdir -p "$data"
  cat >/etc/systemd/system/skiff-server.service <<UNIT
[Unit]
Description=Skiff control plane (API server, store, scheduler, controllers)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=$(command -v node) $ROOT/dist/skiff.js server --data-dir $data --address $ip --port $API_PORT --cluster-cidr $CLUSTER_CIDR --service-cidr $SERVICE_CIDR
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable skiff-server >/dev/null
  systemctl restart skiff-server
  # A token for the workers (it expires: re-provision the control plane to add workers later). Its
  # creation is also the readiness check: it needs the admin kubeconfig and a serving API.
  local i out="" token command hash
  for i in $(seq 1 120); do
    [ -f "$data/admin.kubeconfig" ] && out=$(node "$ROOT/dist/skiff.js" token create --data-dir "$data" --ttl 2h 2>/dev/null) && break
    [ "$i" = 120 ] && { journalctl -u skiff-server -n 30 --no-pager >&2; fail "no bootstrap token after 120s (is skiff-server up?)"; }
    sleep 1
  done
  token=$(sed -n 1p <<<"$out"); command=$(sed -n 2p <<<"$out")
  hash=$(sed -n 's/.*--ca-cert-hash \([^ ]*\).*/\1/p' <<<"$command")
  mkdir -p "$SHARED"
  (umask 077 && printf 'SKIFF_SERVER=%s\nSKIFF_TOKEN=%s\nSKIFF_CA_CERT_HASH=%s\n' "https://$ip:$API_PORT" "$token" "$hash" >"$JOIN_ENV.tmp")
  mv "$JOIN_ENV.tmp" "$JOIN_ENV"
  # For kubectl on the host (the private network is reachable from it); a credential, as join.env is.
  install -m 0600 "$data/admin.kubeconfig" "$SHARED/admin.kubeconfig"
  info "join data written to $JOIN_ENV; admin kubeconfig: .skiff/admin.kubeconfig"
}

provision_worker() {
  local name=$1 ip=$2
  install_packages
  install_node
  build_skiff
  step "Waiting for the control plane's join data ($JOIN_ENV)"
  local i
  for i in $(seq 1 900); do
    [ -f "$JOIN_ENV" ] && break
    [ "$i" = 900 ] && fail "no $JOIN_ENV after 15 minutes: provision the control plane first (vagrant up skiff-cp)"
    sleep 1
  done
  # shellcheck disable=SC1090
  source "$JOIN_ENV"
  step "Joining as node $name ($ip)"
  local rejoin=0
  [ -f /etc/systemd/system/skiff-agent.service ] && rejoin=1
  skiff_join_node --server "$SKIFF_SERVER" --token "$SKIFF_TOKEN" --ca-cert-hash "$SKIFF_CA_CERT_HASH" \
    --node-name "$name" --node-ip "$ip" --data-dir "$STATE/agent" --pod-logs-dir /var/log/pods \
    --docker-socket /var/run/docker.sock --skiff "$(command -v node) $ROOT/dist/skiff.js" --systemd skiff-agent \
    -- --cluster-cidr "$CLUSTER_CIDR" --service-cidr "$SERVICE_CIDR"
  # A re-provision picks up the rebuilt Skiff.
  [ "$rejoin" = 1 ] && systemctl restart skiff-agent
  info "node $name joined; on the control plane: kubectl --kubeconfig $STATE/server/admin.kubeconfig get nodes"
}

case "${1:-}" in
  control-plane) provision_control_plane "${2:?usage: provision.sh control-plane IP}" ;;
  worker) provision_worker "${2:?usage: provision.sh worker NAME IP}" "${3:?usage: provision.sh worker NAME IP}" ;;
  *) echo "usage: $0 control-plane IP | worker NAME IP" >&2; exit 2 ;;
esac
