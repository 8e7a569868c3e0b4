// A code histogram split into the parts the window colours apart: the count of each bin, less the
// saturated values in the end bins and the underflowed and NaN values in the bin of code 0.
#pragma once

#include "numeric/fixed_format.h"
#include "numeric/histogram.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fxlab::gui {

struct CodeBars {
    std::vector<uint64_t> inRange;  // per bin: the count less the parts below
    size_t lowestBin = 0;           // holds the lowest code the overflow mode produces
    size_t highestBin = 0;
    size_t zeroBin = 0;
    uint64_t saturatedLow = 0;   // part of lowestBin: values clamped to the lowest code
    uint64_t saturatedHigh = 0;  // part of highestBin
    uint64_t underflowed = 0;    // part of zeroBin: nonzero values that rounded to code 0
    uint64_t notANumber = 0;     // part of zeroBin: NaN inputs, stored as code 0
    // Under OverflowMode::Wrap a value outside the range wraps to some code and is counted in that
    // code's bin, which cannot be told apart; these count such values and are in no part.
    bool wraps = false;
    uint64_t wrappedHigh = 0;
    uint64_t wrappedLow = 0;

    size_t binCount() const { return inRange.size(); }
    // The whole count of `bin`, parts included: the histogram's own count.
    uint64_t total(size_t bin) const;
};

// Splits `histogram`, quantized with `overflow`. A part larger than its bin's count, which a
// consistent histogram never has, is cut to the count, so that no bar goes below zero.
CodeBars splitCodeBars(const CodeHistogram& histogram, OverflowMode overflow);

} // namespace fxlab::gui
