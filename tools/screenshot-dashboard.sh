#!/usr/bin/env bash
# Screenshot of the Flink dashboard showing the generation job, for the README. Run by hand (not
# in CI). Needs Debian's Chromium, which this script does not install:
#
#   apt-get install chromium
#
#   tools/screenshot-dashboard.sh [OUT.png]        (default: docs/images/dashboard.png)
#
# Starts `./ttt-video local --keep-running` on free ports (KAFKA_PORT / DASHBOARD_PORT to choose),
# submits examples/storyboards/quick-9s.json, waits for the video, opens the job's page in headless
# Chromium (a fresh profile, no network services) and saves the screenshot, then stops local mode
# with Ctrl-C (SIGINT) and waits for its clean exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/docs/images/dashboard.png}"
storyboard="${STORYBOARD:-$root/examples/storyboards/quick-9s.json}"

chromium_bin="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "$chromium_bin" ]] || { echo "chromium not found: apt-get install chromium" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl not found: apt-get install curl" >&2; exit 2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1]); s.close()'
}
kafka_port="${KAFKA_PORT:-$(free_port)}"
dashboard_port="${DASHBOARD_PORT:-$(free_port)}"
work="$(mktemp -d)"
local_pid=""

cleanup() {
  if [[ -n "$local_pid" ]] && kill -0 "$local_pid" 2>/dev/null; then
    kill -INT "$local_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$local_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$local_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # seconds, description, command...
  local seconds="$1" what="$2"
  shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [[ -n "$local_pid" ]] && ! kill -0 "$local_pid" 2>/dev/null; then
      echo "local mode ended early:" >&2
      cat "$work/local.out" "$work/local.err" >&2
      exit 1
    fi
    sleep 1
  done
  echo "timed out waiting for $what" >&2
  exit 1
}

echo "starting local mode (Kafka :$kafka_port, dashboard :$dashboard_port) ..." >&2
"$root/ttt-video" local --keep-running --plain --kafka-port "$kafka_port" \
  --dashboard-port "$dashboard_port" --output-dir "$work/videos" \
  >"$work/local.out" 2>"$work/local.err" &
local_pid=$!
wait_for 300 "the dashboard" grep -q '^Keeping Kafka' "$work/local.out"

echo "submitting $storyboard ..." >&2
"$root/ttt-video" submit --wait --plain --timeout 10min \
  --bootstrap-servers "localhost:$kafka_port" "$storyboard" | tail -1 >&2

rest="http://localhost:$dashboard_port"
job_id="$(curl -fsS "$rest/jobs/overview" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["jid"])')"
# the metric fetcher refreshes every 10 s: let the job page show the finished video's numbers
sleep 12

mkdir -p "$(dirname "$out")"
profile="$work/chromium-profile"
"$chromium_bin" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --window-size=1400,900 --virtual-time-budget=15000 \
  --screenshot="$out" "$rest/#/job/running/$job_id/overview" >"$work/chromium.log" 2>&1 || {
  cat "$work/chromium.log" >&2
  exit 1
}
[[ -s "$out" ]] || { echo "chromium wrote no screenshot" >&2; cat "$work/chromium.log" >&2; exit 1; }
echo "wrote $out ($(stat -c %s "$out") bytes) of $rest/#/job/running/$job_id/overview" >&2
