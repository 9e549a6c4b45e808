#!/usr/bin/env bash
# The benchmark: builds the release binaries, starts mentorlink-server (durable, and with
# --sync off as a reference), the bare Beast relay and the Node.js ws relay, runs every scenario
# against each with bench/loadgen, and prints markdown tables of figures and ratios. Servers run
# on core 0, the load generator on core 1. Takes about 6 minutes on 2 cores.
#
#   bench/run.sh                  everything
#   bench/run.sh --quick          1-second windows, 1,000 idle connections, no 100,000 run (a smoke run)
#
# Results: bench/out/results.jsonl (one JSON line per run) and bench/out/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

warmup=2 seconds=8 idle_connections=10000 pairs=100
# The large idle run: mentorlink only, from several loopback source addresses (one address has
# only the ephemeral port range, about 28,000 ports); 0 leaves it out.
many_idle_connections=100000 many_idle_sources=8
if [ "${1:-}" = "--quick" ]; then warmup=1 seconds=1 idle_connections=1000 pairs=20 many_idle_connections=0; fi

./scripts/install-deps.sh --bench
npm ci --prefix bench/baselines/node-relay --no-audit --no-fund --silent
./scripts/build.sh release mentorlink-server mentorlink-loadgen beast-relay >/dev/null
./certs/make-dev-certs.sh >/dev/null

# 10,000 connections need 10,000 descriptors in each process.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((idle_connections + 1000)) ]; then
  echo "bench/run.sh: the descriptor limit ($(ulimit -n)) is below $((idle_connections + 1000)); raise the hard limit" >&2
  exit 1
fi

bin=$root/build/release/bin
cert=$root/certs/dev/server.crt key=$root/certs/dev/server.key ca=$root/certs/dev/ca.crt
out=$root/bench/out
work=$(mktemp -d)
mkdir -p "$out"
results=$out/results.jsonl
: >"$results"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

server_core=0 loadgen_core=1
if [ "$(nproc)" -lt 2 ]; then server_core=0 loadgen_core=0; fi

# The settings every mentorlink server runs with: one I/O thread (one core), limits per address
# raised for a load generator that is one address.
max_connections=30000
mentorlink_flags=(--threads 1 --max-connections "$max_connections" --max-connections-per-address "$max_connections"
  --auth-attempts-per-minute 10000000 --log-level warn)

wait_for_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench/run.sh: nothing listens on port $1" >&2
  exit 1
}

start() {  # start NAME PORT COMMAND...; sets $pid
  local name=$1 port=$2
  shift 2
  taskset -c "$server_core" "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_for_port "$port"
}

# A run that fails (an error, or no result by its --deadline) prints its result line with the
# reason, which the report shows; the benchmark goes on with the next row.
failures=0
loadgen() {  # loadgen LABEL PID SUBCOMMAND ARGS...
  local label=$1 server_pid=$2 sub=$3 status
  shift 3
  set +e
  taskset -c "$loadgen_core" "$bin/mentorlink-loadgen" "$sub" --label "$label" --server-pid "$server_pid" \
    --ca "$ca" --warmup "$warmup" --seconds "$seconds" "$@" | tee -a "$results" | cut -c1-160
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "bench/run.sh: the $sub run against $label failed (exit $status); going on with the next row" >&2
    failures=$((failures + 1))
  fi
}

mentorlink_server() {  # mentorlink_server NAME PORT EXTRA_FLAGS...; sets $pid and $world
  local name=$1 port=$2
  shift 2
  mkdir -p "$work/$name"
  invite=$("$bin/mentorlink-server" bootstrap --data "$work/$name" --name "Bench coordinator" | awk '/invite code:/ {print $3}')
  start "$name" "$port" "$bin/mentorlink-server" --data "$work/$name" --port "$port" --cert "$cert" --key "$key" \
    "${mentorlink_flags[@]}" "$@"
  world=$work/$name/world.json
  if ! taskset -c "$loadgen_core" "$bin/mentorlink-loadgen" setup --port "$port" --ca "$ca" --invite "$invite" \
    --pairs "$pairs" --world "$world"; then
    echo "bench/run.sh: setting up $name failed; its runs will fail for want of a world file" >&2
    failures=$((failures + 1))
  fi
}

echo "== starting servers (core $server_core); load generator on core $loadgen_core"
mentorlink_server durable 18443
durable_pid=$pid durable_world=$world
mentorlink_server nosync 18444 --sync off
nosync_pid=$pid nosync_world=$world
start beast 18445 "$bin/beast-relay" 18445 "$cert" "$key"
beast_pid=$pid
start node 18446 node "$root/bench/baselines/node-relay/relay.js" 18446 "$cert" "$key"
node_pid=$pid
node_version=$(node --version)

ml="mentorlink" nosync="mentorlink (no fsync)" beast="bare Beast relay" nodews="Node ws relay"

echo "== relay throughput (closed loop, $pairs pairs, 4 sends in flight per client)"
for payload in 64 1024; do
  loadgen "$ml" "$durable_pid" relay --port 18443 --world "$durable_world" --payload "$payload"
  loadgen "$nosync" "$nosync_pid" relay --port 18444 --world "$nosync_world" --payload "$payload"
  loadgen "$beast" "$beast_pid" relay --target baseline --port 18445 --pairs "$pairs" --payload "$payload"
  loadgen "$nodews" "$node_pid" relay --target baseline --port 18446 --pairs "$pairs" --payload "$payload"
done

# Every server gets the same rate: half of the Node relay's measured maximum (the load generator
# encrypts and decrypts every message here, which bounds what it can offer).
echo "== latency at half of the Node relay's maximum, same rate for all (open loop, Double Ratchet per message)"
for payload in 64 1024; do
  max=$(grep '"scenario":"throughput"' "$results" | grep "\"server\":\"$nodews\"" |
    grep "\"payload_bytes\":$payload," | grep -v '"failure"' | sed 's/.*"sends_per_s":\([0-9.eE+]*\).*/\1/')
  rate=$(awk -v m="${max:-0}" 'BEGIN { printf "%d", m / 2 }')
  if [ "$rate" -le 0 ]; then
    echo "bench/run.sh: no Node relay throughput at $payload B to take the rate from; no latency runs at $payload B" >&2
    failures=$((failures + 1))
    continue
  fi
  loadgen "$ml" "$durable_pid" relay --port 18443 --world "$durable_world" --payload "$payload" --rate "$rate" --encrypt
  loadgen "$beast" "$beast_pid" relay --target baseline --port 18445 --pairs "$pairs" --payload "$payload" --rate "$rate" --encrypt
  loadgen "$nodews" "$node_pid" relay --target baseline --port 18446 --pairs "$pairs" --payload "$payload" --rate "$rate" --encrypt
done

echo "== handshakes (32 at a time)"
loadgen "$ml" "$durable_pid" handshakes --port 18443 --world "$durable_world"
loadgen "$beast" "$beast_pid" handshakes --target baseline --port 18445 --pairs "$pairs"
loadgen "$nodews" "$node_pid" handshakes --target baseline --port 18446 --pairs "$pairs"

echo "== document versions (one writer per pair, 1 KiB)"
loadgen "$ml" "$durable_pid" documents --port 18443 --world "$durable_world"
loadgen "$nosync" "$nosync_pid" documents --port 18444 --world "$nosync_world"

echo "== idle connections ($idle_connections each; fresh server processes)"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()
mentorlink_server idle 18447
loadgen "$ml" "$pid" idle --port 18447 --connections "$idle_connections"
start beast-idle 18448 "$bin/beast-relay" 18448 "$cert" "$key"
loadgen "$beast" "$pid" idle --port 18448 --connections "$idle_connections"
start node-idle 18449 node "$root/bench/baselines/node-relay/relay.js" 18449 "$cert" "$key"
loadgen "$nodews" "$pid" idle --port 18449 --connections "$idle_connections"

if [ "$many_idle_connections" -gt 0 ]; then
  many="mentorlink ($many_idle_connections connections)"
  echo "== idle connections ($many_idle_connections, mentorlink only, from $many_idle_sources source addresses)"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  needed=$((many_idle_connections + 1000))  # descriptors in the server and in the load generator
  if [ "$(ulimit -n)" -lt "$needed" ]; then
    reason="needs $needed descriptors per process; the hard limit here is $(ulimit -Hn) (raise it with ulimit -Hn or LimitNOFILE)"
    echo "bench/run.sh: the $many_idle_connections-connection idle run $reason; left out" >&2
    printf '{"scenario":"idle","server":"%s","connections":%s,"failure":"%s"}\n' "$many" "$many_idle_connections" "$reason" >>"$results"
    failures=$((failures + 1))
  else
    mentorlink_flags=(--threads 1 --max-connections "$needed" --max-connections-per-address "$needed"
      --auth-attempts-per-minute 10000000 --log-level warn)
    mentorlink_server many-idle 18450
    loadgen "$many" "$pid" idle --port 18450 --connections "$many_idle_connections" \
      --source-addresses "$many_idle_sources"
  fi
fi

{
  echo "## Results"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)," \
    "Node $node_version, ws $(node -p "require('$root/bench/baselines/node-relay/node_modules/ws/package.json').version")," \
    "$(openssl version | cut -d' ' -f1-2). TLS 1.3 (the servers refuse older), ECDSA P-256 certificate, loopback."
  echo "Servers on core $server_core, load generator on core $loadgen_core; $pairs pairs ($((2 * pairs)) clients);" \
    "${warmup} s warm-up, ${seconds} s measured per run. mentorlink flags: ${mentorlink_flags[*]}."
  echo
  "$bin/mentorlink-loadgen" report "$results"
} >"$out/report.md"
echo
cat "$out/report.md"
if [ "$failures" -gt 0 ]; then
  echo "bench/run.sh: $failures runs failed (their reasons are in the report)" >&2
  exit 1
fi
