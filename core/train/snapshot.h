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

// The tensors of one step, kept so that the window can scrub back to it.
struct TimelinePoint {
    uint32_t step = 0;
    Statistics statistics;
    std::vector<int> fractionalLengths;  // per layer and kind (layer * 5 + kind)
};
using TimelinePointer = std::shared_ptr<const TimelinePoint>;

// Test images shown beside their predictions.
struct SampleImage {
    Shape shape;
    std::vector<uint8_t> pixels;
    uint8_t label = 0;
};

// The latest test evaluation: a confusion matrix and the predictions for the sample images.
struct EvaluationDetails {
    uint32_t step = 0;
    int samples = 0;                          // test samples behind the confusion matrix
    std::vector<std::string> classNames;
    std::vector<uint32_t> confusion;          // classes x classes: row = true class, column = predicted
    std::vector<uint8_t> predictions;         // one per sample image
    std::vector<uint8_t> floatPredictions;    // of the float twin, when it was evaluated at the same step
};

std::string_view toString(RunState state);

struct Snapshot {
    RunState state = RunState::Idle;
    std::string message;  // what happened last, or why the run failed
    bool deviceLost = false;  // paused because the Vulkan device was lost; only a backend switch goes on
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
    std::vector<TimelinePointer> timeline;  // thinned like the rows, oldest first
    bool floatTwin = false;                 // whether the float twin is running
    std::vector<MetricsRow> floatRows;      // the float twin's history
    std::shared_ptr<const EvaluationDetails> evaluation;
    std::shared_ptr<const std::vector<SampleImage>> sampleImages;
};

using SnapshotPointer = std::shared_ptr<const Snapshot>;

} // namespace fxlab
