// A cheap fingerprint of a run's metrics rows, for views that redraw only when the rows changed.
// Size and last step alone would miss a switch to another run paused at the same step.
#pragma once

#include "train/metrics.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fxlab::gui {

struct RowsSignature {
    size_t count = 0;
    uint32_t lastStep = 0;
    double firstLoss = 0;
    double lastLoss = 0;

    static RowsSignature of(const std::vector<MetricsRow>& rows)
    {
        if (rows.empty())
            return {};
        return {rows.size(), rows.back().step, rows.front().trainLoss, rows.back().trainLoss};
    }
    bool operator==(const RowsSignature&) const = default;
};

} // namespace fxlab::gui
