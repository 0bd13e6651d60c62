#!/usr/bin/env bash
# Installs promtool (and the prometheus server the dashboard checks use) from Debian's `prometheus`
# package. Idempotent: does nothing when promtool is already on PATH.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "promtool is missing: run this script as root, or: apt-get install -y prometheus" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends: the package only brings the binaries; the exporters it recommends are not needed.
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package starts a prometheus service where an init system runs; CI only needs the binaries.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl stop prometheus || true
fi
command -v promtool >/dev/null
