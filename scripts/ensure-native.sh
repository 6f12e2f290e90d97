#!/usr/bin/env bash
# Node's native convolutions (native/conv.cc) need g++ and oneDNN's headers. Installs them where
# they are missing and we may (root, apt-get), then builds (scripts/build-native.mjs). Never fatal:
# without them Node trains on tfjs's wasm kernels and the native tests skip, saying why.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! [ -f /usr/include/oneapi/dnnl/dnnl.hpp ] || ! command -v g++ >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "gradsheet: installing g++ and oneDNN for Node's native convolutions (apt-get install -y g++ libdnnl-dev)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq g++ libdnnl-dev >/dev/null
  fi
fi
node scripts/build-native.mjs
exit 0
