// Counter-based random bits: Philox4x32 with 10 rounds (Salmon et al., "Parallel random numbers:
// as easy as 1, 2, 3", SC 2011). The output depends only on the key and the counter, so any
// element can draw its bits independently, in any order, on any thread or GPU invocation.
// shaders/philox.glsl computes the same function.
#pragma once

#include <array>
#include <cstdint>

namespace fxlab {

using PhiloxCounter = std::array<uint32_t, 4>;
using PhiloxKey = std::array<uint32_t, 2>;

constexpr PhiloxCounter philox4x32(PhiloxCounter counter, PhiloxKey key)
{
    constexpr uint32_t kMultiplier0 = 0xD2511F53u;
    constexpr uint32_t kMultiplier1 = 0xCD9E8D57u;
    constexpr uint32_t kWeyl0 = 0x9E3779B9u;
    constexpr uint32_t kWeyl1 = 0xBB67AE85u;

    for (int round = 0; round < 10; ++round) {
        const uint64_t product0 = uint64_t{kMultiplier0} * counter[0];
        const uint64_t product1 = uint64_t{kMultiplier1} * counter[2];
        const uint32_t high0 = uint32_t(product0 >> 32), low0 = uint32_t(product0);
        const uint32_t high1 = uint32_t(product1 >> 32), low1 = uint32_t(product1);
        counter = {high1 ^ counter[1] ^ key[0], low1, high0 ^ counter[3] ^ key[1], low0};
        key[0] += kWeyl0;
        key[1] += kWeyl1;
    }
    return counter;
}

// Which tensor of a layer a stream of random bits belongs to. The first five values match
// TensorKind; the others are tensors that share a kind's precision but need their own bits.
enum class RandomTensor : uint32_t {
    Weights = 0,
    Biases = 1,
    Activations = 2,
    ActivationGradients = 3,
    WeightGradients = 4,
    BiasGradients = 5,
    WeightUpdate = 6,
    BiasUpdate = 7,
    Initialization = 8,
    Shuffle = 9,
    Input = 10,
};

// Layer index used by streams that belong to no layer (data shuffling, input quantization).
constexpr uint32_t kNoLayer = 0xFFFFFFFFu;

// The random bits of one tensor at one training step: element i draws bits(i). The key is the
// run seed, the counter is (element index, step, layer, tensor).
struct RandomStream {
    uint64_t seed = 0;
    uint32_t step = 0;
    uint32_t layer = 0;
    RandomTensor tensor = RandomTensor::Weights;

    constexpr uint32_t bits(uint32_t index) const
    {
        const PhiloxKey key{uint32_t(seed), uint32_t(seed >> 32)};
        return philox4x32({index, step, layer, uint32_t(tensor)}, key)[0];
    }

    // A uniform float in [0, 1) with 24 random bits, exact on every platform.
    constexpr float uniform(uint32_t index) const { return float(bits(index) >> 8) * 0x1p-24f; }
};

} // namespace fxlab
