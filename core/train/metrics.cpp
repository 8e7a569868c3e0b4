#include "train/metrics.h"

#include "train/snapshot.h"

namespace fxlab {

void RunHistory::append(MetricsRow row)
{
    rows_.push_back(std::move(row));
    if (rows_.size() > capacity_)
        thin();
}

void Timeline::append(std::shared_ptr<const TimelinePoint> point)
{
    points_.push_back(std::move(point));
    if (points_.size() <= capacity_)
        return;
    const size_t olderHalf = points_.size() / 2;
    std::vector<std::shared_ptr<const TimelinePoint>> kept;
    kept.reserve(points_.size());
    for (size_t i = 0; i < points_.size(); ++i)
        if (i >= olderHalf || i % 2 == 0)
            kept.push_back(std::move(points_[i]));
    points_ = std::move(kept);
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
