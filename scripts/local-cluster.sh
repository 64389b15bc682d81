#!/usr/bin/env bash
# Starts a local cluster of N silos (default 3) on one PostgreSQL, prints every port, stops everything on Ctrl-C.
#
#   scripts/local-cluster.sh                   # throwaway PostgreSQL in a temp dir + 3 silos
#   scripts/local-cluster.sh -n 2              # 2 silos
#   scripts/local-cluster.sh -c "Host=db;Username=notify;Password=…;Database=notify"   # an existing database
#
# Silo i (1-based) listens on: silo 11110+i, gateway 30000+i, HTTP 5080+10*(i-1), gRPC 5081+10*(i-1).
# Logs: <work dir>/silo<i>.log, deleted on Ctrl-C, kept when something failed. Extra configuration: export it before running, e.g. Channels__Email__Host=….
set -euo pipefail

silos=3
connection=""
while getopts "n:c:h" option; do
  case "$option" in
    n) silos="$OPTARG" ;;
    c) connection="$OPTARG" ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/notify-cluster.XXXXXX)"
pids=()
pg_data=""
pg_bin=""

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_all() {
  local status=$?
  trap - INT TERM EXIT
  echo
  echo "stopping ${#pids[@]} silo(s) (SIGTERM: each drains and leaves the cluster)…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_data" ]; then
    as_postgres "$pg_bin/pg_ctl" stop -D "$pg_data" -m fast -s || true
  fi
  if [ "$status" -eq 0 ] || [ "$status" -eq 130 ] || [ "$status" -eq 143 ]; then
    rm -rf "$work"
  else
    # Something failed (a silo exited, PostgreSQL or the build did not start): keep the logs that say why.
    rm -rf "$pg_data"
    echo "logs kept in $work"
  fi
  echo "stopped"
  exit "$status"
}
trap stop_all EXIT
# Ctrl-C or a TERM ends the script, which stops everything on its way out (the EXIT trap), exiting 130 or 143.
trap 'exit 130' INT
trap 'exit 143' TERM

echo "building the silo…"
dotnet build "$root/Silo/Silo.csproj" -c Release -v q -nologo >/dev/null
dll="$root/Silo/bin/Release/net10.0/Notify.Silo.dll"

if [ -z "$connection" ]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [ -x "$pg_bin/initdb" ] || { echo "no PostgreSQL server binaries: apt-get install postgresql, or pass -c CONNECTION_STRING" >&2; exit 1; }
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  pg_data="$work/pgdata"
  mkdir -p "$pg_data"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$work"
  as_postgres "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-instructions >/dev/null
  as_postgres "$pg_bin/pg_ctl" start -D "$pg_data" -l "$work/postgres.log" -w -s \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$work -c max_connections=200"
  # Timeouts bound how long a request waits for an unreachable database (docs/cluster.md, "PostgreSQL outage").
  connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Timeout=3;Command Timeout=10"
  echo "PostgreSQL: 127.0.0.1:$pg_port (throwaway, in $pg_data)"
fi

# Failover in seconds rather than a minute, as in the cluster tests; unset these for production defaults.
export Notify__Profile=Postgres
export ConnectionStrings__Notify="$connection"
export Orleans__ClusterId="${Orleans__ClusterId:-local}"
export Orleans__ServiceId="${Orleans__ServiceId:-local}"
export Orleans__Membership__ProbeTimeout="${Orleans__Membership__ProbeTimeout:-00:00:02}"
export Orleans__Membership__NumMissedProbesLimit="${Orleans__Membership__NumMissedProbesLimit:-2}"
export Orleans__Membership__TableRefreshTimeout="${Orleans__Membership__TableRefreshTimeout:-00:00:05}"
export Orleans__Membership__IAmAliveTablePublishTimeout="${Orleans__Membership__IAmAliveTablePublishTimeout:-00:00:05}"
export Notify__Outbox__Path="${Notify__Outbox__Path:-$work/outbox}"

printf '%-6s %-6s %-8s %-6s %-6s %s\n' silo pid orleans gwy http grpc
for i in $(seq 1 "$silos"); do
  silo_port=$((11110 + i)); gateway_port=$((30000 + i)); http_port=$((5080 + 10 * (i - 1))); grpc_port=$((5081 + 10 * (i - 1)))
  (cd "$(dirname "$dll")" && Silo__SiloPort=$silo_port Silo__GatewayPort=$gateway_port \
     Gateway__HttpPort=$http_port Gateway__GrpcPort=$grpc_port \
     exec dotnet "$dll" >"$work/silo$i.log" 2>&1) &
  pids+=($!)
  printf '%-6s %-6s %-8s %-6s %-6s %s\n' "silo$i" "$!" "$silo_port" "$gateway_port" "$http_port" "$grpc_port"
done

for i in $(seq 1 "$silos"); do
  http_port=$((5080 + 10 * (i - 1)))
  for _ in $(seq 1 240); do
    if curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1; then echo "silo$i ready: http://127.0.0.1:$http_port/readyz"; break; fi
    if ! kill -0 "${pids[$((i - 1))]}" 2>/dev/null; then echo "silo$i exited; see $work/silo$i.log" >&2; tail -n 20 "$work/silo$i.log" >&2; exit 1; fi
    sleep 0.5
  done
done

echo "cluster '$Orleans__ClusterId' up: ${silos} silo(s) on $connection"
echo "dashboard http://127.0.0.1:5080/dashboard · logs in $work · Ctrl-C stops everything"
wait -n "${pids[@]}" || true
echo "a silo exited; stopping the rest" >&2
exit 1
