// A code histogram split into the parts the window colours apart: the count of each bin, less the
// saturated values in the end bins and the underflowed and NaN values in the bin of code 0.
#pragma once

#include "numeric/fixed_format.h"
#include "numeric/histogram.h"
#include "numeric/quantizer.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fxlab::gui {

struct CodeBars {
    std::vector<uint64_t> inRange;  // per bin: the count less the parts below
    size_t lowestBin = 0;           // contains the lowest code the overflow mode produces
    size_t highestBin = 0;
    size_t zeroBin = 0;
    uint64_t saturated = 0;      // values clamped to an end code, or wrapped, in all
    uint64_t saturatedLow = 0;   // part of lowestBin: values clamped to the lowest code
    uint64_t saturatedHigh = 0;  // part of highestBin
    // Whether saturatedLow and saturatedHigh are the exact split of `saturated`. When the records
    // give only the total and both end bins hold values, each part is instead the most that bin
    // can hold, and together they exceed the total.
    bool splitKnown = true;
    uint64_t underflowed = 0;    // part of zeroBin: nonzero values that rounded to code 0
    uint64_t notANumber = 0;     // part of zeroBin: NaN inputs, stored as code 0
    // Under OverflowMode::Wrap a value outside the range wraps to some code and is counted in that
    // code's bin, among the values that belong there. `saturated` counts them, in no part.
    bool wraps = false;

    size_t binCount() const { return inRange.size(); }
    // The whole count of `bin`, parts included: the histogram's own count.
    uint64_t total(size_t bin) const;
};

// Splits `histogram`, quantized with `overflow`. The histogram's own saturation, underflow and NaN
// counts are used when it has them; otherwise `events`, the counts of the same quantization, give
// the totals. A part larger than its bin's count, which a consistent record never has, is cut to
// the count, so that no bar goes below zero.
CodeBars splitCodeBars(const CodeHistogram& histogram, const QuantEvents& events, OverflowMode overflow);

// The saturated values in words, for legends and tooltips: how many, and at which end when known.
QString saturationText(const CodeBars& bars);

} // namespace fxlab::gui
