#!/usr/bin/env bash
# End to end on a real cluster (deploy/standalone/cluster.sh): a JobManager, two TaskManagers and
# a KRaft broker, each its own process. The generation job runs 4 storyboards twice on the same
# cluster: once undisturbed (the reference), once with one TaskManager killed (SIGKILL) while the
# videos are being generated, after a checkpoint that holds generation state; a replacement
# TaskManager is started. Checks:
#   - every video arrives on the videos topic exactly once for a read_committed reader;
#   - each MP4 has the SHA-256 its record names, and the same SHA-256 as in the reference run;
#   - the job restarted after every kill (failures in the exception history of the REST API) and
#     restored a checkpoint;
#   - the generation runs on the surviving and the replacement TaskManager;
# and prints the recovery times (kill -> all tasks RUNNING again, kill -> all videos done) and the
# wall time. Exits 0 only when every check passes; bounded by a hard timeout, after which (and on
# any exit) every process it started is stopped.
#
#   deploy/e2e/kill-taskmanager.sh                     # builds the cluster jar into */target-e2e
#   deploy/e2e/kill-taskmanager.sh --jar jobs/target/ttt-video-jobs-<version>-cluster.jar
#
# Options: --build-dir-name NAME
#                           the build folders of the cluster jar's build, apart from those of a
#                           build that runs this script (default target-e2e: */target-e2e)
#          --dir DIR        work folder (default <repo>/<build-dir-name>/kill-taskmanager; emptied
#                           first; the cluster's logs stay there after the run). One run at a time
#                           per folder (a lock beside it)
#          --jar JAR        the job's cluster jar (default: build it with Maven, -Pcluster-jar,
#                           -Dbuild.dir.name=<build-dir-name>)
#          --timeout SECS   hard limit of the whole run (default 480)
#          --segments N     segments per storyboard (default 4)
#          --steps N        denoising steps per storyboard (default 4)
#          --kills N        TaskManager kills in the run (default 1); each after a checkpoint that
#                           followed the previous recovery, plus a seeded random delay
#          --kill-broker    after the TaskManager kills, SIGKILL the Kafka broker mid-generation
#                           (after a checkpoint) and start it again 5 s later
#          --seed S         seed of the kill points and victims (default 1)
#          --max-delay-ms MS
#                           longest random delay before a kill (default 3000)
# The fault campaign's size by hand: --kills 10 --kill-broker --segments 6 --steps 64 --timeout 2400.
# Needs java 17+, mvn, curl, jq and flock.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CLUSTER_SH="$REPO/deploy/standalone/cluster.sh"

BUILD_DIR_NAME=target-e2e
DIR="${E2E_DIR:-}"
JAR=""
TIMEOUT="${E2E_TIMEOUT:-480}"
SEGMENTS=4
STEPS=4
KILLS=1
KILL_BROKER=0
SEED=1
MAX_DELAY_MS=3000
# Four videos, two per generation subtask: Flink puts key "e2e-heron" and "e2e-fox" in subtask
# 1 and "e2e-moon" and "e2e-pond" in subtask 0 (KeyGroupRangeAssignment, parallelism 2, max
# parallelism 128), so both TaskManagers generate while one is killed.
VIDEOS=(e2e-heron e2e-fox e2e-moon e2e-pond)
WAIT_RECOVERY=120 # seconds from the kill until the job runs again

while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --build-dir-name) BUILD_DIR_NAME="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --segments) SEGMENTS="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --kills) KILLS="$2"; shift 2 ;;
    --kill-broker) KILL_BROKER=1; shift ;;
    --seed) SEED="$2"; shift 2 ;;
    --max-delay-ms) MAX_DELAY_MS="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# seconds to wait for a run's videos: 180 plus a second per segment-step (a 6-segment, 64-step
# storyboard took 112 s for 4 videos unloaded, and more than 180 s with the machine loaded)
WAIT_VIDEOS=$((180 + SEGMENTS * STEPS))
T0_MS="$(date +%s%3N)"
now_ms() { date +%s%3N; }
say() { printf '[%6.1fs] %s\n' "$(awk "BEGIN { print ($(now_ms) - $T0_MS) / 1000 }")" "$*"; }
seconds_between() { awk "BEGIN { printf \"%.1f\", ($2 - $1) / 1000 }"; }

FAILED=0
check() { # check NAME CONDITION-RESULT(0|1) DETAIL
  if [[ "$2" == 0 ]]; then
    echo "CHECK $1: PASS ($3)"
  else
    echo "CHECK $1: FAIL ($3)"
    FAILED=1
  fi
}
fail() {
  echo "E2E FAILED: $*"
  exit 1
}

for tool in java mvn curl jq sha256sum flock; do
  command -v "$tool" >/dev/null || fail "$tool is needed"
done

[[ "$BUILD_DIR_NAME" =~ ^[A-Za-z0-9._-]+$ && "$BUILD_DIR_NAME" != target ]] ||
  fail "--build-dir-name must be a plain folder name other than target, got '$BUILD_DIR_NAME'"
DIR="${DIR:-$REPO/$BUILD_DIR_NAME/kill-taskmanager}"
mkdir -p "$(dirname "$DIR")"
DIR="$(cd "$(dirname "$DIR")" && pwd)/$(basename "$DIR")"

# one run per work folder: a second one would empty the folder and stop the first's cluster. The
# lock is held until this script and everything it started have ended.
exec 9>"$DIR.lock"
flock -n 9 || fail "another run is using $DIR (lock $DIR.lock); use --build-dir-name or --dir"
CDIR="$DIR/cluster"
CLUSTER=("$CLUSTER_SH" --dir "$CDIR")

# ------------------------------------------------------------------ bounds and cleanup

CHILDREN=()
WATCHDOG=""
TIMED_OUT="$DIR/.timed-out"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "$WATCHDOG" ]] && kill "$WATCHDOG" 2>/dev/null || true
  if [[ -f "$TIMED_OUT" ]]; then
    echo "E2E FAILED: hard timeout of ${TIMEOUT}s reached"
    rc=124
  fi
  local p
  for p in "${CHILDREN[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  if [[ -d "$CDIR/run" ]]; then
    say "stopping the cluster"
    TTT_STOP_WAIT=15 "${CLUSTER[@]}" stop >>"$DIR/stop.log" 2>&1 || true
  fi
  # anything still running with the work folder in its command line is ours: report and kill it
  local left
  left="$(pgrep -f -- "$CDIR/" 2>/dev/null || true)"
  if [[ -n "$left" ]]; then
    echo "processes left behind (killed): $(echo $left)"
    for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
    [[ $rc == 0 ]] && rc=1
  fi
  if [[ $rc == 0 ]]; then
    # passed: keep the logs, records and videos, not the ~0.7 GB of jar copies and native caches
    rm -rf "$CDIR/tmp" "$CDIR/data/jars"
  fi
  say "logs: $CDIR/log"
  echo "WALL TIME $(seconds_between "$T0_MS" "$(now_ms)") s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# background CMD...: runs CMD in the background, remembered for cleanup; sets BG_PID
background() {
  "$@" &
  BG_PID=$!
  CHILDREN+=("$BG_PID")
}

rm -rf "$DIR"
mkdir -p "$DIR"
# the hard timeout: TERM to this script, whose trap stops everything
# ($$ is this script's pid in the subshell too; the subshell's own sleep ends with it)
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$TIMEOUT" &
  sleeper=$!
  wait "$sleeper"
  touch "$TIMED_OUT"
  kill -TERM $$ 2>/dev/null
) </dev/null >/dev/null 2>&1 9>&- &
WATCHDOG=$!

say "work folder $DIR (hard timeout ${TIMEOUT}s)"

# ------------------------------------------------------------------ the job jar

if [[ -z "$JAR" ]]; then
  say "building the cluster jar: mvn -pl jobs -am package -Pcluster-jar -DskipTests -Dbuild.dir.name=$BUILD_DIR_NAME"
  # in the background so that the timeout's signal is handled at once
  background bash -c 'cd "$1" && exec mvn -q -B -ntp -pl jobs -am package -Pcluster-jar -DskipTests \
    -Dbuild.dir.name="$2"' build "$REPO" "$BUILD_DIR_NAME" >"$DIR/build.log" 2>&1
  wait "$BG_PID" || fail "the build failed (see $DIR/build.log)"
  JAR="$(ls "$REPO/jobs/$BUILD_DIR_NAME"/ttt-video-jobs-*-cluster.jar 2>/dev/null | head -1)"
fi
[[ -f "$JAR" ]] || fail "no cluster jar: $JAR"
say "job jar $JAR ($(($(stat -c %s "$JAR") / 1048576)) MB)"

# ------------------------------------------------------------------ cluster, topics, storyboards

say "starting the cluster (JobManager, 2 TaskManagers, Kafka broker)"
background "${CLUSTER[@]}" start >"$DIR/start.log" 2>&1
wait "$BG_PID" || {
  cat "$DIR/start.log"
  fail "the cluster did not start"
}
sed 's/^/    /' "$DIR/start.log"
eval "$("${CLUSTER[@]}" env)"
REST="$FLINK_REST_URL"

# one storyboards topic read by both runs (each with its own consumer group); a videos topic each
say "creating topics"
topic_pids=()
for t in storyboards storyboards.rejected video-progress videos.reference videos; do
  background "${CLUSTER[@]}" kafka topics --create --topic "$t" --partitions 2 \
    --replication-factor 1 >>"$DIR/topics.log" 2>&1
  topic_pids+=("$BG_PID")
done
for p in "${topic_pids[@]}"; do wait "$p" || true; done
[[ "$(grep -c '^Created topic' "$DIR/topics.log")" == 5 ]] ||
  fail "creating the topics failed: $(cat "$DIR/topics.log")"

storyboard() { # storyboard VIDEO_ID SEED: one line of JSON
  local texts=("A heron stands in a misty pond at dawn." "The heron spears a fish and swallows it."
    "Night falls and the empty pond reflects the moon." "A fox walks along the shore in the moonlight.")
  local segs="" i
  for ((i = 0; i < SEGMENTS; i++)); do
    segs+="${segs:+, }{\"text\": \"${texts[i % 4]}\"}"
  done
  printf '{"format": "storyboard", "videoId": "%s", "seed": %d, "settings": {"denoisingSteps": %d, "guidanceScale": 4.0}, "negativeText": "blurry", "segments": [%s]}\n' \
    "$1" "$2" "$STEPS" "$segs"
}
seed=100
for v in "${VIDEOS[@]}"; do
  storyboard "$v" "$seed"
  seed=$((seed + 1))
done >"$DIR/storyboards.jsonl"
"${CLUSTER[@]}" kafka console-producer --topic storyboards <"$DIR/storyboards.jsonl" \
  >"$DIR/producer.log" 2>&1 || fail "publishing the storyboards failed: $(cat "$DIR/producer.log")"
say "published ${#VIDEOS[@]} storyboards ($SEGMENTS segments, $STEPS denoising steps each)"

say "uploading the job jar (REST /jars/upload)"
JAR_ID="$("${CLUSTER[@]}" upload "$JAR")" || fail "uploading the jar failed"
JAR_ID="${JAR_ID#JAR }"

# ------------------------------------------------------------------ helpers

# run_job NAME VIDEOS_TOPIC: starts the generation job (REST /jars/<id>/run, parallelism 2) and
# prints its id
run_job() {
  mkdir -p "$DIR/videos/$1"
  "${CLUSTER[@]}" run --parallelism 2 "$JAR_ID" \
    --kafka.bootstrap-servers "$KAFKA_BOOTSTRAP" \
    --kafka.group-id "e2e-$1" \
    --kafka.transactional-id-prefix "e2e-$1" \
    --topics.videos "$2" \
    --output.dir "file://$DIR/videos/$1" \
    --model.preset small \
    --checkpoint.interval "2 s" \
    --restart.delay "1 s" \
    --restart.max-delay "2 s" | sed -n 's/^JOB //p'
}

# follow TOPIC FILE: a read_committed consumer of TOPIC from its beginning, one value per line
follow() {
  background "${CLUSTER[@]}" kafka console-consumer --topic "$1" --from-beginning \
    --isolation-level read_committed --timeout-ms 600000 >"$2" 2>"$2.err"
  FOLLOW_PID=$BG_PID
}

distinct_ready() { jq -r 'select(.type == "ready") | .videoId' "$1" 2>/dev/null | sort -u | wc -l; }

# await_videos FILE SECONDS: until every video has a ready record in FILE; fails on a failed one
await_videos() {
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if [[ "$(jq -s '[.[] | select(.type == "failed")] | length' "$1" 2>/dev/null)" -gt 0 ]]; then
      fail "a video failed: $(jq -c 'select(.type == "failed")' "$1")"
    fi
    [[ "$(distinct_ready "$1")" -ge ${#VIDEOS[@]} ]] && return 0
    sleep 0.5
  done
  fail "not all ${#VIDEOS[@]} videos arrived within $2 s (got $(distinct_ready "$1"))"
}

await_quietly() { # await_quietly SECONDS COMMAND...: returns 1 when COMMAND did not succeed in time
  local deadline=$((SECONDS + $1))
  shift
  while ((SECONDS < deadline)); do
    "$@" && return 0
    sleep 0.2
  done
  return 1
}

await() { # await SECONDS WHAT COMMAND...: fails the run when COMMAND did not succeed in time
  await_quietly "$1" "${@:3}" || fail "$2 did not happen within ${1}s"
}

job_json() { curl -sf --max-time 5 "$REST/jobs/$1"; }
# The TaskManagers that hold the current attempt of any subtask of job $1, sorted, one a line.
task_hosts() {
  local v
  for v in $(job_json "$1" | jq -r '.vertices[].id' 2>/dev/null); do
    curl -sf --max-time 5 "$REST/jobs/$1/vertices/$v" |
      jq -r '.subtasks[] | (.["taskmanager-id"] // .taskmanagerId // empty)' 2>/dev/null
  done | sort -u
}
task_states() {
  job_json "$1" | jq -c '{job: .state, tasks: ([.vertices[] | .tasks | to_entries[]
    | select(.value > 0)] | group_by(.key) | map({(.[0].key): (map(.value) | add)}) | add)}' \
    2>/dev/null || echo "the REST API did not answer"
}
job_state() { job_json "$1" | jq -r '.state' 2>/dev/null || echo UNKNOWN; }
# the root exception of job $1's latest failure, first line
root_exception() {
  curl -sf --max-time 5 "$REST/jobs/$1/exceptions?maxExceptions=1" |
    jq -r '(.exceptionHistory.entries[0].exceptionName // "") + ": " +
      ((.exceptionHistory.entries[0].stacktrace // "") | split("\n")[0])' 2>/dev/null || echo "unknown"
}
all_tasks_running() {
  job_json "$1" | jq -e '.state == "RUNNING" and
    ([.vertices[] | .tasks | to_entries[] | select(.key != "RUNNING") | .value] | add) == 0' \
    >/dev/null 2>&1
}
num_restarts() {
  curl -sf --max-time 5 "$REST/jobs/$1/metrics?get=numRestarts" |
    jq -r '.[0].value // "0"' 2>/dev/null || echo 0
}
checkpoints() { curl -sf --max-time 5 "$REST/jobs/$1/checkpoints"; }
completed_checkpoints() { checkpoints "$1" | jq -r '.counts.completed // 0' 2>/dev/null || echo 0; }
generate_vertex() {
  job_json "$1" | jq -r '.vertices[] | select(.name | startswith("generate")) | .id'
}
# committed_step SINCE_MS: the furthest denoising step (0-based) of a GENERATING progress record
# made after SINCE_MS and committed (read_committed: a completed checkpoint holds that progress),
# -1 before any. The kill points go by these rather than by the generate.oldestActiveStep metric,
# which the REST API was seen to keep at its value of before a restart.
committed_step() {
  jq -s --argjson t "$1" \
    '[.[] | select(.status == "GENERATING" and .timestampMillis > $t) | .step] | max // -1' \
    "$DIR/progress.jsonl" 2>/dev/null || echo -1
}
# the denoising step of the oldest active video of each generation subtask, the furthest of them
# (the job's metric, as the REST API reports it)
oldest_active_step() {
  curl -sf --max-time 5 \
    "$REST/jobs/$1/vertices/$2/subtasks/metrics?get=generate.oldestActiveStep&agg=max" |
    jq -r '(.[0].max // -1) | floor' 2>/dev/null || echo -1
}

cancel_job() {
  curl -sf --max-time 5 -X PATCH "$REST/jobs/$1?mode=cancel" >/dev/null || true
  local i
  for i in $(seq 150); do
    [[ "$(job_state "$1")" == CANCELED ]] && return 0
    sleep 0.2
  done
  fail "job $1 was not cancelled within 30 s"
}

# the local path of a file: URI (file:/a/b or file:///a/b)
path_of() {
  local u="${1#file:}"
  u="${u#//}"
  echo "/${u#/}"
}

# ------------------------------------------------------------------ run 1: the reference

say "run 1 (reference, no failure): submitting the job"
REF_JOB="$(run_job reference videos.reference)"
[[ -n "$REF_JOB" ]] || fail "the reference job was not submitted"
follow videos.reference "$DIR/reference.jsonl"
REF_FOLLOW=$FOLLOW_PID
ref_start="$(now_ms)"
await_videos "$DIR/reference.jsonl" "$WAIT_VIDEOS"
say "run 1: all ${#VIDEOS[@]} videos in $(seconds_between "$ref_start" "$(now_ms)") s after submission (job $REF_JOB)"
cancel_job "$REF_JOB"
kill -TERM "$REF_FOLLOW" 2>/dev/null || true

# ------------------------------------------------------------------ run 2: kill a TaskManager

say "run 2 (a TaskManager killed): submitting the job"
JOB="$(run_job kill videos)"
[[ -n "$JOB" ]] || fail "the job was not submitted"
follow videos "$DIR/kill.jsonl"
KILL_FOLLOW=$FOLLOW_PID
SUBMITTED_MS="$(now_ms)"
follow video-progress "$DIR/progress.jsonl"
await 120 "the job's tasks running" all_tasks_running "$JOB"
VERTEX="$(generate_vertex "$JOB")"
[[ -n "$VERTEX" ]] || fail "no generate vertex in job $JOB"

# generation under way: a video past its first denoising step, then a checkpoint triggered after
# that, which holds generation state
past_first_step() {
  [[ "$(distinct_ready "$DIR/kill.jsonl")" -lt ${#VIDEOS[@]} ]] ||
    fail "all videos were done before a TaskManager could be killed: more --steps or --segments"
  [[ "$(committed_step "$SUBMITTED_MS")" -ge 1 ]]
}
await 120 "a video past its first denoising step" past_first_step
UNDER_WAY_MS="$(now_ms)"
checkpoint_after_under_way() {
  checkpoints "$JOB" | jq -e --argjson t "$UNDER_WAY_MS" \
    '(.latest.completed.trigger_timestamp // 0) > $t' >/dev/null 2>&1
}
await 60 "a checkpoint after the generation got under way" checkpoint_after_under_way
CP="$(checkpoints "$JOB" | jq -c '.latest.completed | {id, state_size: (.state_size // .checkpointed_size)}')"
BEFORE_KILL="$(distinct_ready "$DIR/kill.jsonl")"
say "generation under way: step $(committed_step "$SUBMITTED_MS") reached, checkpoint $CP completed; videos done before the kill: $BEFORE_KILL"

# KILLS kill points spread over the generation: kill 1 follows the checkpoint above; kill k > 1
# waits until a committed progress record made since the last recovery shows a video at a seeded
# random denoising step in the k-th of KILLS equal slices of steps 1..STEPS-2, then for a
# checkpoint triggered after that (so the restore after the kill resumes past the previous kill
# point: a video restored generation.max-restores-without-progress times without a checkpoint
# seeing it progress is given up as POISON_VIDEO), then a seeded random delay of 0..MAX_DELAY_MS. The victim is drawn (seeded) from the live TaskManagers that hold subtasks of
# the job, and a replacement with a new number is started each time.
SPAN=$((STEPS - 2))
((SPAN >= KILLS)) || fail "--steps $STEPS is too few for --kills $KILLS: at least kills + 2 steps"
RANDOM="$SEED"
ALIVE=(1 2)
NEXT_TM=3
KILLED=()
KILL_POINTS=()
first_kill_ms=""
RUNNING_MS="$SUBMITTED_MS" # when the job was last seen running again (its submission at first)
survived=0
for ((k = 1; k <= KILLS; k++)); do
  # kill 1 right after the checkpoint that followed the generation getting under way (the run
  # inside Maven has few steps, and one kill)
  if ((k > 1)); then
    target=$((1 + ((k - 1) * 1000 + RANDOM % 1000) * SPAN / (KILLS * 1000)))
    reached_target() {
      [[ "$(distinct_ready "$DIR/kill.jsonl")" -lt ${#VIDEOS[@]} ]] ||
        fail "all videos were done before kill $k of $KILLS (step $target): more --steps or --segments, or fewer --kills"
      [[ "$(committed_step "$RUNNING_MS")" -ge "$target" ]]
    }
    await "$WAIT_VIDEOS" "an active video at step $target (kill point $k)" reached_target
    AT_TARGET_MS="$(now_ms)"
    checkpoint_at_target() {
      checkpoints "$JOB" | jq -e --argjson t "$AT_TARGET_MS" \
        '(.latest.completed.trigger_timestamp // 0) > $t' >/dev/null 2>&1
    }
    await 90 "a checkpoint after step $target" checkpoint_at_target
    delay_ms=$((RANDOM % (MAX_DELAY_MS + 1)))
    sleep "$(awk "BEGIN { print $delay_ms / 1000 }")"
  fi
  [[ "$(distinct_ready "$DIR/kill.jsonl")" -lt ${#VIDEOS[@]} ]] ||
    fail "all videos were done before kill $k of $KILLS: more --steps or --segments, or fewer --kills"
  # the victim: a random one of the TaskManagers that hold subtasks of the job (killing an idle
  # one would test nothing)
  mapfile -t hosts < <(task_hosts "$JOB")
  candidates=()
  for n in "${ALIVE[@]}"; do
    printf '%s\n' "${hosts[@]}" | grep -qx "taskmanager-$n" && candidates+=("$n")
  done
  ((${#candidates[@]} > 0)) || candidates=("${ALIVE[@]}")
  VICTIM_N="${candidates[$((RANDOM % ${#candidates[@]}))]}"
  for i in "${!ALIVE[@]}"; do
    if [[ "${ALIVE[$i]}" == "$VICTIM_N" ]]; then victim_index=$i; fi
  done
  VICTIM="taskmanager-$VICTIM_N"
  VICTIM_PID="$(cat "$CDIR/run/$VICTIM.pid")"
  restarts_before="$(num_restarts "$JOB")"
  step_at_kill="$(committed_step "$RUNNING_MS")"
  done_at_kill="$(distinct_ready "$DIR/kill.jsonl")"
  KILL_MS="$(now_ms)"
  [[ -n "$first_kill_ms" ]] || first_kill_ms="$KILL_MS"
  "${CLUSTER[@]}" taskmanager kill "$VICTIM_N" >/dev/null
  KILLED+=("$VICTIM")
  REPLACEMENT_N="$NEXT_TM"
  NEXT_TM=$((NEXT_TM + 1))
  ALIVE=("${ALIVE[@]:0:$victim_index}" "${ALIVE[@]:$((victim_index + 1))}" "$REPLACEMENT_N")
  say "kill $k/$KILLS: $VICTIM (pid $VICTIM_PID) with SIGKILL at step $step_at_kill, $done_at_kill videos done; starting taskmanager-$REPLACEMENT_N"
  background "${CLUSTER[@]}" taskmanager start "$REPLACEMENT_N" >"$DIR/replacement-$k.log" 2>&1
  REPLACEMENT=$BG_PID
  # running again: no subtask left on the killed TaskManager, and every task RUNNING (region
  # failover keeps the job's own state RUNNING while its tasks restart). numRestarts alone does
  # not tell: the exponential-delay strategy counts failures that meet a restart under way as one
  # restart attempt (FLIP-364), so it can stay put after a kill.
  recovered() {
    [[ "$(job_state "$JOB")" != FAILED ]] ||
      fail "the job FAILED after kill $k (numRestarts $(num_restarts "$JOB")): $(root_exception "$JOB")"
    ! task_hosts "$JOB" | grep -qx "$VICTIM" && all_tasks_running "$JOB"
  }
  if ! await_quietly "$WAIT_RECOVERY" recovered; then
    fail "the job running again after kill $k did not happen within ${WAIT_RECOVERY}s" \
      "(numRestarts $(num_restarts "$JOB"), before the kill $restarts_before; tasks by state:" \
      "$(task_states "$JOB"))"
  fi
  RUNNING_MS="$(now_ms)"
  survived=$((survived + 1))
  KILL_POINTS+=("$k $VICTIM step=$step_at_kill done=$done_at_kill running-again=$(seconds_between "$KILL_MS" "$RUNNING_MS")s")
  say "kill $k: all tasks RUNNING again, $(seconds_between "$KILL_MS" "$RUNNING_MS") s after the kill"
  wait "$REPLACEMENT" || fail "the replacement TaskManager did not start: $(cat "$DIR/replacement-$k.log")"
done

BROKER_KILLED=0
if [[ "$KILL_BROKER" == 1 ]]; then
  AFTER_RECOVERY_MS="$(now_ms)"
  checkpoint_before_broker_kill() {
    [[ "$(distinct_ready "$DIR/kill.jsonl")" -lt ${#VIDEOS[@]} ]] ||
      fail "all videos were done before the broker could be killed: more --steps or --segments"
    checkpoints "$JOB" | jq -e --argjson t "$AFTER_RECOVERY_MS" \
      '(.latest.completed.trigger_timestamp // 0) > $t' >/dev/null 2>&1
  }
  await 90 "a checkpoint before the broker kill" checkpoint_before_broker_kill
  restarts_before="$(num_restarts "$JOB")"
  BROKER_KILL_MS="$(now_ms)"
  "${CLUSTER[@]}" kafka kill >/dev/null
  say "broker kill: SIGKILLed the Kafka broker at step $(committed_step "$RUNNING_MS"), $(distinct_ready "$DIR/kill.jsonl") videos done; restarting it in 5 s"
  sleep 5
  "${CLUSTER[@]}" kafka start >"$DIR/broker-restart.log" 2>&1 ||
    fail "the broker did not start again: $(cat "$DIR/broker-restart.log")"
  # the videos topic's reader lost its broker too: start it again (it reads from the beginning)
  kill -TERM "$KILL_FOLLOW" 2>/dev/null || true
  follow videos "$DIR/kill.jsonl"
  KILL_FOLLOW=$FOLLOW_PID
  broker_recovered() { all_tasks_running "$JOB"; }
  await "$WAIT_RECOVERY" "the job running after the broker restart" broker_recovered
  BROKER_KILLED=1
  say "broker kill: broker back and all tasks RUNNING $(seconds_between "$BROKER_KILL_MS" "$(now_ms)") s after the kill (restarts $restarts_before -> $(num_restarts "$JOB"))"
fi

await_videos "$DIR/kill.jsonl" "$WAIT_VIDEOS"
DONE_MS="$(now_ms)"
say "all ${#VIDEOS[@]} videos done, $(seconds_between "$KILL_MS" "$DONE_MS") s after the last kill"

# two more checkpoints, so that a duplicate (a video written again after the restore) would be
# committed and visible; then read the whole topic once more with a fresh consumer
settled="$(($(completed_checkpoints "$JOB") + 2))"
two_more_checkpoints() { [[ "$(completed_checkpoints "$JOB")" -ge "$settled" ]]; }
await 60 "two more checkpoints" two_more_checkpoints
kill -TERM "$KILL_FOLLOW" 2>/dev/null || true
"${CLUSTER[@]}" kafka console-consumer --topic videos --from-beginning \
  --isolation-level read_committed --timeout-ms 5000 >"$DIR/final.jsonl" 2>"$DIR/final.err" || true

# ------------------------------------------------------------------ checks

echo "---------------------------------------------------------------- results"
records="$(grep -c . "$DIR/final.jsonl" || true)"
dupes="$(jq -r '.videoId' "$DIR/final.jsonl" | sort | uniq -d | tr '\n' ' ')"
ready="$(jq -r 'select(.type == "ready") | .videoId' "$DIR/final.jsonl" | sort -u | tr '\n' ' ')"
want="$(printf '%s\n' "${VIDEOS[@]}" | sort | tr '\n' ' ')"
r=0
[[ "$records" == "${#VIDEOS[@]}" && -z "$dupes" && "$ready" == "$want" ]] || r=1
check "videos exactly once (read_committed)" "$r" \
  "$records records on videos for ${#VIDEOS[@]} storyboards; ready: ${ready% }${dupes:+; duplicated: $dupes}"

sha_ok=0
sha_detail=""
for v in "${VIDEOS[@]}"; do
  ref="$(jq -r --arg v "$v" 'select(.videoId == $v) | .sha256' "$DIR/reference.jsonl" | head -1)"
  ref_file="$(path_of "$(jq -r --arg v "$v" 'select(.videoId == $v) | .uri' "$DIR/reference.jsonl" | head -1)")"
  got="$(jq -r --arg v "$v" 'select(.videoId == $v) | .sha256' "$DIR/final.jsonl" | head -1)"
  got_file="$(path_of "$(jq -r --arg v "$v" 'select(.videoId == $v) | .uri' "$DIR/final.jsonl" | head -1)")"
  ref_disk="$(sha256sum "$ref_file" 2>/dev/null | cut -d' ' -f1)"
  got_disk="$(sha256sum "$got_file" 2>/dev/null | cut -d' ' -f1)"
  echo "    $v: reference ${ref:0:16}.. (file ${ref_disk:0:16}..), after the kill ${got:0:16}.. (file ${got_disk:0:16}..)"
  if [[ -z "$ref" || "$ref" != "$got" || "$ref" != "$ref_disk" || "$got" != "$got_disk" ]]; then
    sha_ok=1
    sha_detail+="$v differs; "
  fi
done
check "MP4 SHA-256 equal to the run without the kill" "$sha_ok" \
  "${sha_detail:-${#VIDEOS[@]} videos, record and file hashes agree}"

# Failures the JobManager recorded (its exception history): numRestarts alone does not tell, since
# the exponential-delay strategy merges failures that meet a restart under way (FLIP-364), and it
# was seen at 0 after a kill that restarted the job twice.
failures_recorded() {
  curl -sf --max-time 5 "$REST/jobs/$1/exceptions?maxExceptions=100" |
    jq -r '.exceptionHistory.entries | length' 2>/dev/null || echo 0
}
restarts="$(num_restarts "$JOB")"
recorded="$(failures_recorded "$JOB")"
r=0
[[ "$survived" -eq "$KILLS" && "$recorded" -ge "$KILLS" ]] || r=1
check "job restarted after every kill" "$r" \
  "$survived of $KILLS kills followed by the killed TaskManager's subtasks RUNNING elsewhere; $recorded failures in the exception history; numRestarts=$restarts"

restored="$(checkpoints "$JOB" | jq -c '.latest.restored // empty | {id, restore_timestamp}')"
restored_id="$(jq -r '.id // empty' <<<"$restored")"
restored_at="$(jq -r '.restore_timestamp // 0' <<<"$restored")"
r=0
[[ -n "$restored_id" && "$restored_at" -gt "$KILL_MS" ]] || r=1
check "restored from a checkpoint after the kill" "$r" "restored ${restored:-nothing}"

tms="$(curl -sf --max-time 5 "$REST/jobs/$JOB/vertices/$VERTEX/taskmanagers" |
  jq -r '[.taskmanagers[] | .["taskmanager-id"] // .taskmanagerId // .resourceId // empty] | sort | join(",")' 2>/dev/null || true)"
r=0
kill -0 "$VICTIM_PID" 2>/dev/null && r=1
[[ "$tms" == *"taskmanager-$REPLACEMENT_N"* ]] || r=1
for v in "${KILLED[@]}"; do
  [[ ",$tms," != *",$v,"* ]] || r=1
done
check "generation moved to the replacement TaskManagers" "$r" "generate runs on: ${tms:-?}; killed: ${KILLED[*]}"

failure_ms="$(curl -sf --max-time 5 "$REST/jobs/$JOB/exceptions" |
  jq -r '[.exceptionHistory.entries[]?.timestamp] | min // empty' 2>/dev/null || true)"
[[ -z "$failure_ms" ]] || echo "RECOVERY first kill -> failure noticed by the JobManager: $(seconds_between "$first_kill_ms" "$failure_ms") s"
echo "RECOVERY last kill -> job RUNNING again (all tasks): $(seconds_between "$KILL_MS" "$RUNNING_MS") s"
echo "RECOVERY first kill -> all videos done: $(seconds_between "$first_kill_ms" "$DONE_MS") s"
for kp in "${KILL_POINTS[@]}"; do echo "KILL POINT $kp"; done
lost=0
for v in "${VIDEOS[@]}"; do
  jq -r 'select(.type == "ready") | .videoId' "$DIR/final.jsonl" 2>/dev/null | grep -qx -- "$v" ||
    lost=$((lost + 1))
done
dup_count=$(( $(jq -r '.videoId' "$DIR/final.jsonl" | sort | uniq -d | wc -l) ))
printf 'CAMPAIGN %-28s %-12s %-10s %-10s %-11s %-11s %-5s\n' scenario "kills" "records" "videos" "rejections" "duplicates" "lost"
printf 'CAMPAIGN %-28s %-12s %-10s %-10s %-11s %-11s %-5s\n' "standalone TaskManager kill" \
  "$survived/$KILLS" "${#VIDEOS[@]}" "$(echo "$ready" | wc -w)" 0 "$dup_count" "$lost"
if [[ "$KILL_BROKER" == 1 ]]; then
  printf 'CAMPAIGN %-28s %-12s %-10s %-10s %-11s %-11s %-5s\n' "standalone broker kill" \
    "$BROKER_KILLED/1" "${#VIDEOS[@]}" "$(echo "$ready" | wc -w)" 0 "$dup_count" "$lost"
fi

cancel_job "$JOB"
if [[ "$FAILED" == 0 ]]; then
  echo "E2E PASSED"
else
  echo "E2E FAILED: see the CHECK lines above"
  exit 1
fi
