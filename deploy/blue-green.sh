#!/usr/bin/env bash
# Blue/green release: start the idle colour, wait until it is ready, point nginx at it, reload nginx
# (old workers finish their in-flight requests and WebSockets), then stop the old colour gracefully
# (SIGTERM: /readyz fails, requests are served for SHUTDOWN_DRAIN_MS, then HTTP and WebSockets close).
#
#   deploy/blue-green.sh                          build the current tree into the idle colour and switch
#   NO_BUILD=1 deploy/blue-green.sh               switch to the idle colour's image as it is: a rollback
#   RELEASE=<tag> NO_BUILD=1 deploy/blue-green.sh switch to an earlier release (`docker images chwimeet`)
#   deploy/blue-green.sh status | start <colour> | stop <colour>
#
# Each colour runs its own image tag (chwimeet:blue, chwimeet:green); every build is also tagged
# chwimeet:<git sha>-<time>, so the colour that was switched away from keeps the previous release.
#
# --local runs the very same steps without Docker: the colours are local processes
# (`node scripts/start.mjs --no-web-build`, the compiled server as `npm start` runs it, on BLUE_PORT / GREEN_PORT
# with the caller's environment) and
# nginx is a local one started with NGINX_CONF. `npm run test:deploy` drives a switch this way.
#   NGINX_CONF=/path/nginx.conf NGINX_DIR=/path/conf.d deploy/blue-green.sh --local [switch]
set -euo pipefail

DEPLOY_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$DEPLOY_DIR")
MODE=compose
if [ "${1:-}" = "--local" ]; then MODE=local; shift; fi

NGINX_DIR=${NGINX_DIR:-$DEPLOY_DIR/nginx}   # upstream.conf and the state file .active-colour
STATE_DIR=${STATE_DIR:-$DEPLOY_DIR/.state}  # releases per colour; --local: pid and log files
STATE=$NGINX_DIR/.active-colour
READY_TIMEOUT=${READY_TIMEOUT:-120}
DRAIN_SECONDS=${DRAIN_SECONDS:-15}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
mkdir -p "$STATE_DIR"

log() { printf '[blue-green %s] %s\n' "$(date -u +%T)" "$*"; }
fail() { printf '[blue-green %s] %s\n' "$(date -u +%T)" "$*" >&2; exit 1; }
other() { case "$1" in blue) echo green ;; green) echo blue ;; *) fail "unknown colour: $1" ;; esac; }
active_colour() {
  local c
  c=$(cat "$STATE" 2>/dev/null || echo blue)
  case "$c" in blue | green) echo "$c" ;; *) fail "bad state in $STATE: $c" ;; esac
}

# ---- the parts that differ between Docker Compose and local processes ----

compose() { docker compose -f "$DEPLOY_DIR/docker-compose.yml" "$@"; }
colour_port() { case "$1" in blue) echo "${BLUE_PORT:-8081}" ;; green) echo "${GREEN_PORT:-8082}" ;; esac; }
pid_file() { echo "$STATE_DIR/app-$1.pid"; }
# alive and not a zombie (an exited orphan lingers as one where PID 1 does not reap)
alive() { kill -0 "$1" 2>/dev/null && ! ps -o stat= -p "$1" 2>/dev/null | grep -q '^Z'; }
local_pid() { # the pid of a running local colour, or nothing
  local pid
  pid=$(cat "$(pid_file "$1")" 2>/dev/null || true)
  if [ -n "$pid" ] && alive "$pid"; then echo "$pid"; fi
}

# the address nginx sends the colour's traffic to
upstream_address() {
  if [ "$MODE" = local ]; then echo "127.0.0.1:$(colour_port "$1")"; else echo "app-$1:8080"; fi
}

# Puts the release to run into the colour's image tag (compose). Local processes run the work tree.
prepare_release() {
  local colour=$1 release
  [ "$MODE" = local ] && return 0
  if [ -n "${NO_BUILD:-}" ]; then
    if [ -n "${RELEASE:-}" ]; then docker image tag "chwimeet:$RELEASE" "chwimeet:$colour"; fi
    docker image inspect "chwimeet:$colour" >/dev/null 2>&1 || fail "no image chwimeet:$colour to switch to (build one first)"
    release=${RELEASE:-$(cat "$STATE_DIR/release-$colour" 2>/dev/null || echo "chwimeet:$colour")}
  else
    release=${RELEASE:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo build)-$(date -u +%Y%m%d%H%M%S)}
    compose build "app-$colour" # tags chwimeet:<colour> (docker-compose.yml)
    docker image tag "chwimeet:$colour" "chwimeet:$release"
  fi
  echo "$release" > "$STATE_DIR/release-$colour"
  log "app-$colour runs release $release"
}

# Starts a colour and waits for its /readyz; on failure prints its log tail, stops it and fails.
start_colour() {
  local colour=$1 port deadline
  if [ "$MODE" = local ]; then
    stop_colour "$colour" # a leftover from an earlier attempt never serves the new release
    port=$(colour_port "$colour")
    (cd "$ROOT" && PORT=$port HOST=127.0.0.1 exec node scripts/start.mjs --no-web-build) \
      >> "$STATE_DIR/app-$colour.log" 2>&1 < /dev/null &
    echo $! > "$(pid_file "$colour")"
  else
    compose up -d --no-deps "app-$colour"
  fi
  log "waiting for app-$colour /readyz (up to ${READY_TIMEOUT}s)"
  deadline=$(($(date +%s) + READY_TIMEOUT))
  until probe_ready "$colour"; do
    if [ "$(date +%s)" -ge "$deadline" ] || { [ "$MODE" = local ] && [ -z "$(local_pid "$colour")" ]; }; then
      log "app-$colour did not become ready"
      if [ "$MODE" = local ]; then tail -n 30 "$STATE_DIR/app-$colour.log" >&2 || true; else compose logs --tail 50 "app-$colour" >&2 || true; fi
      stop_colour "$colour"
      return 1
    fi
    sleep 0.5
  done
  log "app-$colour is ready"
}

probe_ready() {
  local check="fetch('http://127.0.0.1:PORT/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
  if [ "$MODE" = local ]; then
    node -e "${check/PORT/$(colour_port "$1")}" 2>/dev/null
  else
    compose exec -T "app-$1" node -e "${check/PORT/8080}" 2>/dev/null
  fi
}

# SIGTERM and wait: the app fails /readyz, serves for its drain period, then closes.
stop_colour() {
  local colour=$1 pid deadline port
  if [ "$MODE" = local ]; then
    pid=$(local_pid "$colour")
    if [ -n "$pid" ]; then
      kill -TERM "$pid"
      deadline=$(($(date +%s) + STOP_TIMEOUT))
      while alive "$pid"; do
        if [ "$(date +%s)" -ge "$deadline" ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
        sleep 0.2
      done
      # The main thread can show as a zombie while the process's other threads still exit and the
      # listening socket is still open: stopped means the port no longer answers.
      port=$(colour_port "$colour")
      while (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        if [ "$(date +%s)" -ge "$((deadline + 5))" ]; then log "app-$colour still answers on port $port"; break; fi
        sleep 0.1
      done
    fi
    rm -f "$(pid_file "$colour")"
  else
    compose stop -t "$STOP_TIMEOUT" "app-$colour" || true
  fi
}

nginx_cmd() {
  if [ "$MODE" = local ]; then
    : "${NGINX_CONF:?--local needs NGINX_CONF (the main nginx.conf that includes NGINX_DIR)}"
    nginx -p "$(dirname "$NGINX_CONF")" -c "$NGINX_CONF" -e "$(dirname "$NGINX_CONF")/error.log" "$@"
  else
    compose exec -T nginx nginx "$@"
  fi
}

# ---- the switch, the same in both modes ----

write_upstream() { # write_upstream <colour> <file>: written aside, then renamed into place
  local tmp
  tmp=$(mktemp "$NGINX_DIR/.upstream.XXXXXX")
  cat > "$tmp" << CONF
# Written by deploy/blue-green.sh at $(date -u +%FT%TZ): the active colour. Only the running colour is
# listed, because nginx refuses to (re)load with a host name that does not resolve (a stopped container).
upstream chwimeet_app {
  server $(upstream_address "$1");
  keepalive 32;
}
CONF
  chmod 644 "$tmp"
  mv "$tmp" "$2"
}

switch() {
  local active idle
  active=$(active_colour)
  idle=$(other "$active")
  log "active: $active → starting $idle"
  prepare_release "$idle"
  start_colour "$idle" || fail "leaving $active in service"

  cp "$NGINX_DIR/upstream.conf" "$NGINX_DIR/.upstream.previous"
  write_upstream "$idle" "$NGINX_DIR/upstream.conf"
  # From here on a failure puts the previous upstream back, so upstream.conf, the state file and
  # what nginx serves always name the same colour, and the idle colour is stopped again.
  if ! nginx_cmd -t; then
    mv "$NGINX_DIR/.upstream.previous" "$NGINX_DIR/upstream.conf"
    stop_colour "$idle"
    fail "nginx rejected the configuration; restored the upstream of $active, stopped $idle"
  fi
  if ! nginx_cmd -s reload; then
    mv "$NGINX_DIR/.upstream.previous" "$NGINX_DIR/upstream.conf"
    stop_colour "$idle"
    fail "nginx reload failed; restored the upstream of $active, stopped $idle"
  fi
  rm -f "$NGINX_DIR/.upstream.previous"
  echo "$idle" > "$STATE.tmp" && mv "$STATE.tmp" "$STATE"
  log "nginx now sends traffic to app-$idle"

  # Old nginx workers finish their requests on the old colour; then SIGTERM drains it.
  sleep "$DRAIN_SECONDS"
  stop_colour "$active"
  log "done: $idle is live, $active stopped"
}

case "${1:-switch}" in
  switch) switch ;;
  start) # start <colour>: e.g. the first colour of a local run; nginx is not touched
    start_colour "${2:?start <blue|green>}" || exit 1 ;;
  stop) stop_colour "${2:?stop <blue|green>}" ;;
  status)
    active=$(active_colour)
    echo "active: $active (release $(cat "$STATE_DIR/release-$active" 2>/dev/null || echo unknown))"
    echo "idle:   $(other "$active") (release $(cat "$STATE_DIR/release-$(other "$active")" 2>/dev/null || echo unknown))" ;;
  *) fail "usage: $0 [--local] [switch | start <colour> | stop <colour> | status]" ;;
esac
