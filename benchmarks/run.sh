#!/usr/bin/env bash
# Runs the ForceFlux JMH benchmarks and writes benchmarks/results/<Benchmark>.json plus SUMMARY.md.
#
#   benchmarks/run.sh [--quick] [--only NAME[,NAME...]] [--note TEXT]
#
#   --quick   short warmup and measurement, one fork, the main contenders only: under 10 minutes on 2 cores.
#             Without it (full mode): longer runs, more forks, every parameter (about 70 minutes on 2 cores).
#   --only    run only these benchmarks (TokenReadBenchmark, ExpiryStormBenchmark, FilterOverheadBenchmark,
#             QueryStreamingBenchmark, FleetTokenRequestsBenchmark, BulkQueryBenchmark, BulkIngestBenchmark,
#             WriteStrategiesBenchmark); SUMMARY.md is regenerated from every JSON
#             file in the results directory. FleetTokenRequestsBenchmark runs a real Redis (the installed one, else an embedded binary).
#   --note    a line quoted at the top of SUMMARY.md (for example, what else was running on the machine).
#
# Builds nothing: it needs benchmarks/target/benchmarks.jar (from the README's build, ./mvnw -B -q -DskipTests package).
# A benchmark that throws (a failed ForceFlux request, a wrong record count) is reported as FAILED and makes the
# script exit 1 after the summary is written. JMH logs go to benchmarks/target/benchmark-logs/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
results="$here/results"
logs="$here/target/benchmark-logs"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

mode=full
only=""
note=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --only) only="${2:?--only needs a benchmark name}"; shift ;;
    --note) note="${2:?--note needs a text}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [[ ! -f "$jar" ]]; then
  echo "benchmarks jar not found: $jar" >&2
  echo "build it first:  cd $root && ./mvnw -B -q -DskipTests package" >&2
  exit 2
fi

# JMH options per benchmark and mode. Settings given here override the annotations on the classes.
declare -A opts
if [[ $mode == quick ]]; then
  opts[TokenReadBenchmark]="-wi 3 -w 1s -i 5 -r 1s -f 1 -prof gc"
  opts[ExpiryStormBenchmark]="-wi 1 -i 3 -bs 1 -f 1 -p expiry=in-flight -p client=forceflux,retry-per-request,spring-security"
  # The refresh-token variant of Spring Security fails every request after an expiry; one small run shows it.
  opts[ExpiryStormBenchmark-spring-refresh-token]="-wi 1 -i 3 -bs 1 -f 1 -p expiry=in-flight -p client=spring-security-refresh-token -p inFlight=1000"
  # Loopback benchmarks need ~20 s before the JIT settles (fake org, Netty and client share the JVM): measured
  # before that, throughput still climbs from one iteration to the next and the ratio measures warmup. The filter
  # runs 20 iterations: its target (0.95) sits close to its ratio, and 5 give an error of about ±0.14.
  opts[FilterOverheadBenchmark]="-wi 10 -w 2s -i 20 -r 2s -f 1"
  opts[QueryStreamingBenchmark]="-wi 3 -w 5s -i 5 -r 5s -f 1 -prof gc"
  # Every fleet size, without a store and with Redis (in-memory, the same protocol in one process, in full mode only).
  opts[FleetTokenRequestsBenchmark]="-wi 1 -i 3 -bs 1 -f 1 -p store=none,redis"
  # One million records per operation: a few streams and loads are enough (bulk query runs in a 64 MiB heap).
  opts[BulkQueryBenchmark]="-wi 1 -w 1s -i 3 -r 1s -f 1"
  opts[BulkIngestBenchmark]="-wi 1 -i 2 -f 1"
  # 10,000 creates and 10,000 updates four ways; one shot each is a batch of 10,000 writes.
  opts[WriteStrategiesBenchmark]="-wi 1 -i 1 -f 1"
else
  opts[TokenReadBenchmark]="-wi 5 -w 2s -i 10 -r 2s -f 3 -prof gc"
  opts[ExpiryStormBenchmark]="-wi 3 -i 10 -bs 1 -f 2"
  opts[FilterOverheadBenchmark]="-wi 6 -w 5s -i 10 -r 5s -f 3"
  opts[QueryStreamingBenchmark]="-wi 4 -w 10s -i 10 -r 10s -f 2 -prof gc"
  opts[FleetTokenRequestsBenchmark]="-wi 2 -i 10 -bs 1 -f 1"
  opts[BulkQueryBenchmark]="-wi 2 -w 1s -i 5 -r 1s -f 2"
  opts[BulkIngestBenchmark]="-wi 1 -i 5 -f 2"
  opts[WriteStrategiesBenchmark]="-wi 1 -i 3 -f 1"
fi
order=(TokenReadBenchmark ExpiryStormBenchmark ExpiryStormBenchmark-spring-refresh-token FilterOverheadBenchmark
  QueryStreamingBenchmark FleetTokenRequestsBenchmark BulkQueryBenchmark BulkIngestBenchmark WriteStrategiesBenchmark)

selected() { # $1: run name; true when it is to run
  local class="${1%%-*}"
  [[ -n "${opts[$1]:-}" ]] || return 1
  [[ -z "$only" ]] && return 0
  [[ ",$only," == *",$class,"* ]]
}

if [[ -n "$only" ]]; then
  IFS=',' read -r -a wanted <<< "$only"
  for name in "${wanted[@]}"; do
    [[ $name != *-* && -n "${opts[$name]:-}" ]] || { echo "unknown benchmark: $name" >&2; exit 2; }
  done
fi

mkdir -p "$results" "$logs"
"$java" -version > "$results/jdk.txt" 2>&1
{
  echo "cores (nproc): $(nproc)"
  echo "memory: $(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo unknown)"
  echo "cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)"
  echo "os: $(uname -srm)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
} > "$results/machine.txt"

failed=()
started=$SECONDS
for name in "${order[@]}"; do
  selected "$name" || continue
  class="${name%%-*}"
  rm -f "$results/$name.json"
  echo "=== $name ($mode): ${opts[$name]}"
  # shellcheck disable=SC2086 # the options are words on purpose
  if ! "$java" -jar "$jar" "^io\\.forceflux\\.benchmarks\\.$class\\." ${opts[$name]} \
      -rf json -rff "$results/$name.json" 2>&1 | tee "$logs/$name.log" | grep -E '^(# Run progress|# Benchmark:|# Parameters|Result|Benchmark |[A-Z][A-Za-z]+Benchmark\.)|<failure>|Exception'; then
    : # grep finds nothing only when the log is empty; the checks below decide
  fi
  if grep -q '<failure>' "$logs/$name.log" || [[ ! -s "$results/$name.json" ]]; then
    echo "!!! $name FAILED: see $logs/$name.log" >&2
    failed+=("$name")
  fi
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >> "$results/machine.txt"
echo "benchmark time: $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s ($mode mode)" >> "$results/machine.txt"

summary_args=("$results" --mode "$mode")
[[ -n "$note" ]] && summary_args+=(--note "$note")
for name in "${failed[@]}"; do summary_args+=(--failed "$name"); done
"$java" -cp "$jar" io.forceflux.benchmarks.Summary "${summary_args[@]}"

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
