// Plan tables for the integer kernels. planAccumulator() depends on the fractional lengths only
// through the difference between the bias's and the products' fractional lengths, and a
// data-driven policy may change either in the middle of a step. So the host plans every
// difference that valid formats allow, and the kernel picks the entry for the difference that
// the format table holds when it runs. The plans are the CPU reference's own, so the integer
// results are identical.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace fxlab {

struct AccumulatorTable {
    // (productShift, sumShift, biasShift, resultOffset) per entry; the fractional length of the
    // finished sum is the product fractional length plus resultOffset.
    std::vector<int32_t> entries;
    int lowestDifference = 0;  // the bias-minus-product difference of entry 0
    int count = 1;
    // The kAccumulator constant of the kernels (see shaders/accumulator.glsl): the cheapest way
    // to form the products that is exact for every entry.
    uint32_t accumulator = 0;
};

// The table for sums of `terms` products of aWordBits-bit by bWordBits-bit codes, plus a bias of
// biasWordBits bits when given.
AccumulatorTable accumulatorTable(int aWordBits, int bWordBits, int64_t terms, std::optional<int> biasWordBits);

} // namespace fxlab
