// The Vulkan training backend: every kernel of a training step runs on a Vulkan device, and the
// fixed-point results are bit for bit those of the CPU reference (core/backend/cpu).
#pragma once

#include "backend/backend.h"
#include "backend/vulkan/vulkan_devices.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fxlab {

class VulkanContext;
class VulkanKernels;
class VulkanNetwork;
class VulkanStatistics;
class VulkanStep;
struct StatisticsRequest;

struct VulkanBackendOptions {
    // Enables VK_LAYER_KHRONOS_validation; FXLAB_VULKAN_VALIDATION=1 does too.
    bool validation = false;
    // The index from listVulkanDevices(); empty chooses as VulkanContextOptions does.
    std::optional<uint32_t> deviceIndex;
    // Invocations per workgroup of every kernel. No result depends on it; tests vary it.
    uint32_t workgroupSize = 64;
};

// The environment variable that injects faults for tests: FXLAB_VULKAN_FAULT=device-lost:N makes
// the N-th training step (counting from 1) fail as if the device had been lost.
constexpr const char* kFaultVariable = "FXLAB_VULKAN_FAULT";

class VulkanBackend : public Backend {
public:
    // Creates the Vulkan context. Throws VulkanUnavailableError when there is no driver or no
    // usable device, and Error when the requested device cannot run the kernels.
    explicit VulkanBackend(const VulkanBackendOptions& options = {});
    ~VulkanBackend() override;

    std::string name() const override { return "vulkan"; }
    std::string deviceName() const override;
    void configure(const Experiment& experiment, const ModelState& state) override;
    void setPrecision(const PrecisionPlan& plan) override;
    // Throws DeviceLostError when the device is lost during the step (or was lost before); the
    // parameters of the previous step stay available through state().
    StepResult trainStep(const BatchView& batch, const StepControl& control) override;
    EvaluationResult evaluate(const BatchView& batch, uint32_t step) override;
    // The state as of the end of the latest completed step, kept on the host, so it is available
    // after the device is lost.
    ModelState state() const override;
    // Statistics of the latest pass. A training step whose control requests statistics computes
    // them in its own command buffer. Otherwise the first call after the pass computes them in a
    // submission of its own (see vulkan_statistics.h). Later calls return the same statistics
    // until the next pass.
    Statistics statistics() const override;

    // Makes the training step with StepControl::step == `step` fail as if the device were lost.
    void injectDeviceLost(uint32_t step) { faultStep_ = step; }
    bool deviceLost() const { return deviceLost_; }
    const VulkanContext& context() const { return *context_; }
    const VulkanDeviceInfo& deviceInfo() const;

private:
    void checkUsable(uint32_t step) const;
    StatisticsRequest statisticsRequest() const;
    // Marks the device lost and throws DeviceLostError; `activity` completes "the Vulkan device
    // was lost ...", e.g. "during training step 5".
    [[noreturn]] void loseDevice(const std::string& activity, uint32_t step, const std::string& cause);
    // Runs `action`, turning VK_ERROR_DEVICE_LOST into loseDevice().
    template <typename Action>
    void runGuarded(const std::string& activity, uint32_t step, Action&& action);

    VulkanBackendOptions options_;
    std::unique_ptr<VulkanContext> context_;
    std::unique_ptr<VulkanKernels> kernels_;
    std::unique_ptr<VulkanStep> step_;
    std::unique_ptr<VulkanNetwork> network_;
    // Its dispatch sites are bound to the network's buffers.
    std::unique_ptr<VulkanStatistics> statistics_;

    std::optional<uint32_t> faultStep_;
    mutable bool deviceLost_ = false;  // statistics() may be the call that finds the loss
    ModelState hostState_;                   // as of the latest completed training step
    uint32_t lastStep_ = 0;
    int lastPassBatch_ = 0;                  // samples of the latest pass, training or evaluation
    int lastTrainingBatch_ = 0;              // samples of the latest training step, 0 before any
    std::vector<uint32_t> statisticsCounters_;  // the event counters that statistics report
    mutable std::optional<Statistics> lastStatistics_;
};

} // namespace fxlab
