#!/usr/bin/env python3
"""Trains fxlab's default network with PyTorch on the CPU and prints samples per second as JSON.

This is the speed reference for bench/benchmark.py: the same network, batch size, learning rate and
momentum as fxlab's presets, on the same data. Two modes:
  float  plain float32 training;
  fixed  the same network with fake quantization, the usual way Python simulators model fixed
         point: 8-bit weights and activations rounded to nearest, 16-bit gradients rounded
         stochastically, each fractional length fixed in advance.
Needs Debian's python3-torch and python3-numpy; fxlab itself never needs Python.
"""
import argparse
import gzip
import json
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def load_idx(path):
    with gzip.open(path, "rb") as stream:
        data = stream.read()
    dimensions = data[3]
    shape = struct.unpack(">" + "I" * dimensions, data[4:4 + 4 * dimensions])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def round_to_grid(x, word_bits, fractional_length, stochastic):
    scale = 2.0 ** fractional_length
    scaled = x * scale
    rounded = torch.floor(scaled + torch.rand_like(scaled)) if stochastic else torch.round(scaled)
    limit = 2 ** (word_bits - 1)
    return torch.clamp(rounded, -limit, limit - 1) / scale


class FakeQuantize(torch.autograd.Function):
    """Rounds values on the way forward and their gradients on the way back."""

    @staticmethod
    def forward(context, x, value_format, gradient_format):
        context.gradient_format = gradient_format
        return round_to_grid(x, *value_format, stochastic=False)

    @staticmethod
    def backward(context, gradient):
        return round_to_grid(gradient, *context.gradient_format, stochastic=True), None, None


class DefaultNetwork(torch.nn.Module):
    def __init__(self, fixed):
        super().__init__()
        self.fixed = fixed
        self.conv1 = torch.nn.Conv2d(1, 8, 5)
        self.conv2 = torch.nn.Conv2d(8, 16, 5)
        self.dense1 = torch.nn.Linear(256, 64)
        self.dense2 = torch.nn.Linear(64, 10)

    def activation(self, x):
        return FakeQuantize.apply(x, (8, 4), (16, 14)) if self.fixed else x

    def weight(self, layer):
        return FakeQuantize.apply(layer.weight, (8, 7), (16, 18)) if self.fixed else layer.weight

    def forward(self, x):
        x = self.activation(F.max_pool2d(F.relu(F.conv2d(x, self.weight(self.conv1), self.conv1.bias)), 2))
        x = self.activation(F.max_pool2d(F.relu(F.conv2d(x, self.weight(self.conv2), self.conv2.bias)), 2))
        x = self.activation(F.relu(F.linear(x.flatten(1), self.weight(self.dense1), self.dense1.bias)))
        return F.linear(x, self.weight(self.dense2), self.dense2.bias)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["float", "fixed"], default="float")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=0, help="CPU threads; 0 keeps PyTorch's default")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    arguments = parser.parse_args()
    if arguments.threads:
        torch.set_num_threads(arguments.threads)
    torch.manual_seed(1)

    images = torch.from_numpy(load_idx(f"{arguments.data}/train-images-idx3-ubyte.gz").astype(np.float32) / 255)
    images = images.unsqueeze(1)
    labels = torch.from_numpy(load_idx(f"{arguments.data}/train-labels-idx1-ubyte.gz").astype(np.int64))

    network = DefaultNetwork(arguments.mode == "fixed")
    optimizer = torch.optim.SGD(network.parameters(), lr=0.05, momentum=0.9)
    order = torch.randperm(len(images))
    started = time.perf_counter()
    for step in range(arguments.steps):
        batch = order[(step * arguments.batch) % (len(images) - arguments.batch):][:arguments.batch]
        loss = F.cross_entropy(network(images[batch]), labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    elapsed = time.perf_counter() - started
    print(json.dumps({"mode": arguments.mode, "threads": torch.get_num_threads(), "steps": arguments.steps,
                      "samples_per_second": arguments.steps * arguments.batch / elapsed,
                      "final_loss": loss.item()}))


if __name__ == "__main__":
    main()
