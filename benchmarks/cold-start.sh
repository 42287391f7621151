#!/usr/bin/env bash
# Cold-start benchmark of the forceflux command, whole processes, against one `forceflux sim --accounts 200000`.
#
#   ./mvnw -B -q -DskipTests package && benchmarks/cold-start.sh [RUNS]
#
# Side by side in one run: RUNS rounds (default 5), each starting every case once as a cold process; per case the
# best round counts (wall clock):
#   - the sim's own start-up, to its JSON line;
#   - cli/target/forceflux (launcher: class-data archive) query LIMIT 1, 200,000 rows as ndjson and as csv;
#   - the same through `java -jar cli/target/forceflux.jar` (no archive);
#   - BASELINE_JAR=/path/to/older/forceflux.jar adds the same through an older build ("before");
#   - the peer: jsforce (npm, installed into $JSFORCE_DIR when missing) with autoFetch, records printed as JSON lines.
# Writes benchmarks/results/cold-start.md (or $OUT). Needs bash, java 17+, node 18+ and npm; nothing else.
set -euo pipefail

RUNS=${1:-5}
ROWS=200000
here=$(cd "$(dirname "$0")" && pwd -P)
root=$(dirname "$here")
launcher="$root/cli/target/forceflux"
jar="$root/cli/target/forceflux.jar"
out=${OUT:-$here/results/cold-start.md}
jsforce_dir=${JSFORCE_DIR:-${TMPDIR:-/tmp}/forceflux-bench-jsforce}
work=$(mktemp -d)
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$launcher" ] && [ -f "$jar" ] || { echo "build first: ./mvnw -B -q -DskipTests package" >&2; exit 2; }
command -v node >/dev/null || { echo "node is required for the jsforce peer" >&2; exit 2; }

if [ ! -d "$jsforce_dir/node_modules/jsforce" ]; then
  echo "installing jsforce into $jsforce_dir" >&2
  npm install --silent --no-audit --no-fund --prefix "$jsforce_dir" jsforce@3 >&2
fi
jsforce_version=$(node -p "require('$jsforce_dir/node_modules/jsforce/package.json').version")

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Starts the sim and waits for its JSON line; sets sim_pid and sim_ms (not a subshell: the pid must reach stop_sim).
start_sim() {
  local t0 line
  t0=$(now_ms)
  coproc SIM { exec "$launcher" sim --accounts "$ROWS" 2>/dev/null; }
  sim_pid=$SIM_PID
  IFS= read -r line <&"${SIM[0]}"
  sim_ms=$(( $(now_ms) - t0 ))
  echo "$line" > "$work/sim.json"
}
stop_sim() {
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=""
}

sim_best=""
for _ in $(seq "$RUNS"); do
  start_sim
  stop_sim
  if [ -z "$sim_best" ] || [ "$sim_ms" -lt "$sim_best" ]; then sim_best=$sim_ms; fi
done
start_sim

field() { node -p "JSON.parse(require('fs').readFileSync('$work/sim.json','utf8')).$1"; }
export SF_LOGIN_URL SF_CLIENT_ID SF_CLIENT_SECRET SF_REFRESH_TOKEN
SF_LOGIN_URL=$(field loginUrl)
SF_CLIENT_ID=$(field clientId)
SF_CLIENT_SECRET=$(field clientSecret)
SF_REFRESH_TOKEN=$(field refreshToken)
api_version=$(field apiVersion)

cat > "$work/peer.js" <<'JS'
// The jsforce peer: refresh-token grant, then the query with autoFetch, each record printed as one JSON line.
const jsforce = require(process.env.JSFORCE_DIR + '/node_modules/jsforce');
(async () => {
  const form = new URLSearchParams({grant_type: 'refresh_token', client_id: process.env.SF_CLIENT_ID,
    client_secret: process.env.SF_CLIENT_SECRET, refresh_token: process.env.SF_REFRESH_TOKEN});
  const token = await (await fetch(process.env.SF_LOGIN_URL + '/services/oauth2/token', {method: 'POST', body: form})).json();
  const conn = new jsforce.Connection({instanceUrl: token.instance_url, accessToken: token.access_token,
    version: process.env.API_VERSION});
  const out = [];
  let n = 0;
  await new Promise((resolve, reject) => {
    conn.query(process.argv[2]).on('record', r => {
      delete r.attributes;
      out.push(JSON.stringify(r));
      if (out.length >= 2000) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
      n++;
    }).on('end', resolve).on('error', reject).run({autoFetch: true, maxFetch: 100000000});
  });
  if (out.length) process.stdout.write(out.join('\n') + '\n');
})().catch(e => { console.error(e.message); process.exit(1); });
JS

all="SELECT Id, Name FROM Account"
one="SELECT Id, Name FROM Account LIMIT 1"
export JSFORCE_DIR=$jsforce_dir API_VERSION=$api_version
# Warm the sim (its JIT, its page cache of generated rows: a client in a hurry meets a warm server), and let the
# command remember the API version.
for _ in 1 2 3; do
  "$launcher" query "$all" > /dev/null
  node "$work/peer.js" "$all" > /dev/null
done

case_ff_one() { "$launcher" query "$one"; }
case_ff_all() { "$launcher" query "$all"; }
case_ff_csv() { "$launcher" query "$all" --format csv; }
case_jar_one() { java -jar "$jar" query "$one"; }
case_jar_all() { java -jar "$jar" query "$all"; }
case_jar_csv() { java -jar "$jar" query "$all" --format csv; }
case_base_one() { java -jar "$BASELINE_JAR" query "$one"; }
case_base_all() { java -jar "$BASELINE_JAR" query "$all"; }
case_base_csv() { java -jar "$BASELINE_JAR" query "$all" --format csv; }
case_js_one() { node "$work/peer.js" "$one"; }
case_js_all() { node "$work/peer.js" "$all"; }
cases="ff_one ff_all ff_csv jar_one jar_all jar_csv js_one js_all"
if [ -n "${BASELINE_JAR:-}" ]; then
  cases="$cases base_one base_all base_csv"
fi

# Rounds, each running every case once, so that a change in the machine's load hits all cases alike; per case the
# best round counts ("best_ms lines"). Each case starts after a pause (PAUSE seconds, default 2): the sim shares
# the machine, and after serving 200,000 rows it is still collecting garbage and compiling for a moment, which
# would otherwise fall on whichever case comes next.
declare -A r
for _ in $(seq "$RUNS"); do
  for k in $cases; do
    sleep "${PAUSE:-2}"
    t0=$(now_ms)
    "case_$k" > "$work/out" 2>"$work/err" || { echo "failed: $k" >&2; cat "$work/err" >&2; exit 1; }
    t=$(( $(now_ms) - t0 ))
    lines=$(wc -l < "$work/out")
    if [ -z "${r[$k]:-}" ] || [ "$t" -lt "${r[$k]%% *}" ]; then r[$k]="$t $lines"; fi
  done
done

ms() { echo "${r[$1]%% *}"; }
rows() { echo "${r[$1]##* }"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

{
  echo "# Cold start: forceflux vs jsforce"
  echo
  echo "Generated by \`benchmarks/cold-start.sh $RUNS\` on $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) cores, load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') at the end; $(java -version 2>&1 | head -1);" \
    "node $(node --version), jsforce $jsforce_version. Whole processes, best of $RUNS interleaved rounds, wall clock (ms), against one" \
    "\`forceflux sim --accounts $ROWS\`, warmed by three runs of each client first; ${PAUSE:-2} s pause before each case."
  echo
  echo "| what | ms (best of $RUNS) | stdout lines |"
  echo "|---|---:|---:|"
  echo "| \`forceflux sim --accounts $ROWS\` to its JSON line | $sim_best | 1 |"
  for k in ff_one ff_all ff_csv jar_one jar_all jar_csv base_one base_all base_csv js_one js_all; do
    [ -n "${r[$k]:-}" ] || continue
    case $k in
      ff_one) what="\`forceflux query\` LIMIT 1 (launcher, CDS archive)";;
      ff_all) what="\`forceflux query\` $ROWS rows, ndjson (launcher)";;
      ff_csv) what="\`forceflux query\` $ROWS rows, csv (launcher)";;
      jar_one) what="\`java -jar forceflux.jar query\` LIMIT 1 (no archive)";;
      jar_all) what="\`java -jar forceflux.jar query\` $ROWS rows, ndjson (no archive)";;
      jar_csv) what="\`java -jar forceflux.jar query\` $ROWS rows, csv (no archive)";;
      base_one) what="before (BASELINE_JAR) LIMIT 1";;
      base_all) what="before (BASELINE_JAR) $ROWS rows, ndjson";;
      base_csv) what="before (BASELINE_JAR) $ROWS rows, csv";;
      js_one) what="jsforce LIMIT 1";;
      js_all) what="jsforce autoFetch $ROWS rows, JSON lines";;
    esac
    echo "| $what | $(ms $k) | $(rows $k) |"
  done
  echo
  echo "Ratios (above 1: forceflux faster):"
  echo
  echo "- $ROWS rows, jsforce time / forceflux time: ndjson $(ratio "$(ms js_all)" "$(ms ff_all)")," \
    "csv $(ratio "$(ms js_all)" "$(ms ff_csv)") (target: at least 1.5)"
  echo "- LIMIT 1, jsforce time / forceflux time: $(ratio "$(ms js_one)" "$(ms ff_one)") (target: above 1)"
  echo "- LIMIT 1, no-archive time / launcher time: $(ratio "$(ms jar_one)" "$(ms ff_one)")"
  if [ -n "${r[base_one]:-}" ]; then
    echo "- LIMIT 1, before / now: $(ratio "$(ms base_one)" "$(ms ff_one)") (target: at least 2);" \
      "$ROWS rows ndjson, before / now: $(ratio "$(ms base_all)" "$(ms ff_all)")"
  fi
} > "$out"
cat "$out"
