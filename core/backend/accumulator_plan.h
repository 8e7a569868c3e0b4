// How an integer sum of products is accumulated so that it never overflows: the width of the
// accumulator, the shifts that align products and bias, and the fractional length of the result.
// Both backends follow the same plan, so their integer results are identical.
#pragma once

#include "numeric/fixed_format.h"

#include <cstdint>
#include <optional>

namespace fxlab {

struct AccumulatorPlan {
    // int64 accumulation; otherwise int32, which the worst case provably fits.
    bool wide = false;
    // Terms that an int32 partial sum can take before it must be added to the int64 total. Only
    // meaningful when wide; 0 means every product goes straight into int64.
    int64_t blockTerms = 0;
    // Right shift (floor) applied to every product. It is 0 unless the operands are so wide that
    // even int64 could overflow (such as 32-bit by 32-bit codes summed over hundreds of terms);
    // then the lowest bits of each product are dropped, as hardware with a narrower accumulator would.
    int productShift = 0;
    // Left shift applied to the sum of products, to line it up with a bias that has a finer step.
    int sumShift = 0;
    // Shift applied to the bias code: left when positive, right (floor) when negative.
    int biasShift = 0;
    // Fractional length of the final sum.
    int resultFractionalLength = 0;
};

// Plans sum_k (a_k * b_k) + bias for `terms` products of codes with the given word bits and
// fractional lengths. The worst case (every product at its largest magnitude) decides.
AccumulatorPlan planAccumulator(int aWordBits, int aFractionalLength, int bWordBits, int bFractionalLength,
                                int64_t terms, std::optional<FixedFormat> bias = std::nullopt);

// floor(value / 2^shift) for any shift >= 0; C++ leaves shifts of 64 or more undefined.
inline int64_t shiftRightFloor(int64_t value, int shift)
{
    return shift >= 63 ? (value < 0 ? -1 : 0) : value >> shift;
}

// Applies the plan's per-product and final steps; the inner loop of each backend adds products
// in between. The plan keeps sumShift and positive biasShift below 62, so the left shifts are exact.
inline int64_t shiftProduct(int64_t product, const AccumulatorPlan& plan)
{
    return shiftRightFloor(product, plan.productShift);
}

inline int64_t finishSum(int64_t sum, int32_t biasCode, const AccumulatorPlan& plan)
{
    const int64_t aligned = int64_t(uint64_t(sum) << plan.sumShift);
    const int64_t bias = plan.biasShift >= 0 ? int64_t(uint64_t(int64_t(biasCode)) << plan.biasShift)
                                             : shiftRightFloor(biasCode, -plan.biasShift);
    return aligned + bias;
}

} // namespace fxlab
