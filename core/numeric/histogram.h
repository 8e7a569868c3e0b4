// Histograms of a tensor: by code for fixed-point tensors, by value for float tensors.
#pragma once

#include "numeric/fixed_format.h"
#include "numeric/quantizer.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fxlab {

// One bin per code when the format has at most 256 codes. Wider formats merge 2^binShift adjacent
// codes per bin, always a power of two, so every bin covers the same number of codes and no spike
// is spread over its neighbours.
struct CodeHistogram {
    static constexpr int kMaxBins = 256;

    FixedFormat format;
    int binShift = 0;
    std::vector<uint64_t> counts;  // bin i covers codes [minCode + i * 2^binShift, minCode + (i + 1) * 2^binShift)
    uint64_t saturatedHigh = 0;    // elements clamped to the top or wrapped from above
    uint64_t saturatedLow = 0;
    uint64_t underflowed = 0;      // nonzero values that became code 0
    uint64_t notANumber = 0;

    static int binShiftFor(int wordBits) { return wordBits > 8 ? wordBits - 8 : 0; }
    static CodeHistogram empty(const FixedFormat& format);

    size_t binOf(int32_t code) const { return size_t((int64_t(code) - format.minCode()) >> binShift); }
    int64_t firstCodeOf(size_t bin) const { return format.minCode() + (int64_t(bin) << binShift); }
    int64_t lastCodeOf(size_t bin) const { return firstCodeOf(bin) + (int64_t{1} << binShift) - 1; }
    uint64_t total() const;

    // Codes outside the format cannot come from the quantizer; if one arrives anyway it is counted
    // in the nearest end bin instead of writing outside the histogram.
    void add(int32_t code)
    {
        const int64_t clamped = std::clamp<int64_t>(code, format.minCode(), format.maxCode());
        ++counts[binOf(int32_t(clamped))];
    }
    void addFlags(uint32_t flags);
};

CodeHistogram histogramOfCodes(const int32_t* codes, size_t count, const FixedFormat& format);

// A histogram of float values over [minimum, maximum] in equal bins; non-finite values are counted
// apart and not binned.
struct ValueHistogram {
    static constexpr int kDefaultBins = 64;

    double minimum = 0;
    double maximum = 0;
    std::vector<uint64_t> counts;
    uint64_t notFinite = 0;

    double binWidth() const { return counts.empty() ? 0 : (maximum - minimum) / double(counts.size()); }
    uint64_t total() const;
};

ValueHistogram histogramOfValues(const float* values, size_t count, int bins = ValueHistogram::kDefaultBins);

} // namespace fxlab
