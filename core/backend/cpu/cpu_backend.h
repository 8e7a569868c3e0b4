// The CPU reference backend: the results every other backend must reproduce.
#pragma once

#include "backend/backend.h"
#include "backend/cpu/cpu_layer.h"
#include "backend/cpu/softmax_cross_entropy_layer.h"
#include "backend/cpu/thread_pool.h"

#include <memory>
#include <vector>

namespace fxlab {

class CpuBackend : public Backend {
public:
    // `threads` 0 uses every hardware thread; results are the same for any count.
    explicit CpuBackend(int threads = 0);

    std::string name() const override { return "cpu"; }
    std::string deviceName() const override;
    void configure(const Experiment& experiment, const ModelState& state) override;
    void setPrecision(const PrecisionPlan& plan) override;
    StepResult trainStep(const BatchView& batch, const StepControl& control) override;
    EvaluationResult evaluate(const BatchView& batch, uint32_t step) override;
    ModelState state() const override;
    Statistics statistics() const override;

private:
    void quantizeInput(const BatchView& batch, uint32_t step, bool chooseNow, QuantEvents* events);
    void forward(LayerContext& base, std::vector<LayerEvents>* events, const FormatUpdates* updates);
    LayerContext contextFor(size_t layer, uint32_t step, uint32_t sampleOffset);

    ThreadPool pool_;
    Experiment experiment_;
    std::vector<std::unique_ptr<CpuLayer>> layers_;
    SoftmaxCrossEntropyLayer* loss_ = nullptr;
    int inputFractionalLength_ = 0;
    uint32_t lastStep_ = 0;

    // The tensors of the latest step, kept for backward and for statistics.
    Tensor input_;
    std::vector<Tensor> activations_;  // output of layer i
    std::vector<Tensor> gradients_;    // error that layer i sends to its input
    QuantEvents inputEvents_;
    std::vector<LayerEvents> lastEvents_;
};

} // namespace fxlab
