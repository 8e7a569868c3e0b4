#include "backend/accumulator_plan.h"

#include <algorithm>
#include <cmath>

namespace fxlab {

namespace {

// Largest magnitude a plan may reach; two bits below int64's limit leave room for the bias.
constexpr double kWideLimit = 0x1p62;
constexpr double kNarrowLimit = 0x1p31 - 1;

} // namespace

AccumulatorPlan planAccumulator(int aWordBits, int aFractionalLength, int bWordBits, int bFractionalLength,
                                int64_t terms, std::optional<FixedFormat> bias)
{
    const int productFractionalLength = aFractionalLength + bFractionalLength;
    const int target = bias ? std::max(productFractionalLength, bias->fractionalLength) : productFractionalLength;
    // |code| <= 2^(bits-1), reached by the most negative code.
    const double largestProduct = std::ldexp(1.0, aWordBits - 1 + bWordBits - 1);
    const double largestBias = bias ? std::ldexp(1.0, bias->wordBits - 1) : 0.0;

    AccumulatorPlan plan;
    for (int guard = 0;; ++guard) {
        plan.resultFractionalLength = target - guard;
        plan.productShift = std::max(0, productFractionalLength - plan.resultFractionalLength);
        plan.sumShift = std::max(0, plan.resultFractionalLength - productFractionalLength);
        plan.biasShift = bias ? plan.resultFractionalLength - bias->fractionalLength : 0;

        const double sumBound = double(terms) * std::ldexp(largestProduct, plan.sumShift - plan.productShift);
        const double biasBound = std::ldexp(largestBias, plan.biasShift);
        if (sumBound + biasBound < kWideLimit) {
            // Only the running sum of products lives in the accumulator; the shifts and the bias
            // are applied to the finished sum in int64.
            plan.wide = double(terms) * std::ldexp(largestProduct, -plan.productShift) > kNarrowLimit;
            break;
        }
    }

    if (plan.wide && plan.productShift == 0 && largestProduct <= kNarrowLimit)
        plan.blockTerms = int64_t(kNarrowLimit / largestProduct);
    return plan;
}

} // namespace fxlab
