#!/usr/bin/env bash
# Measures the agent's footprint with the JVM options of its systemd unit: package size, time
# from process start to a connected stream, and idle RSS. Runs a throwaway controller on
# 127.0.0.1 and a dry-run agent (no firewall change); needs the jars built (`./bulwark --help`).
#   installer/measure-agent.sh [IDLE_SECONDS]   (default 20; MEASURE_JAVA_OPTS overrides the options,
#   MEASURE_SMAPS=1 breaks the RSS down by mapping, MEASURE_NMT=1 by JVM area,
#   MEASURE_JCMD='GC.class_histogram' runs that jcmd command on the idle agent)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="0.1.0-SNAPSHOT"
controller_jar="$root/controller/target/bulwark-controller-$version-all.jar"
agent_jar="$root/agent/target/bulwark-agent-$version-all.jar"
idle="${1:-20}"
work="$(mktemp -d -t bulwark-measure.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(( 20000 + RANDOM % 20000 ))
java -jar "$controller_jar" controller --data-dir "$work/ctl" --listen "127.0.0.1:$port" >"$work/controller.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 300); do [[ -f "$work/ctl/controller.properties" ]] && break; sleep 0.1; done
[[ -f "$work/ctl/controller.properties" ]] || { cat "$work/controller.log"; exit 1; }

java -jar "$controller_jar" agent-package --device measure-1 --kind dry-run --out "$work/pkg" \
  --agent-jar "$agent_jar" --data-dir "$work/ctl"
echo "package size: $(du -sb "$work/pkg" | cut -f1) bytes ($(du -sh "$work/pkg" | cut -f1))"

# The options as install.sh installs them on this host (it adds what this host's Java accepts).
bash "$work/pkg/install.sh" --root "$work/root" --no-systemd --no-start >/dev/null
# shellcheck source=/dev/null
. "$work/root/etc/bulwark-agent/agent.env"
JAVA_OPTS="${MEASURE_JAVA_OPTS:-$JAVA_OPTS}"   # to try other options
export MALLOC_ARENA_MAX
start_ns=$(date +%s%N)
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$work/pkg/bulwark-agent.jar" --controller "127.0.0.1:$port" \
  --token-file "$work/pkg/enroll.token" --data-dir "$work/agent" --applier dry-run >"$work/agent.log" 2>&1 &
agent=$!
pids+=("$agent")
for _ in $(seq 1 600); do grep -q "connected to controller" "$work/agent.log" && break; sleep 0.01; done
grep -q "connected to controller" "$work/agent.log" || { cat "$work/agent.log"; exit 1; }
end_ns=$(date +%s%N)
echo "start to connected (first start, includes key generation and enrollment): $(( (end_ns - start_ns) / 1000000 )) ms"
sleep "$idle"
echo "idle RSS after ${idle}s: $(awk '/VmRSS/ {print $2, $3}' "/proc/$agent/status")"
if [[ -n "${MEASURE_SMAPS:-}" ]]; then
  grep -E "^(Rss|Pss|Shared|Private|Anonymous)" "/proc/$agent/smaps_rollup"
  awk '/^[0-9a-f]+-[0-9a-f]+ / {name=$6} /^Rss:/ {rss[name]+=$2} END {for (n in rss) if (rss[n] > 500) print rss[n], "kB", n}' \
    "/proc/$agent/smaps" | sort -rn | head -15
fi
if [[ -n "${MEASURE_JCMD:-}" ]]; then jcmd "$agent" $MEASURE_JCMD | head -40; fi
if [[ -n "${MEASURE_NMT:-}" ]]; then jcmd "$agent" VM.native_memory summary | grep -E "committed" | head -25; fi

kill "$agent"; wait "$agent" 2>/dev/null || true
start_ns=$(date +%s%N)
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$work/pkg/bulwark-agent.jar" --controller "127.0.0.1:$port" \
  --data-dir "$work/agent" --applier dry-run >"$work/agent2.log" 2>&1 &
agent=$!
pids+=("$agent")
for _ in $(seq 1 600); do grep -q "connected to controller" "$work/agent2.log" && break; sleep 0.01; done
end_ns=$(date +%s%N)
echo "start to connected (enrolled restart): $(( (end_ns - start_ns) / 1000000 )) ms"
echo "JVM options: $JAVA_OPTS"
