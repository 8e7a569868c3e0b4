#include "train/metrics.h"

namespace fxlab {

void RunHistory::append(MetricsRow row)
{
    rows_.push_back(std::move(row));
    if (rows_.size() > capacity_)
        thin();
}

void RunHistory::thin()
{
    const size_t olderHalf = rows_.size() / 2;
    std::vector<MetricsRow> kept;
    kept.reserve(rows_.size());
    for (size_t i = 0; i < rows_.size(); ++i) {
        const bool dropped = i < olderHalf && i % 2 == 1 && !rows_[i].testAccuracy;
        if (!dropped)
            kept.push_back(std::move(rows_[i]));
    }
    // Evaluated rows alone could still exceed the capacity; drop the oldest of those as well.
    while (kept.size() > capacity_)
        kept.erase(kept.begin() + 1);
    rows_ = std::move(kept);
}

} // namespace fxlab
