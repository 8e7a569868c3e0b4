// What the window draws: an immutable picture of a run, made by the worker thread at a bounded rate.
#pragma once

#include "backend/backend.h"
#include "model/experiment.h"
#include "train/metrics.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fxlab {

enum class RunState { Idle, Loading, Running, Paused, Finished, Failed };

std::string_view toString(RunState state);

struct Snapshot {
    RunState state = RunState::Idle;
    std::string message;  // what happened last, or why the run failed
    uint32_t step = 0;
    uint32_t totalSteps = 0;
    uint32_t stepsPerEpoch = 0;
    double epoch = 0;
    double samplesPerSecond = 0;
    std::string backend;
    std::string device;
    Experiment experiment;                  // the settings in force, precision included
    std::vector<MetricsRow> rows;           // the bounded history of the run
    Statistics statistics;                  // tensors of the latest step; empty before the first
    std::vector<LayerEvents> totalEvents;   // events of the whole run, per layer
    std::vector<uint32_t> precisionChanges; // steps at which the precision was changed
    std::vector<int> fractionalLengths;     // per layer and kind (layer * 5 + kind), after the latest step
};

using SnapshotPointer = std::shared_ptr<const Snapshot>;

} // namespace fxlab
