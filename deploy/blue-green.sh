#!/usr/bin/env bash
# Blue/green release: start the idle colour, wait until it is ready, point nginx at it, reload
# nginx (old workers finish in-flight requests), then stop the old colour gracefully.
#   deploy/blue-green.sh            # build the current tree and switch
#   NO_BUILD=1 deploy/blue-green.sh # switch to an image that is already built
set -euo pipefail
cd "$(dirname "$0")"
compose() { docker compose -f docker-compose.yml "$@"; }

STATE=nginx/.active-colour
READY_TIMEOUT=${READY_TIMEOUT:-120}
DRAIN_SECONDS=${DRAIN_SECONDS:-15}

active=$(cat "$STATE" 2>/dev/null || echo blue)
case "$active" in blue) idle=green ;; green) idle=blue ;; *) echo "bad state in $STATE: $active" >&2; exit 1 ;; esac
echo "active: $active → starting $idle"

if [ -z "${NO_BUILD:-}" ]; then compose build "app-$idle"; fi
compose up -d --no-deps "app-$idle"

echo "waiting for app-$idle /readyz (up to ${READY_TIMEOUT}s)"
deadline=$(( $(date +%s) + READY_TIMEOUT ))
until compose exec -T "app-$idle" node -e \
  "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))" 2>/dev/null; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "app-$idle did not become ready; leaving $active in service" >&2
    compose logs --tail 50 "app-$idle" >&2 || true
    compose stop "app-$idle" || true
    exit 1
  fi
  sleep 2
done
echo "app-$idle is ready"

# Switch the upstream atomically (write + rename), validate, reload.
tmp=$(mktemp nginx/.upstream.XXXXXX)
cat > "$tmp" <<CONF
# Written by deploy/blue-green.sh at $(date -u +%FT%TZ): the active colour.
upstream chwimeet_app {
  server app-$idle:8080;
  keepalive 32;
}
CONF
chmod 644 "$tmp"
cp nginx/upstream.conf nginx/.upstream.previous
mv "$tmp" nginx/upstream.conf
if ! compose exec -T nginx nginx -t; then
  echo "nginx rejected the new upstream; restoring $active" >&2
  mv nginx/.upstream.previous nginx/upstream.conf
  exit 1
fi
compose exec -T nginx nginx -s reload
echo "$idle" > "$STATE"
echo "nginx now sends traffic to app-$idle"

# Old nginx workers finish their requests on the old colour; then SIGTERM drains it
# (HTTP finishes, WebSockets close so clients reconnect through nginx to the new colour).
sleep "$DRAIN_SECONDS"
compose stop -t 30 "app-$active"
echo "done: $idle is live, $active stopped"
