#!/usr/bin/env bash
# The fault campaign of local mode (./ttt-video local, everything in one JVM): it is killed and
# restarted, fed hostile records and a backlog, and every record must end exactly once in the
# videos or the storyboards.rejected topic. Scenarios:
#   local-kill  the 21-segment example (examples/storyboards/full-minute-storyboard.json) at
#               --steps denoising steps; the local JVM SIGKILLed --kills times, each after a
#               checkpoint written since its start plus a seeded random delay, and run again in the
#               same work folder (it resumes); then once to the end with --keep-running, the videos
#               topic read from its beginning (read_committed), and the MP4 compared with an
#               undisturbed run (SHA-256) and probed (63 s);
#   hostile     hostile records (200,000 NUL bytes, quotes, backslashes, 4-byte UTF-8, invalid UTF-8,
#               control characters, deep nesting, a huge number) mixed with valid storyboards: each
#               valid one a VIDEO, each hostile one a REJECTED, no task failure in the log;
#   backlog     --backlog tiny storyboards at once: each a VIDEO or a REJECTED exactly once; the
#               peak heap of the JVM (from its GC log) printed.
# The standalone cluster's TaskManager kills are deploy/e2e/kill-taskmanager.sh --kills N.
# Prints one CAMPAIGN table (kill points tried/survived, records in, videos out, rejections,
# duplicates, lost) and exits 0 only when nothing was lost or duplicated anywhere.
#
#   deploy/e2e/fault-campaign.sh                         # the size mvn verify runs
#   deploy/e2e/fault-campaign.sh --kills 5 --steps 8 --backlog 1000    # by hand, full size
#
# Options: --dir DIR         work folder (default <repo>/target-e2e/fault-campaign; emptied first)
#          --scenarios LIST  comma-separated, of local-kill,hostile,backlog (default all)
#          --kills N         local-kill: kills before the last run (default 2)
#          --steps N         local-kill: denoising steps of the 21-segment storyboard (default 3)
#          --backlog N       backlog: tiny storyboards (default 100)
#          --seed S          seed of the kill points (default 1)
#          --timeout SECS    hard limit of the whole run (default 1500)
#          --classpath CP    the classpath of org.tttvideo.jobs.cli.Main (default: the local
#                           distribution, jobs/target/ttt-video-jobs-*.jar and jobs/target/lib)
# Needs the local distribution (built by ./ttt-video when missing) and java 17+.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DIR=""
SCENARIOS="local-kill,hostile,backlog"
KILLS=2
STEPS=3
BACKLOG=100
SEED=1
TIMEOUT=1500
MAX_DELAY_MS=4000
CP=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --kills) KILLS="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --backlog) BACKLOG="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --classpath) CP="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

T0_MS="$(date +%s%3N)"
now_ms() { date +%s%3N; }
say() { printf '[%6.1fs] %s\n' "$(awk "BEGIN { print ($(now_ms) - $T0_MS) / 1000 }")" "$*"; }
fail() {
  echo "CAMPAIGN FAILED: $*"
  exit 1
}
for tool in java jq sha256sum flock awk; do
  command -v "$tool" >/dev/null || fail "$tool is needed"
done

DIR="${DIR:-$REPO/target-e2e/fault-campaign}"
mkdir -p "$(dirname "$DIR")"
DIR="$(cd "$(dirname "$DIR")" && pwd)/$(basename "$DIR")"
exec 9>"$DIR.lock"
flock -n 9 || fail "another campaign is using $DIR (lock $DIR.lock); use --dir"
rm -rf "$DIR"
mkdir -p "$DIR"

CHILDREN=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local p
  for p in "${CHILDREN[@]}"; do
    kill -KILL "$p" 2>/dev/null || true
  done
  echo "WALL TIME $(awk "BEGIN { printf \"%.1f\", ($(now_ms) - $T0_MS) / 1000 }") s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The watchdog's sleep must not hold the lock (fd 9) past the campaign: killing the subshell at
# exit leaves its sleep running, which would refuse the next campaign until the timeout.
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$TIMEOUT" &
  sleeper=$!
  wait "$sleeper"
  echo "CAMPAIGN FAILED: hard timeout of ${TIMEOUT}s"
  kill -TERM $$
) </dev/null 9>&- &
CHILDREN+=("$!")

# the local distribution, as ./ttt-video runs it (which builds it when missing)
if [[ -z "$CP" ]]; then
  "$REPO/ttt-video" --help >/dev/null 2>&1 || fail "./ttt-video does not run (build: mvn -pl jobs -am package -DskipTests)"
  JAR="$(ls "$REPO"/jobs/target/ttt-video-jobs-*.jar 2>/dev/null | grep -v -- '-cluster\|-sources\|-tests' | head -1)"
  [[ -f "$JAR" ]] || fail "no jobs jar in jobs/target"
  CP="$JAR:$REPO/jobs/target/lib/*"
fi

# ttt NAME WORKDIR ARGS...: runs `Main ARGS` in the background with its own log and GC log;
# sets BG_PID; output in $DIR/NAME.out and .err
ttt() {
  local name="$1" cwd="$2"
  shift 2
  (cd "$cwd" && exec java --add-modules jdk.incubator.vector -Xmx3g \
    -Xlog:gc:file="$DIR/$name.gc.log" -Dttt.log.file="$DIR/$name.log" \
    -cp "$CP" org.tttvideo.jobs.cli.Main "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" </dev/null) &
  BG_PID=$!
  CHILDREN+=("$BG_PID")
}
# free_port: a port in 20000-31999 (below the ephemeral range) that nothing listens on
free_port() {
  local p
  while :; do
    p="$(shuf -i 20000-31999 -n 1)"
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
# task failures of the generation job in a log: Flink logs each restart of the job
task_failures() { grep -c "switched from state RUNNING to RESTARTING\|Restarting job\|from RUNNING to FAILED" "$1" 2>/dev/null || true; }

ROWS=()
TOTAL_LOST=0
TOTAL_DUP=0
row() { # row SCENARIO KILLS RECORDS VIDEOS REJECTIONS DUPLICATES LOST
  ROWS+=("$(printf 'CAMPAIGN %-12s %-8s %-8s %-8s %-11s %-11s %-5s' "$@")")
  TOTAL_DUP=$((TOTAL_DUP + $6))
  TOTAL_LOST=$((TOTAL_LOST + $7))
}
RANDOM="$SEED"

# ------------------------------------------------------------------ local-kill
if [[ ",$SCENARIOS," == *",local-kill,"* ]]; then
  W="$DIR/local-kill"
  mkdir -p "$W/crashed" "$W/clean"
  SB="$W/full-minute-$STEPS-steps.json"
  jq -c --argjson s "$STEPS" '.settings = ((.settings // {}) + {denoisingSteps: $s})' \
    "$REPO/examples/storyboards/full-minute-storyboard.json" >"$SB"
  ID="$(jq -r '.videoId' "$SB")"
  say "local-kill: $ID, 21 segments, $STEPS steps; $KILLS kills, then a run to the end"
  survived=0
  for ((k = 1; k <= KILLS; k++)); do
    KP="$(free_port)"
    ttt "kill-$k" "$W/crashed" local --plain --kafka-port "$KP" --dashboard-port "$(free_port)" \
      --output-dir videos "$SB"
    PID=$BG_PID
    start_ms="$(now_ms)"
    # a checkpoint written by this run (its _metadata newer than the start), then a random delay
    while ! find "$W/crashed/.ttt-video/checkpoints" -name _metadata -newermt "@$((start_ms / 1000))" 2>/dev/null | grep -q .; do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.2
    done
    sleep "$(awk "BEGIN { print $((RANDOM % (MAX_DELAY_MS + 1))) / 1000 }")"
    if grep -q "^VIDEO " "$DIR/kill-$k.out"; then
      fail "local-kill: the video was done before kill $k: more --steps or fewer --kills"
    fi
    kill -KILL "$PID" 2>/dev/null || fail "local-kill: the local JVM was gone before kill $k: $(tail -3 "$DIR/kill-$k.err")"
    wait "$PID" 2>/dev/null || true
    at="$(grep -o 'step [0-9]*/[0-9]*  segment [0-9]*/[0-9]*' "$DIR/kill-$k.out" | tail -1 || true)"
    say "local-kill: kill $k/$KILLS (SIGKILL) at ${at:-the start}"
    survived=$((survived + 1))
  done
  KP="$(free_port)"
  ttt "kill-last" "$W/crashed" local --plain --keep-running --kafka-port "$KP" \
    --dashboard-port "$(free_port)" --output-dir videos "$SB"
  LAST=$BG_PID
  while ! grep -q "^Keeping Kafka" "$DIR/kill-last.out" 2>/dev/null; do
    kill -0 "$LAST" 2>/dev/null || fail "local-kill: the last run ended: $(tail -5 "$DIR/kill-last.err")"
    sleep 0.5
  done
  resumed="$(grep -c '^Resuming the job' "$DIR/kill-last.out" || true)"
  checkpoints_during="$(grep -c 'Completed checkpoint' "$DIR"/kill-*.log 2>/dev/null | awk -F: '{ s += $2 } END { print s + 0 }')"
  # every record of videos, read_committed, from the beginning
  ttt "kill-watch" "$W" watch --bootstrap-servers "localhost:$KP" --from-beginning --no-progress \
    --timeout 20s
  wait "$BG_PID" || true
  kill -TERM "$LAST" 2>/dev/null || true
  wait "$LAST" 2>/dev/null || true
  ready="$(grep -c " ready .*$ID" "$DIR/kill-watch.out" || true)"
  failed="$(grep -c " failed .*$ID" "$DIR/kill-watch.out" || true)"
  ttt "kill-clean" "$W/clean" local --plain --kafka-port "$(free_port)" --dashboard-port "$(free_port)" \
    --output-dir videos "$SB"
  wait "$BG_PID" || true
  got="$(sha256sum "$W/crashed/videos/$ID.mp4" 2>/dev/null | cut -d' ' -f1)"
  want="$(sha256sum "$W/clean/videos/$ID.mp4" 2>/dev/null | cut -d' ' -f1)"
  seconds="$(grep -o "finished $ID .* (\([0-9.]*\) s," "$DIR/kill-last.out" "$DIR/kill-clean.out" | head -1 | sed 's/.*(\([0-9.]*\) s,/\1/')"
  say "local-kill: resumed $resumed time(s) in the last run; $checkpoints_during checkpoints completed over the runs; videos records: $ready ready, $failed failed; MP4 ${seconds:-?} s; sha256 ${got:0:16}.. undisturbed ${want:0:16}.."
  lost=0
  dup=0
  [[ "$ready" -ge 1 ]] || lost=1
  [[ "$ready" -le 1 ]] || dup=$((ready - 1))
  [[ -n "$got" && "$got" == "$want" ]] || { echo "CHECK local-kill MP4 equal to the undisturbed run: FAIL"; lost=1; }
  [[ "${seconds%.*}" == 63 ]] || { echo "CHECK local-kill MP4 of 63 s: FAIL (${seconds:-none})"; lost=1; }
  [[ "$checkpoints_during" -ge 3 ]] || { echo "CHECK local-kill at least 3 checkpoints: FAIL ($checkpoints_during)"; lost=1; }
  row local-kill "$survived/$KILLS" 1 "$ready" 0 "$dup" "$lost"
fi

# ------------------------------------------------------------------ hostile
if [[ ",$SCENARIOS," == *",hostile,"* ]]; then
  W="$DIR/hostile"
  mkdir -p "$W/in"
  head -c 200000 /dev/zero >"$W/in/nul.bin"
  awk 'BEGIN { for (i = 0; i < 60000; i++) printf "\"\\\\" }' >"$W/in/quotes-backslashes.txt"
  awk 'BEGIN { for (i = 0; i < 50000; i++) printf "\xf0\x9f\x98\x80" }' >"$W/in/emoji.txt"
  awk 'BEGIN { srand(7); for (i = 0; i < 300000; i++) printf "%c", int(rand() * 256) }' >"$W/in/random-bytes.bin"
  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "\x01\x02\x1b\x7f" }' >"$W/in/control.bin"
  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]" }' >"$W/in/deep.json"
  awk 'BEGIN { printf "{\"schemaVersion\": 1, \"videoId\": \"x\", \"seed\": "; for (i = 0; i < 200000; i++) printf "9"; printf "}" }' >"$W/in/huge-number.json"
  printf '\xff\xfe{"format":"storyboard"}' >"$W/in/bad-bom.json"
  hostile=("$W"/in/*)
  valid=("$REPO/examples/storyboards/quick-9s.json")
  jq -c '.videoId = "quick-9s-second" | .seed = 7' "$REPO/examples/storyboards/quick-9s.json" >"$W/second.json"
  valid+=("$W/second.json")
  say "hostile: ${#hostile[@]} hostile records mixed with ${#valid[@]} valid storyboards"
  ttt hostile "$W" local --plain --kafka-port "$(free_port)" --dashboard-port "$(free_port)" \
    --output-dir videos "${valid[0]}" "${hostile[@]:0:4}" "${valid[1]}" "${hostile[@]:4}"
  wait "$BG_PID" || true
  videos="$(grep -c '^VIDEO ' "$DIR/hostile.out" || true)"
  rejected="$(grep -c '^REJECTED ' "$DIR/hostile.out" || true)"
  failures="$(task_failures "$DIR/hostile.log")"
  grep '^REJECTED ' "$DIR/hostile.out" | cut -c1-120 | sed 's/^/    /'
  records=$((${#hostile[@]} + ${#valid[@]}))
  lost=$((records - videos - rejected))
  ((lost >= 0)) || lost=0
  dup=$((videos + rejected > records ? videos + rejected - records : 0))
  [[ "$videos" == "${#valid[@]}" && "$rejected" == "${#hostile[@]}" ]] || lost=$((lost > 0 ? lost : 1))
  [[ "$failures" == 0 ]] || { echo "CHECK hostile no task failure: FAIL ($failures)"; lost=$((lost > 0 ? lost : 1)); }
  say "hostile: $videos videos, $rejected rejections, $failures task failures"
  row hostile "-" "$records" "$videos" "$rejected" "$dup" "$lost"
fi

# ------------------------------------------------------------------ backlog
if [[ ",$SCENARIOS," == *",backlog,"* ]]; then
  W="$DIR/backlog"
  mkdir -p "$W/in"
  for ((i = 0; i < BACKLOG; i++)); do
    printf '{"schemaVersion":1,"format":"storyboard","videoId":"backlog-%04d","seed":%d,"segments":[{"index":0,"text":"A grey cat naps on a red sofa in a small living room.","sceneStart":true}]}' \
      "$i" "$i" >"$W/in/$(printf '%04d' "$i").json"
  done
  say "backlog: $BACKLOG tiny storyboards at once"
  ttt backlog "$W" local --plain --preset tiny --kafka-port "$(free_port)" \
    --dashboard-port "$(free_port)" --output-dir videos "$W"/in/*.json
  wait "$BG_PID" || true
  videos="$(grep -c '^VIDEO ' "$DIR/backlog.out" || true)"
  rejected="$(grep -c '^REJECTED ' "$DIR/backlog.out" || true)"
  distinct="$(grep '^VIDEO \|^REJECTED ' "$DIR/backlog.out" | awk '{ print $2 }' | sort -u | wc -l)"
  # the GC log's "<before>M-><after>M": the largest heap in use before a collection, and the
  # largest still in use after one (what the backlog keeps alive)
  peak="$(grep -o '[0-9]*M->' "$DIR/backlog.gc.log" | sed 's/M->//' | sort -n | tail -1 || true)"
  retained="$(grep -o 'M->[0-9]*M' "$DIR/backlog.gc.log" | sed 's/M->//; s/M$//' | sort -n | tail -1 || true)"
  failures="$(task_failures "$DIR/backlog.log")"
  lost=$((BACKLOG - distinct))
  dup=$((videos + rejected - distinct))
  say "backlog: $videos videos, $rejected rejections, $distinct distinct, peak heap ${peak:-?} MB (GC log), $failures task failures"
  echo "BACKLOG PEAK HEAP ${peak:-?} MB (largest after a collection: ${retained:-?} MB) for $BACKLOG storyboards"
  row backlog "-" "$BACKLOG" "$videos" "$rejected" "$dup" "$lost"
fi

echo "---------------------------------------------------------------- campaign"
printf 'CAMPAIGN %-12s %-8s %-8s %-8s %-11s %-11s %-5s\n' scenario kills records videos rejections duplicates lost
for r in "${ROWS[@]}"; do echo "$r"; done
if [[ "$TOTAL_LOST" == 0 && "$TOTAL_DUP" == 0 ]]; then
  echo "CAMPAIGN PASSED"
else
  echo "CAMPAIGN FAILED: $TOTAL_LOST lost, $TOTAL_DUP duplicated"
  exit 1
fi
