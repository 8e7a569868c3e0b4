#!/bin/sh
# One script for a machine with a GPU, to run once in a short session: builds fxlab, lists the
# Vulkan devices, runs the Vulkan parity tests against the CPU reference (with validation on),
# and measures both backends beside PyTorch. The figures also go to OUT/benchmark.json.
#
# usage: bench/device_check.sh [BUILD_DIR]     (default: build-device)
# OUT=DIR chooses where benchmark.json goes (default: the current folder).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-device}
out=${OUT:-.}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel "$(nproc)"

echo "== Vulkan devices"
"$build/app/cli/fxlab-cli" devices

echo "== Vulkan parity against the CPU reference"
(cd "$build" && ctest --label-regex vulkan --output-on-failure --parallel "$(nproc)")

echo "== Throughput: CPU and Vulkan backends beside PyTorch"
# Debian's python3-torch belongs to the system Python, which another python3 on PATH may hide.
python=${PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=python3
"$python" "$root/bench/benchmark.py" --build "$build" --steps 300 --threads "$(nproc)" --backends cpu,vulkan \
    --json "$out/benchmark.json"
