#!/usr/bin/env bash
# One call on a GPU machine (docs/gpu.md, "One call on a GPU"): probes the driver, Vulkan, Node and
# PyTorch; times tfjs's webgpu training step (as `npm run bench:train -- --backend webgpu` does)
# against PyTorch on CUDA; trains epoch 1 of the 5-epoch recipe on webgpu; prints one JSON line
# (also $OUT/gpu-check.json when $OUT is set). Needs no registry: it runs from gpu-bundle/, made
# here by `npm run gpu:bundle`, and the tracked tree (data/, bench/torch_baseline.py).
# Every stage has a timeout inside GPU_CHECK_BUDGET seconds, so the summary always comes out.
#   GPU_CHECK_BUDGET=450   seconds for everything       GPU_CHECK_BS=1024    batch size
#   GPU_CHECK_SUBSET=      training images (all 60,000)  GPU_CHECK_ROUNDS=3  timed steps
#   GPU_CHECK_DRY=1        no stages, the summary only  PYTHON=…   the Python with torch (only)
#   GPU_CHECK_NODE=…       a Node to use instead of the bundled one
#   GPU_CHECK_VULKAN=bundled   the bundle's libvulkan.so.1 even where the system has one
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
BUNDLE=${GPU_CHECK_BUNDLE:-$ROOT/gpu-bundle}
BUDGET=${GPU_CHECK_BUDGET:-450}
BS=${GPU_CHECK_BS:-1024}
SUBSET=${GPU_CHECK_SUBSET:-}
ROUNDS=${GPU_CHECK_ROUNDS:-3}
DRY=${GPU_CHECK_DRY:-0}
START=$SECONDS
LOGS=${OUT:+$OUT/gpu-check-logs}
LOGS=${LOGS:-$(mktemp -d)}
mkdir -p "$LOGS"
say() { echo "gpu-check: $*" >&2; }

# A JSON string: escaped, control characters and non-ASCII bytes dropped.
jstr() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=$(printf '%s' "$s" | LC_ALL=C tr -d '\000-\037\200-\377')
  printf '"%s"' "$s"
}
# The first line of a command's output, or the fallback.
first() {
  local fallback=$1 out
  shift
  out=$("$@" 2>/dev/null | head -n 1) && [ -n "$out" ] && printf '%s' "$out" || printf '%s' "$fallback"
}
has_lib() { # not `ldconfig -p | grep -q`: with pipefail, grep's early exit fails the pipe
  local libs
  libs=$( (ldconfig -p || /sbin/ldconfig -p) 2>/dev/null)
  [[ $libs == *"$1 "* ]] || ls /usr/lib/x86_64-linux-gnu/"$1" /lib64/"$1" /usr/lib64/"$1" >/dev/null 2>&1
}
unpack() { # unpack FILE.gz next to it, once
  [ -s "${1%.gz}" ] && return 0
  { gzip -dc "$1" >"${1%.gz}.part" 2>/dev/null ||
    python3 -c 'import gzip,shutil,sys; shutil.copyfileobj(gzip.open(sys.argv[1]), sys.stdout.buffer)' "$1" >"${1%.gz}.part" 2>/dev/null; } &&
    mv "${1%.gz}.part" "${1%.gz}"
}

# ---- probe: driver, Vulkan, Node, Python ----
NVSMI=$(first missing nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader)
SYSNODE=$(first none node --version)
GLIBC=$(first unknown getconf GNU_LIBC_VERSION) # dawn.node needs glibc 2.34, Node 2.28
ICDS=$(ls /usr/share/vulkan/icd.d/ /etc/vulkan/icd.d/ /usr/local/share/vulkan/icd.d/ 2>/dev/null | grep '\.json$' | tr '\n' ' ')
if has_lib libvulkan.so.1 && [ "${GPU_CHECK_VULKAN:-}" != bundled ]; then
  LOADER=system
elif [ -e "$BUNDLE/lib/libvulkan.so.1" ]; then
  LOADER=bundled
  export LD_LIBRARY_PATH="$BUNDLE/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
else
  LOADER=none
fi
# NVIDIA's Vulkan driver is libGLX_nvidia.so.0; a container may have it without its ICD file.
NVICD=none
if [[ $ICDS == *nvidia* ]]; then
  NVICD=listed
elif has_lib libGLX_nvidia.so.0; then
  printf '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3.0"}}\n' >"$LOGS/nvidia_icd.json"
  export VK_ICD_FILENAMES="$LOGS/nvidia_icd.json" VK_DRIVER_FILES="$LOGS/nvidia_icd.json"
  NVICD="written ($LOGS/nvidia_icd.json)"
fi
VKINFO=$(timeout 20 vulkaninfo --summary 2>/dev/null | grep -m 3 deviceName | sed 's/.*= //' | tr '\n' ';')
VKINFO=${VKINFO:-unavailable}

PY=none TORCH=none CUDA=false
if [ "$DRY" = 1 ]; then
  TORCH="not probed (dry run)"
else
  for p in ${PYTHON:-python3 /usr/bin/python3}; do # $PYTHON, when set, is the only one tried
    command -v "$p" >/dev/null 2>&1 || continue
    t=$(timeout 60 "$p" -c 'import torch; print(torch.__version__, torch.cuda.is_available(), torch.version.cuda)' 2>/dev/null) || continue
    PY=$p TORCH=${t% * *} CUDA=$(echo "$t" | awk '{print tolower($2)}')
    TORCH="$TORCH (cuda ${t##* })"
    break
  done
fi

NODE=none
if [ -n "${GPU_CHECK_NODE:-}" ]; then
  NODE=$GPU_CHECK_NODE
elif [ "$DRY" != 1 ] && [ -e "$BUNDLE/bin/node.gz" ] && unpack "$BUNDLE/bin/node.gz"; then
  chmod +x "$BUNDLE/bin/node" && NODE=$BUNDLE/bin/node
elif [ "$SYSNODE" != none ]; then
  NODE=node
fi
[ "$DRY" != 1 ] && [ -e "$BUNDLE/node_modules/webgpu/dist/linux-x64/dawn.node.gz" ] &&
  unpack "$BUNDLE/node_modules/webgpu/dist/linux-x64/dawn.node.gz"
say "driver: $NVSMI; node: $NODE; vulkan loader: $LOADER; ICDs: ${ICDS:-none}; torch: $TORCH cuda=$CUDA"

# ---- stages, each with a timeout inside the budget ----
STAGES=()
# stage NAME CAP_SECONDS COMMAND…: runs it, records status, seconds, the last stdout line as JSON.
stage() {
  local name=$1 cap=$2 left status result err t0 rc
  shift 2
  left=$((BUDGET - (SECONDS - START) - 5))
  [ "$cap" -gt "$left" ] && cap=$left
  t0=$SECONDS
  if [ "$DRY" = 1 ]; then
    status=skipped err="dry run"
  elif [ -n "${SKIP:-}" ]; then
    status=skipped err=$SKIP
  elif [ "$cap" -lt 10 ]; then
    status=skipped err="out of time"
  else
    say "$name (at most ${cap}s)…"
    timeout -k 5 "$cap" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err"
    rc=$?
    case $rc in
    0) status=ok ;;
    124 | 137) status=timeout ;;
    *) status="failed ($rc)" ;;
    esac
    result=$(tail -n 1 "$LOGS/$name.out" | grep '^{.*}$')
    err=$([ "$status" = ok ] || tail -n 4 "$LOGS/$name.err")
  fi
  STAGES+=("$(jstr "$name"):{\"status\":$(jstr "$status"),\"seconds\":$((SECONDS - t0)),\"result\":${result:-null},\"error\":$([ -n "${err:-}" ] && jstr "$err" || echo null)}")
  say "$name: $status ($((SECONDS - t0))s)"
  [ "$status" = ok ]
}

CHECK=$BUNDLE/check.mjs
SKIP=
[ "$NODE" = none ] && SKIP="no node: neither the bundle's (npm run gpu:bundle) nor one on PATH"
[ -e "$CHECK" ] || SKIP="no $CHECK: run npm run gpu:bundle and carry gpu-bundle"
stage adapter 60 "$NODE" "$CHECK" probe &&
  grep -q '"adapter":"' "$LOGS/adapter.out" || SKIP=${SKIP:-"no WebGPU adapter (see the adapter stage)"}
# On a GPU machine, a software adapter means NVIDIA's Vulkan driver is missing: batch 1024 would
# only time out.
[ "$NVSMI" != missing ] && grep -qiE 'llvmpipe|swiftshader' "$LOGS/adapter.out" 2>/dev/null &&
  SKIP=${SKIP:-"software adapter on a machine with nvidia-smi: NVIDIA's Vulkan driver is missing"}
stage webgpu_step 150 "$NODE" "$CHECK" step --bs "$BS" --rounds "$ROUNDS"
SKIP_GPU=$SKIP SKIP=
[ "$PY" = none ] && SKIP="no python with torch"
[ "$CUDA" = true ] || SKIP=${SKIP:-"torch sees no CUDA"}
stage torch_cuda_step 120 "$PY" bench/torch_baseline.py 8 "$BS" "$ROUNDS" cuda
SKIP=$SKIP_GPU
RUN=$(mktemp -d)/run # checkpoints and weights stay behind; the CSVs and run.json come back
stage webgpu_epoch "$BUDGET" "$NODE" "$CHECK" epoch --bs "$BS" ${SUBSET:+--subset "$SUBSET"} \
  --data data --out "$RUN"
cp "$RUN"/*.csv "$RUN"/run.json "$LOGS"/ 2>/dev/null
rm -rf "${RUN%/run}"

# ---- summary ----
rate() { grep -o '"train_img_s":[0-9.e+-]*' "$LOGS/$1.out" 2>/dev/null | cut -d: -f2; }
RATIO=$(awk -v a="$(rate webgpu_step)" -v b="$(rate torch_cuda_step)" \
  'BEGIN { if (a > 0 && b > 0) printf "%.4f", a / b; else print "null" }')
SUMMARY="{\"gpu_check\":1,\"date\":$(jstr "$(date -u +%FT%TZ)"),\"seconds\":$((SECONDS - START)),\"budget_s\":$BUDGET"
SUMMARY+=",\"settings\":{\"bs\":$BS,\"subset\":${SUBSET:-null},\"rounds\":$ROUNDS,\"dry\":$([ "$DRY" = 1 ] && echo true || echo false)}"
SUMMARY+=",\"probe\":{\"nvidia_smi\":$(jstr "$NVSMI"),\"glibc\":$(jstr "$GLIBC"),\"system_node\":$(jstr "$SYSNODE"),\"node\":$(jstr "$NODE")"
SUMMARY+=",\"vulkan_loader\":$(jstr "$LOADER"),\"icds\":$(jstr "${ICDS% }"),\"nvidia_icd\":$(jstr "$NVICD"),\"vulkaninfo\":$(jstr "$VKINFO")"
SUMMARY+=",\"python\":$(jstr "$PY"),\"torch\":$(jstr "$TORCH"),\"cuda\":$CUDA}"
SUMMARY+=",\"stages\":{$(IFS=,; echo "${STAGES[*]}")},\"train_ratio_webgpu_over_torch_cuda\":$RATIO}"
[ -n "${OUT:-}" ] && printf '%s\n' "$SUMMARY" >"$OUT/gpu-check.json"
printf '%s\n' "$SUMMARY"
