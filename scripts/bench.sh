#!/usr/bin/env bash
# bench.sh — measures vendormock against the plain-Go limit (../shared/bench/limit) and prints
# one line per target of issue 7: the measured figure and the target. It never fails on timing:
# exit 0 unless something is broken. Everything runs on 127.0.0.1 and is killed on exit.
#
#   scripts/bench.sh                 # 3 rounds x 10 s per pair
#   ROUNDS=5 SECONDS_PER_RUN=10 scripts/bench.sh
#   BENCH_QUICK=1 scripts/bench.sh   # 1 round x 3 s: a smoke run, figures are rough
#
# Env: ROUNDS (3), SECONDS_PER_RUN (10; SECONDS is bash's own clock, so it is not used),
# BENCH_QUICK=1, BENCH_FILL_SECONDS (120: time cap of the 100,000-create memory fill), BENCH_SHARED (default: ../shared/bench beside the repo), BENCH_KEEP=1 keeps the
# temp dir (logs, generated specs, raw pair outputs).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${BENCH_SHARED:-$REPO/../shared/bench}"
[ -f "$SHARED/pair.sh" ] || { echo "bench.sh: $SHARED/pair.sh not found (set BENCH_SHARED)" >&2; exit 1; }
SHARED="$(cd "$SHARED" && pwd)"
ROUNDS="${ROUNDS:-3}"; SECS="${SECONDS_PER_RUN:-10}"
if [ "${BENCH_QUICK:-}" = 1 ]; then ROUNDS=1; SECS=3; fi
export PAIR_PAUSE="${PAIR_PAUSE:-1}"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/vendormock-bench.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "${BENCH_KEEP:-}" = 1 ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "# $*" >&2; }

if ! command -v wrk >/dev/null; then
  log "installing wrk"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null; }
fi
REAL_WRK="$(command -v wrk)"

log "building vendormock, limit and genspec into $TMP"
(cd "$REPO" && go build -o "$TMP/vendormock" ./cmd/vendormock && go build -o "$TMP/genspec" ./scripts/genspec && go build -o "$TMP/waitup" ./scripts/waitup)
(cd "$SHARED/limit" && if [ -f go.mod ]; then go build -o "$TMP/limit" .; else go build -o "$TMP/limit" ./main.go; fi)
"$TMP/genspec" -out "$TMP/big" -resources 130 -fields 20 >&2
"$TMP/genspec" -out "$TMP/small" -resources 1 -fields 20 >&2

# wrk shim: pair.sh/load.sh call plain wrk; with BENCH_WRK_SCRIPT set, the shim adds -s SCRIPT
# (POST bodies need a Lua script) to both sides of a pair.
mkdir -p "$TMP/bin"
cat > "$TMP/bin/wrk" <<EOF
#!/usr/bin/env bash
if [ -n "\${BENCH_WRK_SCRIPT:-}" ]; then exec "$REAL_WRK" -s "\$BENCH_WRK_SCRIPT" "\$@"; fi
exec "$REAL_WRK" "\$@"
EOF
chmod +x "$TMP/bin/wrk"
export PATH="$TMP/bin:$PATH"

# freeport prints a port nobody listens on (a best effort: another process could take it).
freeport() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    ss -ltnH "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
}
now_ms() { date +%s%3N; }
# start NAME URL_TO_POLL CMD... : starts CMD in the background, waits for URL; sets LAST_PID and
# LAST_MS (start to first answer).
start() {
  local name="$1" url="$2"; shift 2
  local t0; t0="$(now_ms)"
  "$@" >"$TMP/$name.log" 2>&1 &
  LAST_PID=$!; PIDS+=("$LAST_PID")
  for _ in $(seq 1 3000); do
    if curl -sf -o /dev/null "$url"; then LAST_MS=$(( $(now_ms) - t0 )); return 0; fi
    kill -0 "$LAST_PID" 2>/dev/null || { echo "bench.sh: $name exited:" >&2; cat "$TMP/$name.log" >&2; exit 1; }
    sleep 0.01
  done
  echo "bench.sh: $name did not answer $url within 30 s" >&2; exit 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

LP="$(freeport)"; start limit "http://127.0.0.1:$LP/" "$TMP/limit" -addr "127.0.0.1:$LP"; LIMIT_PID=$LAST_PID
REF="http://127.0.0.1:$LP/"

# Startup: all bundled (best of three), then the big generated spec (best of three). waitup
# starts the server and polls in-process: a curl per poll would take CPU from the server.
best() { sort -n | head -1; }
# startup NAME URL CMD...: sets LAST_PID and LAST_MS (start to first 2xx answer).
startup() {
  local name="$1" url="$2" out; shift 2
  out="$("$TMP/waitup" -url "$url" -log "$TMP/$name.log" -- "$@")" || { cat "$TMP/$name.log" >&2; exit 1; }
  LAST_PID="${out% *}"; LAST_MS="${out#* }"; PIDS+=("$LAST_PID")
}
ups=(); for _ in 1 2 3; do
  P="$(freeport)"; startup up "http://127.0.0.1:$P/__admin/health" "$TMP/vendormock" serve --port "$P" --log-requests=false
  ups+=("$LAST_MS"); stop "$LAST_PID"; done
UP_BUNDLED="$(printf '%s\n' "${ups[@]}" | best)"
ups=(); for _ in 1 2 3; do
  P="$(freeport)"; startup upbig "http://127.0.0.1:$P/__admin/health" "$TMP/vendormock" serve --port "$P" --log-requests=false --spec "big=$TMP/big/openapi.yaml"
  ups+=("$LAST_MS"); stop "$LAST_PID"; done
UP_BIG="$(printf '%s\n' "${ups[@]}" | best)"

# The servers under test.
MP="$(freeport)"; start mock "http://127.0.0.1:$MP/__admin/health" "$TMP/vendormock" serve --port "$MP" --log-requests=false
MOCK="http://127.0.0.1:$MP"; MOCK_PID=$LAST_PID
sleep 1  # serve returns start-up's garbage to the OS in the background once it listens
RSS_START="$(rss_mib "$MOCK_PID")"
GP="$(freeport)"; start mocklog "http://127.0.0.1:$GP/__admin/health" "$TMP/vendormock" serve --port "$GP" --log-requests=true
MOCKLOG="http://127.0.0.1:$GP"
BP="$(freeport)"; start big "http://127.0.0.1:$BP/__admin/health" "$TMP/vendormock" serve --port "$BP" --log-requests=false --spec "big=$TMP/big/openapi.yaml"
BIG="http://127.0.0.1:$BP/big"
SP="$(freeport)"; start small "http://127.0.0.1:$SP/__admin/health" "$TMP/vendormock" serve --port "$SP" --log-requests=false --spec "small=$TMP/small/openapi.yaml"
SMALL="http://127.0.0.1:$SP/small"

OD='Authorization: ODFHIR a/b'
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2"; }
# pair NAME URL_A URL_B CONNS [HEADERS...]: runs pair.sh, keeps its output in $TMP/NAME.pair and
# sets RATIO (median A/B), P99A and P99B (median p99 of each side).
pair() {
  local name="$1" a="$2" b="$3" c="$4"; shift 4
  log "pair $name: $a vs $b, $c connections, $ROUNDS x ${SECS}s"
  bash "$SHARED/pair.sh" "$a" "$b" "$ROUNDS" "$SECS" "$c" "$@" > "$TMP/$name.pair" 2> "$TMP/$name.err" || {
    echo "bench.sh: pair $name failed:" >&2; cat "$TMP/$name.pair" "$TMP/$name.err" >&2; exit 1; }
  cat "$TMP/$name.err" >&2
  RATIO="$(sed -n 's/.*ratio_A\/B=\([^ ]*\).*/\1/p' "$TMP/$name.pair")"
  P99A="$(grep '^round' "$TMP/$name.pair" | sed -n 's/.*A rps=[^ ]* p99_ms=\([^ ]*\).*/\1/p' | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}')"
  P99B="$(grep '^round' "$TMP/$name.pair" | sed -n 's/.*B rps=[^ ]* p99_ms=\([^ ]*\).*/\1/p' | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}')"
  grep -q 'non2xx=[1-9]' "$TMP/$name.pair" && log "WARNING: $name had non-2xx answers" || true
}
pct() { awk -v r="$1" 'BEGIN{ printf "%.0f%%", r * 100 }'; }
RESULTS=()
line() { RESULTS+=("$(printf '%-44s %-34s %s' "$1" "$2" "$3")"); }
meets() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN{ ok = (op == ">=") ? v >= t : v <= t; print ok ? "met" : "MISSED" }'; }

pair get10 "$MOCK/opendental/patients/1" "$REF" 10 "$OD"; R=$RATIO
line "GET stored record, 10 conns" "$(pct "$R") of limit" "target >= 50%  $(meets "$R" 0.5 '>=')"
pair get64 "$MOCK/opendental/patients/1" "$REF" 64 "$OD"; R=$RATIO
line "GET stored record, 64 conns" "$(pct "$R") of limit" "target >= 50%  $(meets "$R" 0.5 '>=')"
P=$(awk -v a="$P99A" -v b="$P99B" 'BEGIN{ printf "%.2f", (b > 0) ? a / b : 0 }')
line "p99 at 64 conns (GET record)" "${P}x limit ($P99A vs $P99B ms)" "target <= 3x  $(meets "$P" 3 '<=')"
pair list10 "$MOCK/opendental/patients?Limit=20" "$REF" 10 "$OD"; R=$RATIO
line "GET list of 20, 10 conns" "$(pct "$R") of limit" "target >= 35%  $(meets "$R" 0.35 '>=')"
pair list64 "$MOCK/opendental/patients?Limit=20" "$REF" 64 "$OD"; R=$RATIO
line "GET list of 20, 64 conns" "$(pct "$R") of limit" "target >= 35%  $(meets "$R" 0.35 '>=')"

# POST with validation: each wrk thread writes to its own sessions and moves to a fresh one every
# 20,000 creates, so the per-session cap (--max-records) is never hit. Session names carry a run id:
# the same server takes six POST runs, which must not add up in one session.
cat > "$TMP/post.lua" <<'EOF'
math.randomseed(os.time())
local run = tostring(os.time()) .. "-" .. tostring(math.random(1000000000))
local counter = 1
function setup(thread) thread:set("tid", run .. "-" .. counter); counter = counter + 1 end
local n = 0
wrk.method = "POST"
wrk.body = '{"LName":"Bench","FName":"Ann","Birthdate":"1980-01-31","Email":"ann@example.com"}'
wrk.headers["Content-Type"] = "application/json"
function request()
  n = n + 1
  wrk.headers["X-Vendormock-Session"] = "bench-" .. tostring(tid) .. "-" .. tostring(math.floor(n / 20000))
  return wrk.format()
end
EOF
export BENCH_WRK_SCRIPT="$TMP/post.lua"
pair post10 "$MOCK/opendental/patients" "$REF" 10 "$OD"; R=$RATIO
line "POST create (validated), 10 conns" "$(pct "$R") of limit" "target >= 25%  $(meets "$R" 0.25 '>=')"
pair post64 "$MOCK/opendental/patients" "$REF" 64 "$OD"; R=$RATIO
line "POST create (validated), 64 conns" "$(pct "$R") of limit" "target >= 25%  $(meets "$R" 0.25 '>=')"
unset BENCH_WRK_SCRIPT
curl -sf -o /dev/null -X POST "$MOCK/__admin/reset" || log "WARNING: reset failed"

# Spec size: the same record shape served from a 650-operation spec (A) and a 5-operation one (B).
pair bigget "$BIG/things1/1" "$SMALL/things1/1" 10; R=$RATIO
line "GET record, 650-op spec vs 5-op spec" "$(pct "$R") of small" "target >= 90%  $(meets "$R" 0.9 '>=')"
pair biglist "$BIG/things1?limit=20" "$SMALL/things1?limit=20" 10; R=$RATIO
line "GET list, 650-op spec vs 5-op spec" "$(pct "$R") of small" "target >= 90%  $(meets "$R" 0.9 '>=')"

# Logging: the same GET with --log-requests=true (A, log to a file) and =false (B).
pair logging "$MOCKLOG/opendental/patients/1" "$MOCK/opendental/patients/1" 10 "$OD"; R=$RATIO
C=$(awk -v r="$R" 'BEGIN{ printf "%.3f", 1 - r }')
line "request logging on: cost" "$(pct "$C") slower" "target <= 15%  $(meets "$C" 0.15 '<=')"

line "startup, all bundled (best of 3)" "${UP_BUNDLED} ms" "target < 300 ms  $(meets "$UP_BUNDLED" 300 '<=')"
line "startup, 650 ops in 2,861 files (best of 3)" "${UP_BIG} ms" "target < 1000 ms  $(meets "$UP_BIG" 1000 '<=')"

# Memory on a fresh server: at start, after 100,000 creates (two sessions), after reset.
stop "$MOCK_PID"
MP="$(freeport)"; start rss "http://127.0.0.1:$MP/__admin/health" "$TMP/vendormock" serve --port "$MP" --log-requests=false
RSS_PID=$LAST_PID
sleep 1  # as above: after the background return of start-up's garbage
RSS_START="$(rss_mib "$RSS_PID")"
cat > "$TMP/fill.lua" <<'EOF'
local counter = 1
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
local done = 0
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "ODFHIR a/b"
function request()
  -- Each patient a name and email of its own: the fields the mock generates then vary too,
  -- as they do for real tests, and do not all repeat (the store writes repeated strings once).
  n = n + 1
  wrk.body = string.format('{"LName":"Bench%d_%d","FName":"Ann","Birthdate":"1980-01-31","Email":"ann%d_%d@example.com"}', tid, n, tid, n)
  wrk.headers["X-Vendormock-Session"] = "rss-" .. tostring(tid)
  return wrk.format()
end
function response(status)
  done = done + 1
  if done >= 50000 then wrk.thread:stop() end
end
EOF
FILL_SECS="${BENCH_FILL_SECONDS:-120}"
log "up to 100,000 creates (at most ${FILL_SECS}s) for the memory figures"
"$REAL_WRK" -t2 -c10 -d"${FILL_SECS}s" --timeout 10s -s "$TMP/fill.lua" "http://127.0.0.1:$MP/opendental/patients" > "$TMP/fill.out" 2>&1 || true
CREATED="$(awk '/ requests in / { print $1 }' "$TMP/fill.out")"
RSS_FULL="$(rss_mib "$RSS_PID")"
curl -sf -o /dev/null -X POST "http://127.0.0.1:$MP/__admin/reset"
sleep 6  # the Go scavenger returns freed pages to the OS in the background
RSS_RESET="$(rss_mib "$RSS_PID")"
grep -q 'Non-2xx' "$TMP/fill.out" && log "WARNING: some creates failed: $(grep Non-2xx "$TMP/fill.out")"
line "RSS, all bundled loaded and seeded" "${RSS_START} MiB" "target < 60 MiB  $(meets "$RSS_START" 60 '<=')"
line "RSS after ${CREATED:-?} creates" "${RSS_FULL} MiB" "target < 150 MiB at 100,000  $(meets "$RSS_FULL" 150 '<=')"
line "RSS 6 s after POST /__admin/reset" "${RSS_RESET} MiB" "target: back near the start figure"

echo
echo "vendormock bench: $ROUNDS round(s) x ${SECS}s per side, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-44s %-34s %s\n' "target" "measured" "goal"
printf '%s\n' "${RESULTS[@]}"
