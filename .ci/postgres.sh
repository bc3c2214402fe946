#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the store tests and prints its URL.
# Installs Debian's postgresql if it is missing. Idempotent within one machine boot.
set -euo pipefail
PORT=${STEWARD_PG_PORT:-54329}
DIR=${STEWARD_PG_DIR:-/tmp/steward-ci-pg}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
RUN=(su postgres -s /bin/bash -c)
[ "$(id -u)" = 0 ] || RUN=(bash -c)
if ! "${RUN[@]}" "$BIN/pg_isready -q -h 127.0.0.1 -p $PORT" >/dev/null 2>&1; then
  rm -rf "$DIR" && mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  "${RUN[@]}" "$BIN/initdb -D $DIR/data -U steward --auth=trust" >/dev/null
  "${RUN[@]}" "$BIN/pg_ctl -s -D $DIR/data -l $DIR/log -o '-h 127.0.0.1 -p $PORT -k $DIR' -w start" >&2
fi
echo "postgres://steward@127.0.0.1:$PORT/postgres"
