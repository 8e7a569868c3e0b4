// Metrics rows and the bounded run history they are kept in.
#pragma once

#include "backend/backend.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace fxlab {

struct TimelinePoint;

// The training metrics since the previous row: mean loss and accuracy of those steps and the sum
// of their quantization events.
struct MetricsRow {
    uint32_t step = 0;   // steps completed
    double epoch = 0;    // epochs completed, fractional
    double trainLoss = 0;
    double trainAccuracy = 0;
    std::optional<double> testLoss;
    std::optional<double> testAccuracy;
    int testSamples = 0;  // samples behind testLoss and testAccuracy
    QuantEvents inputEvents;
    std::vector<LayerEvents> events;
};

// Metrics rows with a bounded memory: when full, every second row of the older half is dropped,
// so old parts of a run become coarser but never disappear. Rows with a test evaluation are kept.
class RunHistory {
public:
    explicit RunHistory(size_t capacity = 4096) : capacity_(capacity) {}

    void append(MetricsRow row);
    const std::vector<MetricsRow>& rows() const { return rows_; }
    size_t capacity() const { return capacity_; }
    void clear() { rows_.clear(); }

private:
    void thin();

    size_t capacity_;
    std::vector<MetricsRow> rows_;
};

// Points of a run's timeline with bounded memory, thinned the same way as RunHistory.
class Timeline {
public:
    explicit Timeline(size_t capacity = 200) : capacity_(capacity) {}

    void append(std::shared_ptr<const TimelinePoint> point);
    const std::vector<std::shared_ptr<const TimelinePoint>>& points() const { return points_; }
    void clear() { points_.clear(); }

private:
    size_t capacity_;
    std::vector<std::shared_ptr<const TimelinePoint>> points_;
};

} // namespace fxlab
