#include "histogram_bars.h"

#include <QLocale>

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

QString countText(uint64_t count)
{
    return QLocale().toString(qulonglong(count));
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

CodeBars splitCodeBars(const CodeHistogram& histogram, const QuantEvents& events, OverflowMode overflow)
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

    // The backends record the events of a quantization as totals. A histogram with counts of its
    // own also records which end each saturated value went to.
    const bool histogramCounts = histogram.saturatedHigh + histogram.saturatedLow + histogram.underflowed
                                     + histogram.notANumber
                                 > 0;
    bars.saturated = histogramCounts ? histogram.saturatedHigh + histogram.saturatedLow : events.saturated;
    const uint64_t underflowed = histogramCounts ? histogram.underflowed : events.underflowed;
    const uint64_t notANumber = histogramCounts ? histogram.notANumber : events.notANumber;

    bars.wraps = overflow == OverflowMode::Wrap;
    if (!bars.wraps) {
        uint64_t high = histogram.saturatedHigh;
        uint64_t low = histogram.saturatedLow;
        if (!histogramCounts) {
            // Saturated values sit in the end bins. The split follows from the total unless both
            // end bins hold more values than the total accounts for.
            const uint64_t highCount = bars.inRange[bars.highestBin];
            const uint64_t lowCount = bars.inRange[bars.lowestBin];
            const uint64_t fewestHigh = bars.saturated > lowCount ? bars.saturated - lowCount : 0;
            const uint64_t mostHigh = std::min(bars.saturated, highCount);
            bars.splitKnown = fewestHigh == mostHigh;
            high = mostHigh;
            low = bars.splitKnown ? bars.saturated - high : std::min(bars.saturated, lowCount);
        }
        bars.saturatedHigh = takePart(bars.inRange[bars.highestBin], high);
        bars.saturatedLow = takePart(bars.inRange[bars.lowestBin], low);
    }
    bars.underflowed = takePart(bars.inRange[bars.zeroBin], underflowed);
    bars.notANumber = takePart(bars.inRange[bars.zeroBin], notANumber);
    return bars;
}

QString saturationText(const CodeBars& bars)
{
    if (bars.wraps)
        return QString("wrapped around: %1, counted where they landed").arg(countText(bars.saturated));
    if (bars.splitKnown)
        return QString("saturated to the end codes: %1 high, %2 low")
            .arg(countText(bars.saturatedHigh), countText(bars.saturatedLow));
    return QString("saturated: %1, up to %2 at the top code and %3 at the bottom")
        .arg(countText(bars.saturated), countText(bars.saturatedHigh), countText(bars.saturatedLow));
}

} // namespace fxlab::gui
