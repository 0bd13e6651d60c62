#!/usr/bin/env bash
# Checks the alert rules the chart ships: syntax (promtool check rules) and behaviour (promtool test
# rules on test/ops/alerts.test.yaml: input series, expected alerts), and the docker-compose Prometheus
# configuration that loads them. Installs promtool when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ops-tools-prometheus.sh
promtool check rules helm/files/prometheus-rules.yaml
promtool test rules test/ops/alerts.test.yaml
promtool check config ops/prometheus/prometheus.yml
