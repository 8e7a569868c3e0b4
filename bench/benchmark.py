#!/usr/bin/env python3
"""Training throughput of fxlab's backends beside PyTorch, timed in one run on one machine.

Prints samples per second for the float and fixed8 presets on each fxlab backend and for PyTorch
on the CPU (float, and fixed point simulated with fake quantization), then each fxlab figure as a
ratio to the PyTorch figure of the same kind. Ratios above 1 mean fxlab is faster.

Each figure is the median of --repeat runs, taken in turns (fxlab, PyTorch, fxlab, ...) so that a
burst of load from another process does not hit one side only.

usage: bench/benchmark.py [--build DIR] [--steps N] [--threads N] [--repeat N] [--backends cpu,vulkan]
                          [--json FILE]
"""
import argparse
import json
import os
import subprocess
import sys
import statistics
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run_fxlab(cli, backend, preset, steps, threads, data):
    with tempfile.TemporaryDirectory() as out:
        command = [cli, "train", "--preset", preset, "--steps", str(steps), "--backend", backend,
                   "--threads", str(threads), "--log-every", str(steps), "--data", data, "--out", out, "--quiet"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"}
        with open(os.path.join(out, "summary.json")) as stream:
            summary = json.load(stream)
        return {"samples_per_second": summary["samples_per_second"], "device": summary["device"]}


def run_pytorch(mode, steps, threads, data):
    try:
        import torch  # noqa: F401  (only checks that PyTorch is installed)
    except ImportError:
        return {"error": "PyTorch is not installed (Debian package python3-torch)"}
    command = [sys.executable, os.path.join(HERE, "pytorch_reference.py"), "--mode", mode, "--steps", str(steps),
               "--threads", str(threads), "--data", data]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"}
    return json.loads(result.stdout)


def median_of(runs):
    """The run with the median speed, or the first error when any run failed."""
    for run in runs:
        if "error" in run:
            return run
    ordered = sorted(runs, key=lambda run: run["samples_per_second"])
    result = dict(ordered[len(ordered) // 2])
    result["samples_per_second"] = statistics.median(run["samples_per_second"] for run in runs)
    result["runs"] = [round(run["samples_per_second"], 1) for run in runs]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build"), help="fxlab build folder")
    parser.add_argument("--steps", type=int, default=300, help="training steps per measurement")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="CPU threads for fxlab and PyTorch")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is printed")
    # Both backends by default, so one run prints them side by side; on a machine without a Vulkan
    # driver the Vulkan figures are reported as not measured, with the reason.
    parser.add_argument("--backends", default="cpu,vulkan", help="comma-separated fxlab backends to measure")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--json", help="also write the figures to this file")
    arguments = parser.parse_args()

    cli = os.path.join(arguments.build, "app", "cli", "fxlab-cli")
    if not os.access(cli, os.X_OK):
        sys.exit(f"benchmark: {cli} not found: build fxlab first (installer/setup.sh test builds it)")

    print(f"training throughput, {arguments.steps} steps of batch 64, {arguments.threads} CPU threads, "
          f"median of {arguments.repeat} runs")
    measurements = {("pytorch", "float"): [], ("pytorch", "fixed8"): []}
    backends = arguments.backends.split(",")
    for backend in backends:
        for preset in ("float", "fixed8"):
            measurements[(backend, preset)] = []
    for _ in range(arguments.repeat):
        for preset, mode in (("float", "float"), ("fixed8", "fixed")):
            measurements[("pytorch", preset)].append(run_pytorch(mode, arguments.steps, arguments.threads, arguments.data))
            for backend in backends:
                measurements[(backend, preset)].append(
                    run_fxlab(cli, backend, preset, arguments.steps, arguments.threads, arguments.data))

    anchors = {preset: median_of(measurements[("pytorch", preset)]) for preset in ("float", "fixed8")}
    figures = {"steps": arguments.steps, "threads": arguments.threads, "repeat": arguments.repeat,
               "pytorch": anchors, "fxlab": {}}
    rows = []
    for backend in backends:
        for preset in ("float", "fixed8"):
            measured = median_of(measurements[(backend, preset)])
            figures["fxlab"][f"{backend}/{preset}"] = measured
            rows.append((backend, preset, measured))

    for kind, anchor in anchors.items():
        if "error" in anchor:
            print(f"PyTorch {kind}: not measured: {anchor['error']}")
        else:
            print(f"PyTorch {kind:7s} {anchor['samples_per_second']:10.0f} samples/s")
    for backend, preset, measured in rows:
        if "error" in measured:
            print(f"fxlab {backend}/{preset}: not measured: {measured['error']}")
            continue
        line = f"fxlab {backend:6s} {preset:7s} {measured['samples_per_second']:10.0f} samples/s"
        anchor = anchors[preset]
        if "error" not in anchor:
            ratio = measured["samples_per_second"] / anchor["samples_per_second"]
            figures["fxlab"][f"{backend}/{preset}"]["ratio_to_pytorch"] = ratio
            line += f"   ratio to PyTorch {preset}: {ratio:.2f}"
        print(line + f"   ({measured['device']})")

    if arguments.json:
        with open(arguments.json, "w") as stream:
            json.dump(figures, stream, indent=2)


if __name__ == "__main__":
    main()
