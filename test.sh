#!/usr/bin/env bash
# Runs every test: installs what the tests need, starts a throwaway PostgreSQL cluster, runs the suites
# (SQLite, PostgreSQL and browser tests), and stops the cluster however the run ends.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
    echo "test.sh: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

pgbin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pgdir=$(mktemp -d /tmp/verity-pg.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
chown postgres "$pgdir"
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
stop_pg() { run_pg "$pgbin/pg_ctl -D $pgdir/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
trap stop_pg EXIT
run_pg "$pgbin/initdb -D $pgdir/data -A trust -U postgres" >/dev/null
# fsync=off only speeds up this throwaway cluster; no test here measures durability.
run_pg "$pgbin/pg_ctl -D $pgdir/data -l $pgdir/log -o '-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300' -w start" >/dev/null
export VERITY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"

dotnet restore Verity.slnx
dotnet build Verity.slnx --no-restore -c Release
dotnet format Verity.slnx --verify-no-changes --no-restore
log="$pgdir/test.log"
status=0
dotnet test Verity.slnx --no-build -c Release 2>&1 | tee "$log" || status=$?
# One closing line over all test projects.
awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { failed += $2; passed += $4 } END { printf "%d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
