#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster on a local port for the test suite and print the
# variables to use:   eval "$(bash .ci/postgres.sh)"   (exports PROVENANCE_TEST_PG_URL and
# PG_CLUSTER_DIR);   bash .ci/postgres.sh --stop DIR   stops it.
# Installs Debian's postgresql first when no server binaries are present.
set -euo pipefail
PORT="${PG_PORT:-55432}"

server_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_pg() {
  # the server refuses to run as root: run it as the postgres system user when we are root
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

if [ "${1:-}" = "--stop" ]; then
  as_pg "'$(server_bin)/pg_ctl' -D '$2/data' -m immediate stop"
  exit 0
fi

bindir=$(server_bin || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "installing PostgreSQL from Debian packages" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
  bindir=$(server_bin)
fi

dir=$(mktemp -d /tmp/provenance-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
fi
as_pg "'$bindir/initdb' -D '$dir/data' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >&2
# a port another server holds is no reason to fail: the next ones are tried
for attempt in $(seq 0 19); do
  port=$((PORT + attempt))
  rm -f "$dir/log"
  if as_pg "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off\" start" >&2; then
    break
  fi
  if [ "$attempt" = 19 ] || ! grep -q "Address already in use" "$dir/log" 2>/dev/null; then
    cat "$dir/log" >&2 || true
    exit 1
  fi
  echo "port $port is in use: trying $((port + 1))" >&2
done
echo "export PROVENANCE_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "export PG_CLUSTER_DIR=$dir"
