#!/usr/bin/env bash
# Sets up fxlab on Debian 12 and runs it.
#   installer/setup.sh run    install what is missing, build, and train the default experiment:
#                             in the window when there is a display, headless otherwise
#   installer/setup.sh test   install what is missing, build, and run the whole test suite
# Run as root (or with sudo) so that missing Debian packages can be installed; with every package
# present it installs nothing and needs no network.
set -euo pipefail

mode=${1:-}
if [[ "$mode" != run && "$mode" != test ]]; then
    echo "usage: $0 run|test" >&2
    exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build"

packages=(
    build-essential cmake ninja-build file dpkg-dev zlib1g-dev
    qt6-base-dev qt6-base-dev-tools libqcustomplot-dev libqcustomplot2.1-qt6
    libvulkan-dev mesa-vulkan-drivers vulkan-validationlayers glslc glslang-dev spirv-tools libvkfft-dev
    dataset-fashion-mnist xvfb xauth fonts-dejavu-core poppler-utils
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if ((${#missing[@]} > 0)); then
    echo "installing ${#missing[@]} missing Debian packages: ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then
        echo "error: installing packages needs root; run this script as root or with sudo" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "building fxlab in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel "$(nproc)"

if [[ "$mode" == test ]]; then
    cd "$build"
    exec ctest --output-on-failure --parallel "$(nproc)" --timeout 1500
fi

if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
    echo "starting the fxlab window: the default experiment trains at once"
    exec "$build/app/gui/fxlab" --autostart
fi

out="$root/fxlab-runs/default"
echo "no display found: training the default experiment headless with fxlab-cli"
"$build/app/cli/fxlab-cli" train --out "$out"
echo "done: the results are in $out (metrics.csv, summary.json, experiment.json)"
