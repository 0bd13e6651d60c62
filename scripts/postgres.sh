#!/usr/bin/env bash
# Local PostgreSQL for leadstream's tenant store (TENANT_STORE=postgres), without Docker: the server from
# Debian's packages (installed with apt-get when missing), one cluster in a project-local directory,
# listening on 127.0.0.1 only, with a database and a user for the tests and `npm run local`.
#
#   bash scripts/postgres.sh up            install if needed, init the cluster, start, create db and user
#   bash scripts/postgres.sh down [--wipe] stop it (--wipe also deletes the cluster)
#   bash scripts/postgres.sh status        one line; exit 1 when it is not running
#   bash scripts/postgres.sh url           the DATABASE_URL to use
#
# Env overrides: POSTGRES_PORT (5432), LEADSTREAM_POSTGRES_DIR (<repo>/.platform/postgres),
# POSTGRES_DB / POSTGRES_USER / POSTGRES_PASSWORD (leadstream / leadstream / leadstream).
set -euo pipefail

POSTGRES_PORT="${POSTGRES_PORT:-5432}"
POSTGRES_DB="${POSTGRES_DB:-leadstream}"
POSTGRES_USER="${POSTGRES_USER:-leadstream}"
POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-leadstream}"
START_TIMEOUT="${POSTGRES_START_TIMEOUT:-30}"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_DIR="${LEADSTREAM_POSTGRES_DIR:-$REPO_ROOT/.platform/postgres}"

die() { echo "postgres: error: $*" >&2; exit 1; }
say() { echo "postgres: $*"; }

# As root the cluster belongs to the postgres user, who must reach PG_DIR: a checkout under a private
# directory (mode 700, as mktemp makes) keeps its cluster under /var/tmp instead, named after PG_DIR so
# every command finds the same one.
if [ "$(id -u)" = "0" ] && getent passwd postgres >/dev/null; then
  mkdir -p "$PG_DIR"
  chown postgres: "$PG_DIR"
  if ! runuser -u postgres -- test -w "$PG_DIR"; then
    PG_DIR="/var/tmp/leadstream-postgres/$(printf '%s' "$PG_DIR" | cksum | cut -d' ' -f1)"
    mkdir -p "$PG_DIR"
    chown postgres: "$PG_DIR"
  fi
fi
DATA_DIR="$PG_DIR/data"
SOCKET_DIR="$PG_DIR/run"
LOG_FILE="$PG_DIR/postgres.log"

# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user Debian's package
# creates, and every server command runs as that user.
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The newest server version installed under Debian's layout (/usr/lib/postgresql/<major>/bin).
find_bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n | tail -n1 || true)"
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && echo "$dir"
}

install_postgres() {
  [ "$(id -u)" = "0" ] || die "PostgreSQL is not installed and installing it needs root: apt-get install postgresql"
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is not available"
  say "installing PostgreSQL from Debian's packages"
  apt-get update -qq >"$PG_DIR/install.log" 2>&1 || die "apt-get update failed (see $PG_DIR/install.log)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >>"$PG_DIR/install.log" 2>&1 \
    || die "apt-get install postgresql failed (see $PG_DIR/install.log)"
  # Where a service manager runs, the package starts its own default cluster, on port 5432: this one
  # was made just now and is not used, so it is stopped.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h | awk '$4 == "online" { print $1, $2 }' | while read -r version cluster; do
      say "stopping the package's default cluster $version/$cluster"
      pg_ctlcluster "$version" "$cluster" stop || true
    done
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { [ -n "${BIN:-}" ] && [ -f "$DATA_DIR/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; }

# psql as the cluster's superuser, over the cluster's own socket.
superuser_psql() {
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$POSTGRES_PORT" -d postgres "$@"
}

url() { echo "postgres://$POSTGRES_USER:$POSTGRES_PASSWORD@127.0.0.1:$POSTGRES_PORT/$POSTGRES_DB"; }

up() {
  mkdir -p "$PG_DIR"
  BIN="$(find_bin_dir || true)"
  if [ -z "$BIN" ]; then
    install_postgres
    BIN="$(find_bin_dir)" || die "no server under /usr/lib/postgresql/*/bin after installing postgresql"
  fi
  if [ "$(id -u)" = "0" ]; then
    getent passwd postgres >/dev/null || die "no postgres user (Debian's postgresql package creates it)"
    # Installed just now: the directory was made before the postgres user existed.
    chown postgres: "$PG_DIR"
    runuser -u postgres -- test -w "$PG_DIR" \
      || die "the postgres user cannot write $PG_DIR (its parents must be searchable); set LEADSTREAM_POSTGRES_DIR"
  fi
  if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
    say "initialising a cluster in $DATA_DIR"
    # Local socket connections are the OS user's own (peer); TCP needs the password.
    as_owner "$BIN/initdb" -D "$DATA_DIR" --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
      >"$PG_DIR/initdb.log" 2>&1 || die "initdb failed (see $PG_DIR/initdb.log)"
  fi
  as_owner mkdir -p "$SOCKET_DIR"
  if running; then
    say "already running (127.0.0.1:$POSTGRES_PORT)"
  else
    if port_open "$POSTGRES_PORT"; then
      die "port $POSTGRES_PORT is taken by another process; stop it or set POSTGRES_PORT"
    fi
    say "starting PostgreSQL $(basename "$(dirname "$BIN")") on 127.0.0.1:$POSTGRES_PORT"
    as_owner "$BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t "$START_TIMEOUT" \
      -o "-c listen_addresses=127.0.0.1 -p $POSTGRES_PORT -k $SOCKET_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || die "PostgreSQL did not start within ${START_TIMEOUT}s (see $LOG_FILE)"
  fi
  # CREATEDB: integration tests make a database of their own, so runs never see each other's tenants.
  superuser_psql -v user="$POSTGRES_USER" -v password="$POSTGRES_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'user', :'password') \gexec
SQL
  superuser_psql -v db="$POSTGRES_DB" -v user="$POSTGRES_USER" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
  say "ready: DATABASE_URL=$(url)"
}

down() {
  BIN="$(find_bin_dir || true)"
  if running; then
    say "stopping PostgreSQL (127.0.0.1:$POSTGRES_PORT)"
    as_owner "$BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null
  fi
  if [ "${1:-}" = "--wipe" ]; then
    say "deleting $PG_DIR"
    rm -rf "$PG_DIR"
  fi
}

status() {
  BIN="$(find_bin_dir || true)"
  if running; then
    echo "postgres: running on 127.0.0.1:$POSTGRES_PORT ($DATA_DIR)"
  else
    echo "postgres: stopped"
    return 1
  fi
}

case "${1:-}" in
  up) up ;;
  down) down "${2:-}" ;;
  status) status ;;
  url) url ;;
  *) echo "usage: $0 up | down [--wipe] | status | url" >&2; exit 2 ;;
esac
