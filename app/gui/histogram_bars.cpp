#include "histogram_bars.h"

#include <algorithm>

namespace fxlab::gui {

namespace {

// Takes up to `part` from `count` and returns what was taken.
uint64_t takePart(uint64_t& count, uint64_t part)
{
    const uint64_t taken = std::min(count, part);
    count -= taken;
    return taken;
}

} // namespace

uint64_t CodeBars::total(size_t bin) const
{
    uint64_t count = inRange.at(bin);
    if (bin == lowestBin)
        count += saturatedLow;
    if (bin == highestBin)
        count += saturatedHigh;
    if (bin == zeroBin)
        count += underflowed + notANumber;
    return count;
}

CodeBars splitCodeBars(const CodeHistogram& histogram, OverflowMode overflow)
{
    CodeBars bars;
    bars.inRange = histogram.counts;
    if (bars.inRange.empty())
        return bars;

    const FixedFormat& format = histogram.format;
    const int64_t lowestCode = overflow == OverflowMode::SymmetricSaturate ? -format.maxCode() : format.minCode();
    bars.lowestBin = histogram.binOf(int32_t(lowestCode));
    bars.highestBin = histogram.binOf(int32_t(format.maxCode()));
    bars.zeroBin = histogram.binOf(0);

    bars.wraps = overflow == OverflowMode::Wrap;
    if (bars.wraps) {
        bars.wrappedHigh = histogram.saturatedHigh;
        bars.wrappedLow = histogram.saturatedLow;
    } else {
        bars.saturatedHigh = takePart(bars.inRange[bars.highestBin], histogram.saturatedHigh);
        bars.saturatedLow = takePart(bars.inRange[bars.lowestBin], histogram.saturatedLow);
    }
    bars.underflowed = takePart(bars.inRange[bars.zeroBin], histogram.underflowed);
    bars.notANumber = takePart(bars.inRange[bars.zeroBin], histogram.notANumber);
    return bars;
}

} // namespace fxlab::gui
