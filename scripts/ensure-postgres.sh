#!/usr/bin/env bash
# Sourced by scripts/test: makes sure a PostgreSQL server answers and exports
# GRASSROOTS_TEST_PG (an admin URL the tests use to create one database per test).
# Order: $GRASSROOTS_TEST_PG, a postgres $DATABASE_URL, the local server on 127.0.0.1:5432,
# else a throwaway cluster in a temp dir (installing the server with apt-get if missing).

pg_answers() {
  command -v psql >/dev/null 2>&1 && psql "$1" -tAc 'select 1' >/dev/null 2>&1
}

if [ -n "${GRASSROOTS_TEST_PG:-}" ]; then
  return 0 2>/dev/null || exit 0
fi
if [[ "${DATABASE_URL:-}" == postgres* ]] && pg_answers "$DATABASE_URL"; then
  export GRASSROOTS_TEST_PG="$DATABASE_URL"
  return 0 2>/dev/null || exit 0
fi
if pg_answers "postgres://postgres@127.0.0.1:5432/postgres"; then
  export GRASSROOTS_TEST_PG="postgres://postgres@127.0.0.1:5432/postgres"
  return 0 2>/dev/null || exit 0
fi

initdb_bin=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
if [ -z "$initdb_bin" ]; then
  echo "ensure-postgres: installing PostgreSQL with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  initdb_bin=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
fi
bindir=$(dirname "$initdb_bin")
pgdir=$(mktemp -d /tmp/grassroots-pg.XXXXXX)
port=55432
as_pg=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$pgdir"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$bindir/initdb" -D "$pgdir/data" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
GRASSROOTS_PG_STOP="${as_pg[*]} $bindir/pg_ctl -D $pgdir/data -m fast stop"
trap 'eval "$GRASSROOTS_PG_STOP" >/dev/null 2>&1; rm -rf "$pgdir"' EXIT
export GRASSROOTS_TEST_PG="postgres://postgres@127.0.0.1:$port/postgres"
echo "ensure-postgres: throwaway cluster on port $port" >&2
