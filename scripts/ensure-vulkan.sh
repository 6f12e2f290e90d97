#!/usr/bin/env bash
# The webgpu tests run Dawn (npm package `webgpu`) on a Vulkan driver. Without a GPU, Mesa's
# software lavapipe works from Mesa 24 on: Debian bookworm's own Mesa 22.3 is refused by Dawn,
# so this installs Mesa 25 from bookworm-backports where it can (root, apt-get, bookworm).
# Never fatal: without a driver the webgpu tests skip and say why.
set -uo pipefail
if ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 &&
  dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -qv '^22\.'; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ] ||
  ! grep -q 'VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null; then
  echo "gradsheet: no Mesa ≥ 24 lavapipe here; the webgpu tests will skip (see docs/gpu.md)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
list=/etc/apt/sources.list.d/gradsheet-backports.list
grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ ||
  echo 'deb http://deb.debian.org/debian bookworm-backports main' >"$list"
echo "gradsheet: installing Mesa's lavapipe from bookworm-backports for the webgpu tests…"
if apt-get update -qq && apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null; then
  exit 0
fi
echo "gradsheet: could not install lavapipe; the webgpu tests will skip" >&2
exit 0
