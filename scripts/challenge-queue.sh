#!/usr/bin/env bash
# The challenge's long runs (issue 12), one after another, in the background, resumable:
#   nohup bash scripts/challenge-queue.sh > ~/gradsheet-runs/queue.log 2>&1 &
# Each run goes to $RUNS/NAME (default ~/gradsheet-runs, outside the checkout so a fresh checkout
# keeps it). A finished run (run.json present) is skipped, a started one is continued with
# --resume, so running the script again after an interruption picks up where it stopped.
# Record each finished or partial run with: npx tsx scripts/record-run.ts DIR --write
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-$HOME/gradsheet-runs}"
mkdir -p "$RUNS"
PY=/usr/bin/python3

train() { # NAME FLAGS…
  local name=$1; shift
  local dir="$RUNS/$name"
  if [ -f "$dir/run.json" ]; then echo "$name: finished"; return; fi
  local resume=()
  [ -f "$dir/config.json" ] && resume=(--resume)
  echo "$name: $(date -u +%FT%TZ) start ${resume[*]}"
  nice -n 10 node bin/gradsheet.js train "$@" --out "$dir" "${resume[@]}" >>"$dir.log" 2>&1
  echo "$name: $(date -u +%FT%TZ) exit $?"
}

torch() { # NAME FLAGS… (PyTorch, the lesson's recipe; skipped without Debian's python3-torch)
  local name=$1; shift
  [ -f "$RUNS/$name.json" ] && { echo "$name: finished"; return; }
  $PY -c 'import torch' 2>/dev/null || { echo "$name: no torch"; return; }
  echo "$name: $(date -u +%FT%TZ) start"
  nice -n 10 $PY bench/torch_recipe.py "$@" --out "$RUNS/$name.json" >>"$RUNS/$name.log" 2>&1
  echo "$name: $(date -u +%FT%TZ) exit $?"
}

# 1. The seed table: the 5-epoch recipe, gradsheet and PyTorch (micro-batched BN as on wasm, and whole-batch).
for seed in 42 1 2; do
  train "s5-seed$seed" --seed "$seed"
  torch "torch-s5-micro256-seed$seed" --seed "$seed" --micro 256
done
for seed in 42 1 2; do torch "torch-s5-seed$seed" --seed "$seed"; done
# 2. The long recipes (lesson: 0.943, 0.945 with TTA; 0.949).
train wide20 --model resnet-wide --epochs 20 --lr 1e-2 --aug crop,flip --tta
train wide50 --model resnet-wide --epochs 50 --lr 2e-2 --aug crop,flip,erase
