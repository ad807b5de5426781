#!/usr/bin/env bash
# Builds the images Skiff and its tests run, locally, since no registry is reachable here:
#   skiff/pause:v1    the sandbox container (a static pause binary)
#   skiff/busybox:v1  a real userland for test pods: sh, httpd, nc, sleep, cat, ... from busybox-static
# Each is a tar of a small rootfs piped to `docker import`. Idempotent: an image already present is kept
# unless --force is given. DOCKER_HOST selects the engine (local-cluster nodes each have their own).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/hack/lib/log.sh"

force=0
[ "${1:-}" = "--force" ] && force=1

have_image() { [ "$force" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

build_pause() {
  local image=skiff/pause:v1
  if have_image "$image"; then info "$image present"; return; fi
  step "Building $image"
  local dir; dir=$(mktemp -d)
  gcc -static -O2 -o "$dir/pause" "$ROOT/hack/images/pause/pause.c" || fail "compiling pause.c failed (gcc and libc6-dev needed)"
  strip "$dir/pause" 2>/dev/null || true
  tar -C "$dir" -c pause | docker import \
    --change 'ENTRYPOINT ["/pause"]' \
    --change 'LABEL io.skiff.image=pause' - "$image" >/dev/null
  rm -rf "$dir"
}

build_busybox() {
  local image=skiff/busybox:v1
  if have_image "$image"; then info "$image present"; return; fi
  step "Building $image"
  local dir; dir=$(mktemp -d)
  mkdir -p "$dir"/{bin,sbin,etc,tmp,var/www,root,proc,sys,dev,usr/bin,usr/sbin}
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  local applet
  # wget is left out on purpose: Debian's static busybox wget crashes (see DESIGN.md).
  for applet in sh ash cat echo ls sleep httpd nc env hostname id ps kill mkdir rm cp mv touch true false \
                date head tail grep sed awk wc printf test seq ip ifconfig netstat nslookup uname tee sort \
                stat pwd df du dd chmod ln readlink find xargs timeout expr basename dirname md5sum; do
    ln -sf busybox "$dir/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
  echo 'hello from skiff/busybox' >"$dir/var/www/index.html"
  tar -C "$dir" -c . | docker import \
    --change 'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin' \
    --change 'CMD ["/bin/sh"]' \
    --change 'LABEL io.skiff.image=busybox' - "$image" >/dev/null
  rm -rf "$dir"
}

build_pause
build_busybox
