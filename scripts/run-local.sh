#!/usr/bin/env bash
# Runs the whole pipeline on this machine: every role in one process, the example tenants, and a
# DEMO HubSpot emulator those tenants point at. With KAFKA_BROKERS (and LEADSTREAM_REGISTRY_URL) set it
# uses that platform; otherwise it brings up the local Kafka and schema registry first.
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO_CRM_PORT="${DEMO_CRM_PORT:-8089}"
export GATEWAY_PORT="${GATEWAY_PORT:-8080}"
export OPS_PORT="${OPS_PORT:-9464}"
export TENANT_CONFIG_DIR="${TENANT_CONFIG_DIR:-examples/tenants}"
# The demo tenant's CRM is the emulator below, on plain http at a loopback address: the outbound policy
# refuses that unless the deployment allows it, and this one allows that emulator and nothing else.
export OUTBOUND_ALLOWED_HOSTS="127.0.0.1:${DEMO_CRM_PORT}"
# Demo secrets for the example tenant's secret: references (EnvSecretResolver naming).
export LEADSTREAM_SECRET_DEMO_HUBSPOT_TOKEN="${LEADSTREAM_SECRET_DEMO_HUBSPOT_TOKEN:-demo-hubspot-token}"
export LEADSTREAM_SECRET_DEMO_CALLRAIL_SIGNING_TOKEN="${LEADSTREAM_SECRET_DEMO_CALLRAIL_SIGNING_TOKEN:-demo-callrail-signing-token}"

command -v node >/dev/null || { echo "run-local: Node.js 20 or newer is required" >&2; exit 1; }
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build

if [ -z "${KAFKA_BROKERS:-}" ]; then
  bash scripts/platform.sh up
fi

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop EXIT INT TERM

echo "run-local: starting the DEMO HubSpot emulator on 127.0.0.1:${DEMO_CRM_PORT}"
node --import tsx test/emulators/hubspot/main.ts --port "$DEMO_CRM_PORT" --token "$LEADSTREAM_SECRET_DEMO_HUBSPOT_TOKEN" \
  >.demo-crm.log 2>&1 &
pids+=($!)
# A demo CRM that did not start (its port taken) would leave every demo lead retrying: say so and stop.
for _ in $(seq 1 60); do
  if curl -fs -o /dev/null -H "Authorization: Bearer $LEADSTREAM_SECRET_DEMO_HUBSPOT_TOKEN" \
    "http://127.0.0.1:${DEMO_CRM_PORT}/crm/v3/objects/contacts?limit=1"; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then
    echo "run-local: the DEMO HubSpot emulator did not start (.demo-crm.log):" >&2
    grep -m1 -E 'Error|error' .demo-crm.log >&2 || tail -n 5 .demo-crm.log >&2
    exit 1
  fi
  sleep 0.5
done

echo "run-local: starting leadstream (all roles); logs follow"
node dist/src/cli/main.js run --role all &
pids+=($!)

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:${OPS_PORT}/readyz" >/dev/null 2>&1; then break; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:${OPS_PORT}/readyz" >/dev/null || { echo "run-local: leadstream did not become ready" >&2; exit 1; }

cat <<EOT

================================================================================
 leadstream is running (gateway http://127.0.0.1:${GATEWAY_PORT}, metrics http://127.0.0.1:${OPS_PORT}/metrics)
 DEMO: tenant_demo_kitchens delivers to a local HubSpot emulator, not to HubSpot.

 In another terminal, post a signed sample CallRail webhook and watch it land:
     npx tsx scripts/send-sample-webhook.ts

 What landed in the demo CRM:
     curl -s -H 'Authorization: Bearer ${LEADSTREAM_SECRET_DEMO_HUBSPOT_TOKEN}' \\
       'http://127.0.0.1:${DEMO_CRM_PORT}/crm/v3/objects/contacts?properties=phone,firstname,lastname,ai_lead_score'

 Ctrl-C stops everything (the Kafka platform keeps running: bash scripts/platform.sh down).
================================================================================

EOT
wait "${pids[1]}"
