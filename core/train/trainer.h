// The training loop: batches from the data set, one backend step each, the fractional-length
// schedule, test evaluation and the metrics rows.
#pragma once

#include "backend/backend.h"
#include "backend/device_lost_error.h"
#include "data/dataset.h"
#include "error.h"
#include "model/experiment.h"
#include "train/metrics.h"

#include <chrono>
#include <memory>
#include <optional>

namespace fxlab {

// Training cannot go on: the loss or a tensor became NaN or infinite. The message names the
// step, the layer and tensor, and what to try.
class TrainingError : public Error {
public:
    using Error::Error;
};

class Trainer {
public:
    // Configures `backend` with the experiment and its initial parameters (or `state`).
    Trainer(const Experiment& experiment, std::shared_ptr<const DatasetPair> data, std::unique_ptr<Backend> backend,
            const std::optional<ModelState>& state = std::nullopt);

    // Runs one training step. Returns a metrics row when one is due (every logEvery steps, at an
    // evaluation and at the last step). Throws TrainingError when values stop being finite.
    std::optional<MetricsRow> step();
    // Loss and accuracy on the whole test set with the current parameters.
    struct Evaluation {
        uint32_t step = 0;
        double loss = 0;
        double accuracy = 0;
        std::vector<uint8_t> predictions;  // of the first `predictions.size()` test samples
    };
    // `samples` 0 evaluates the whole test set, otherwise its first `samples` samples.
    Evaluation evaluateTest(int samples = 0);
    const std::optional<Evaluation>& lastEvaluation() const { return lastEvaluation_; }

    // Tells the backend that the caller will read the statistics of the next step, so that it
    // may compute them with the step (the Vulkan backend does). Reading them works without this.
    void requestStatistics() { statisticsRequested_ = true; }
    // Requests the statistics of every step that logs a row, for a caller that records them.
    void setStatisticsAtRows(bool enabled) { statisticsAtRows_ = enabled; }

    // Switches precision; tensors whose settings changed choose their fractional length at the next step.
    void setPrecision(const PrecisionPlan& plan);

    // Continues the run on `backend`, configured with the current backend's state. After the
    // current backend lost its device (DeviceLostError), its state() still returns the parameters
    // of the last completed step. The next step() continues at the same step.
    void replaceBackend(std::unique_ptr<Backend> backend);
    // "the Vulkan device was lost ...; the run is paused at step N with its parameters kept", for
    // a DeviceLostError that step() or evaluateTest() threw.
    std::string describePause(const DeviceLostError& error) const;

    bool finished() const { return step_ >= totalSteps_; }
    uint32_t stepsDone() const { return step_; }
    uint32_t totalSteps() const { return totalSteps_; }
    uint32_t stepsPerEpoch() const { return stepsPerEpoch_; }
    double epoch() const { return double(step_) / double(stepsPerEpoch_); }
    // Training samples per second over all steps so far, evaluation excluded.
    double samplesPerSecond() const;
    const Experiment& experiment() const { return experiment_; }
    const RunHistory& history() const { return history_; }
    Backend& backend() { return *backend_; }
    const Backend& backend() const { return *backend_; }
    const DatasetPair& data() const { return *data_; }
    // Events summed over the whole run, per layer.
    const std::vector<LayerEvents>& totalEvents() const { return totalEvents_; }
    std::optional<double> lastTestAccuracy() const { return lastTestAccuracy_; }
    std::optional<double> lastTrainLoss() const { return lastTrainLoss_; }

private:
    void fillBatch(uint32_t step);
    FormatUpdates formatUpdatesFor(uint32_t step);
    // 0: no evaluation; -1: the whole test set; otherwise that many samples.
    int evaluationDue(uint32_t completedSteps) const;
    void checkFinite(const StepResult& result) const;

    Experiment experiment_;
    std::shared_ptr<const DatasetPair> data_;
    std::unique_ptr<Backend> backend_;
    uint32_t step_ = 0;
    bool statisticsRequested_ = false;
    bool statisticsAtRows_ = false;
    uint32_t stepsPerEpoch_ = 1;
    uint32_t totalSteps_ = 0;
    std::vector<float> batchImages_;
    std::vector<uint8_t> batchLabels_;
    std::vector<uint32_t> order_;
    uint32_t orderEpoch_ = UINT32_MAX;
    std::optional<PrecisionPlan> changedFrom_;

    // The metrics row being accumulated.
    MetricsRow pending_;
    int pendingSteps_ = 0;
    int pendingSamples_ = 0;
    double pendingLoss_ = 0;
    int pendingCorrect_ = 0;

    RunHistory history_;
    std::vector<LayerEvents> totalEvents_;
    std::chrono::steady_clock::duration trainingTime_{};
    uint64_t samplesTrained_ = 0;
    std::optional<double> lastTestAccuracy_;
    std::optional<Evaluation> lastEvaluation_;
    std::optional<double> lastTrainLoss_;
};

} // namespace fxlab
