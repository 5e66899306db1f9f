#!/usr/bin/env bash
# What the database alone allows, on the cluster Verity's load benchmark uses: the pgbench model of Verity's next and
# submit (lease-and-answer.sql) and plain `pgbench -N`, each for SECONDS at CLIENTS connections; RATE (transactions/s,
# optional) throttles both to an offered load, as annotators with think time offer one. Prints throughput and
# p50/p95/p99 latency from pgbench's per-transaction log.
# usage: bench/pgbench/run.sh 'host=127.0.0.1 port=5434 user=postgres' CLIENTS SECONDS [RATE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
conn=$1 clients=$2 seconds=$3 rate=${4:-}
db=verity_pgbench
psql "$conn dbname=postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql "$conn dbname=$db" -q -f "$here/lease-and-answer-init.sql"
pgbench -q -i -s 10 "$conn dbname=$db" 2>/dev/null
logs=$(mktemp -d)
throttle=(); [ -n "$rate" ] && throttle=(-R "$rate")
for run in lease-and-answer simple-update; do
    script=(-f "$here/lease-and-answer.sql"); [ "$run" = simple-update ] && script=(-N)
    (cd "$logs" && pgbench -n -c "$clients" -j 2 -T "$seconds" "${throttle[@]}" "${script[@]}" -l --log-prefix="$run" "$conn dbname=$db" 2>&1 |
        grep -E "^(tps|number of (transactions actually|failed)|latency average)")
    # Field 3 of the log is the latency in microseconds (from the scheduled start under -R).
    cat "$logs/$run".* | awk '{print $3 / 1000}' | sort -n | awk -v run="$run" '{ v[NR] = $1 } END {
        printf "%-16s transactions %d  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms\n", run, NR, v[int(NR * 0.50)], v[int(NR * 0.95)], v[int(NR * 0.99)], v[NR] }'
done
rm -rf "$logs"
psql "$conn dbname=postgres" -qc "DROP DATABASE $db"
