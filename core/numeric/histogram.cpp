#include "numeric/histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fxlab {

CodeHistogram CodeHistogram::empty(const FixedFormat& format)
{
    CodeHistogram histogram;
    histogram.format = format;
    histogram.binShift = binShiftFor(format.wordBits);
    histogram.counts.assign(size_t(format.codeCount() >> histogram.binShift), 0);
    return histogram;
}

uint64_t CodeHistogram::total() const
{
    return std::accumulate(counts.begin(), counts.end(), uint64_t{0});
}

void CodeHistogram::addFlags(uint32_t flags)
{
    saturatedHigh += (flags & kSaturatedHigh) != 0;
    saturatedLow += (flags & kSaturatedLow) != 0;
    underflowed += (flags & kUnderflow) != 0;
    notANumber += (flags & kNotANumber) != 0;
}

CodeHistogram histogramOfCodes(const int32_t* codes, size_t count, const FixedFormat& format)
{
    CodeHistogram histogram = CodeHistogram::empty(format);
    for (size_t i = 0; i < count; ++i)
        histogram.add(codes[i]);
    return histogram;
}

uint64_t ValueHistogram::total() const
{
    return std::accumulate(counts.begin(), counts.end(), uint64_t{0});
}

ValueHistogram histogramOfValues(const float* values, size_t count, int bins)
{
    ValueHistogram histogram;
    histogram.counts.assign(size_t(std::max(bins, 1)), 0);

    bool any = false;
    float minimum = 0, maximum = 0;
    for (size_t i = 0; i < count; ++i) {
        if (!std::isfinite(values[i]))
            continue;
        minimum = any ? std::min(minimum, values[i]) : values[i];
        maximum = any ? std::max(maximum, values[i]) : values[i];
        any = true;
    }
    // A constant tensor still gets a bin of nonzero width around its value.
    if (minimum == maximum) {
        minimum -= 0.5f;
        maximum += 0.5f;
    }
    histogram.minimum = minimum;
    histogram.maximum = maximum;

    const double scale = double(histogram.counts.size()) / (double(maximum) - double(minimum));
    for (size_t i = 0; i < count; ++i) {
        if (!std::isfinite(values[i])) {
            ++histogram.notFinite;
            continue;
        }
        const size_t bin = std::min(size_t((double(values[i]) - minimum) * scale), histogram.counts.size() - 1);
        ++histogram.counts[bin];
    }
    return histogram;
}

} // namespace fxlab
