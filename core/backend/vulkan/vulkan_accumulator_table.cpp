#include "backend/vulkan/vulkan_accumulator_table.h"

#include "backend/accumulator_plan.h"
#include "numeric/fixed_format.h"

namespace fxlab {

namespace {

// The kAccumulator values of shaders/accumulator.glsl.
constexpr uint32_t kSumOfInt32Products = 0;
constexpr uint32_t kSumOfInt64Products = 1;
constexpr uint32_t kSumOfShiftedProducts = 2;
constexpr uint32_t kSumInInt32 = 3;

} // namespace

AccumulatorTable accumulatorTable(int aWordBits, int bWordBits, int64_t terms, std::optional<int> biasWordBits)
{
    AccumulatorTable table;
    if (biasWordBits) {
        // Valid formats put the bias fractional length in [min, max] and the product's, a sum of
        // two, in [2 min, 2 max].
        table.lowestDifference = FixedFormat::kMinFractionalLength - 2 * FixedFormat::kMaxFractionalLength;
        const int highestDifference = FixedFormat::kMaxFractionalLength - 2 * FixedFormat::kMinFractionalLength;
        table.count = highestDifference - table.lowestDifference + 1;
    }

    bool shifted = false;
    bool wide = false;
    for (int entry = 0; entry < table.count; ++entry) {
        // Plans depend only on differences, so the products are put at fractional length 0.
        const std::optional<FixedFormat> bias =
            biasWordBits ? std::optional(FixedFormat{*biasWordBits, table.lowestDifference + entry}) : std::nullopt;
        const AccumulatorPlan plan = planAccumulator(aWordBits, 0, bWordBits, 0, terms, bias);
        table.entries.insert(table.entries.end(),
                             {plan.productShift, plan.sumShift, plan.biasShift, plan.resultFractionalLength});
        shifted = shifted || plan.productShift > 0;
        wide = wide || plan.wide;
    }

    // The largest product magnitude is 2^(a - 1 + b - 1), reached by two most negative codes.
    // A plan that is not wide proves that every partial sum fits int32.
    if (shifted)
        table.accumulator = kSumOfShiftedProducts;
    else if (!wide)
        table.accumulator = kSumInInt32;
    else if (aWordBits - 1 + bWordBits - 1 > 30)
        table.accumulator = kSumOfInt64Products;
    else
        table.accumulator = kSumOfInt32Products;
    return table;
}

} // namespace fxlab
