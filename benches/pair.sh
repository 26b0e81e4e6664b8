#!/bin/sh
# One row of docs/benchmarks.md ("History at scale"): hyperfine of OURS and THEIRS in DIR
# (RUNS runs each after one warm-up, PREPARE before each of OURS when not empty), then one
# line: the medians, their ratio, the mean CPU (user + system) of each and its ratio.
#   benches/pair.sh NAME DIR RUNS PREPARE OURS THEIRS
set -eu
name=$1; dir=$2; runs=$3; prep=$4; ours=$5; theirs=$6
out=${TMPDIR:-/tmp}/dossier-pair-$name.json
cd "$dir"
if [ -n "$prep" ]; then
  hyperfine -N -i -w 1 -r "$runs" --export-json "$out" --prepare "$prep" "$ours" --prepare true "$theirs" >/dev/null 2>&1
else
  hyperfine -N -i -w 1 -r "$runs" --export-json "$out" "$ours" "$theirs" >/dev/null 2>&1
fi
python3 - "$name" "$out" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
a, b = json.load(open(path))["results"]
def f(x):
    return f"{x * 1000:.1f} ms" if x < 10 else f"{x:.1f} s"
cpu = lambda x: x["user"] + x["system"]
print(f"{name}\t{f(a['median'])}\t{f(b['median'])}\t{a['median'] / b['median']:.2f}x\t"
      f"cpu {f(cpu(a))} vs {f(cpu(b))} = {cpu(a) / max(cpu(b), 1e-4):.2f}x")
PY
