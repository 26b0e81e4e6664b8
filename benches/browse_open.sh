#!/usr/bin/env bash
# Time from starting a tmux pane to the first frame of `dossier browse` showing,
# minus the same for a pane that prints a word (tmux's own cost). Median of N runs.
# Usage: browse_open.sh DOSSIER STORE INITIATIVE [N]
set -euo pipefail
bin=$1; store=$2; ini=$3; n=${4:-15}
sock=$(mktemp -u /tmp/browse-open.XXXX)
measure() { # $1 command, $2 text to wait for
  local t0 t1
  t0=$(date +%s%N)
  tmux -S "$sock" -f /dev/null new-session -d -s t -x 100 -y 30 "$1"
  until tmux -S "$sock" capture-pane -p -t t 2>/dev/null | grep -q -- "$2"; do :; done
  t1=$(date +%s%N)
  tmux -S "$sock" kill-server 2>/dev/null || true
  rm -f "$sock"
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(for i in $(seq "$n"); do measure "echo ready-now; cat" ready-now; done | median)
full=$(for i in $(seq "$n"); do measure "'$bin' --store '$store' browse $ini; cat" "change 1 of"; done | median)
echo "tmux alone: ${base} ms; browse to first frame: ${full} ms; browse's own: $((full - base)) ms (median of $n)"
