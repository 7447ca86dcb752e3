#!/usr/bin/env bash
# Makes a frame strip PNG of an MP4 (evenly spaced frames side by side) for the README.
#
#   tools/frame-strip.sh VIDEO.mp4 [OUT.png] [--frames N] [--scale K]
#
# Default OUT: docs/images/frame-strip.png. Decodes with FFmpeg (JavaCV) through
# `ttt-video frame-strip`, which the launcher builds if needed. Without an MP4 at hand:
#   ./ttt-video local examples/storyboards/quick-9s.json   # writes videos/quick-9s-paper-boat.mp4
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
video="$1"
shift
out="$root/docs/images/frame-strip.png"
if [[ $# -gt 0 && "$1" != -* ]]; then
  out="$1"
  shift
fi
mkdir -p "$(dirname "$out")"
"$root/ttt-video" frame-strip "$video" --output "$out" "$@"
