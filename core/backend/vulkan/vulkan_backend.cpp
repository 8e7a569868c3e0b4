#include "backend/vulkan/vulkan_backend.h"

#include "backend/device_lost_error.h"
#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_error.h"
#include "backend/vulkan/vulkan_kernels.h"
#include "backend/vulkan/vulkan_log.h"
#include "backend/vulkan/vulkan_network.h"
#include "backend/vulkan/vulkan_statistics.h"
#include "backend/vulkan/vulkan_step.h"

#include <QByteArray>
#include <QtGlobal>

#include <charconv>
#include <string_view>

namespace fxlab {

namespace {

// The step index (0-based) that FXLAB_VULKAN_FAULT=device-lost:N names, if any.
std::optional<uint32_t> faultStepFromEnvironment()
{
    const QByteArray value = qgetenv(kFaultVariable);
    if (value.isEmpty())
        return std::nullopt;
    const std::string_view text(value.constData(), size_t(value.size()));
    constexpr std::string_view kPrefix = "device-lost:";
    uint32_t step = 0;
    if (text.substr(0, kPrefix.size()) == kPrefix) {
        const std::string_view number = text.substr(kPrefix.size());
        const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), step);
        if (error == std::errc() && end == number.data() + number.size() && step >= 1)
            return step - 1;
    }
    throw Error(std::string(kFaultVariable) + "=" + std::string(text)
                + " is invalid: use device-lost:N, where N is the training step (from 1) that loses the device");
}

// "during training step N", counting steps from 1 as the metrics do.
std::string trainingStepText(uint32_t step)
{
    return "during training step " + std::to_string(step + 1);
}

VulkanContextOptions contextOptions(const VulkanBackendOptions& options)
{
    VulkanContextOptions context;
    context.validation = options.validation;
    context.deviceIndex = options.deviceIndex;
    return context;
}

} // namespace

VulkanBackend::VulkanBackend(const VulkanBackendOptions& options)
    : options_(options), faultStep_(faultStepFromEnvironment())
{
    context_ = std::make_unique<VulkanContext>(contextOptions(options));
    kernels_ = std::make_unique<VulkanKernels>(*context_, options.workgroupSize);
    step_ = std::make_unique<VulkanStep>(*context_);
    statistics_ = std::make_unique<VulkanStatistics>(*kernels_);
}

VulkanBackend::~VulkanBackend() = default;

const VulkanDeviceInfo& VulkanBackend::deviceInfo() const
{
    return context_->deviceInfo();
}

std::string VulkanBackend::deviceName() const
{
    const VulkanDeviceInfo& info = context_->deviceInfo();
    return info.name + " (" + std::string(toString(info.type)) + ", Vulkan)";
}

void VulkanBackend::checkUsable(uint32_t step) const
{
    if (deviceLost_)
        throw DeviceLostError("the Vulkan device was lost earlier in this run, so the Vulkan backend cannot go on: "
                              "switch to the CPU backend",
                              step);
    if (!network_)
        throw Error("the Vulkan backend was used before configure()");
}

void VulkanBackend::loseDevice(const std::string& activity, uint32_t step, const std::string& cause)
{
    deviceLost_ = true;
    network_.reset();
    throw DeviceLostError("the Vulkan device was lost " + activity + " (" + cause + ")", step);
}

template <typename Action>
void VulkanBackend::runGuarded(const std::string& activity, uint32_t step, Action&& action)
{
    try {
        action();
    } catch (const VulkanError& error) {
        step_->discard();
        if (error.result() == VK_ERROR_DEVICE_LOST)
            loseDevice(activity, step, error.what());
        throw;
    } catch (...) {
        step_->discard();
        throw;
    }
}

void VulkanBackend::configure(const Experiment& experiment, const ModelState& state)
{
    if (deviceLost_)
        throw DeviceLostError("the Vulkan device was lost earlier, so the Vulkan backend cannot be configured again: "
                              "use the CPU backend",
                              0);
    if (auto error = validateExperiment(experiment))
        throw Error("cannot build the network: " + *error);
    network_.reset();
    // Its dispatch sites refer to the old network's buffers.
    statistics_ = std::make_unique<VulkanStatistics>(*kernels_);
    lastStatistics_.reset();
    runGuarded("while the network was built", 0,
               [&] { network_ = std::make_unique<VulkanNetwork>(*kernels_, experiment, state); });
    hostState_ = network_->stateFromReadback();
    lastStep_ = 0;
    lastPassBatch_ = 0;
    lastTrainingBatch_ = 0;
    statisticsCounters_.assign(network_->counterWords().size(), 0);
}

void VulkanBackend::setPrecision(const PrecisionPlan& plan)
{
    checkUsable(lastStep_);
    if (auto error = validatePlan(plan, network_->experiment().network))
        throw Error("invalid precision plan: " + *error);
    Experiment experiment = network_->experiment();
    experiment.precision = plan;
    const uint32_t step = lastStep_;
    // NOTE: the network is built again for the new plan, so until the next step the statistics
    // describe the parameters only. The CPU backend still shows the previous step's tensors.
    configure(experiment, stateForPlan(hostState_, plan));
    lastStep_ = step;
}

StepResult VulkanBackend::trainStep(const BatchView& batch, const StepControl& control)
{
    checkUsable(control.step);
    if (faultStep_ && *faultStep_ == control.step)
        loseDevice(trainingStepText(control.step), control.step,
                   "a simulated loss requested through " + std::string(kFaultVariable) + " or a test");

    runGuarded(trainingStepText(control.step), control.step, [&] {
        network_->upload(batch);
        network_->recordTrainingStep(*step_, control, batch.count);
        // Recorded after the step, the statistics come back with its one wait.
        if (control.statistics)
            statistics_->record(*network_, *step_, batch.count, batch.count);
        step_->submitAndWait();
    });

    StepResult result;
    result.count = batch.count;
    // The losses are added in sample order in double, as the CPU reference adds them.
    const std::span<const float> losses = network_->losses(batch.count);
    const std::vector<uint8_t> predictions = network_->predictions(batch.count);
    for (int i = 0; i < batch.count; ++i) {
        result.lossSum += double(losses[size_t(i)]);
        result.correct += predictions[size_t(i)] == batch.labels[i];
    }
    const std::span<const uint32_t> counters = network_->counterWords();
    result.events = network_->layerEvents(counters);
    result.inputEvents = network_->inputEvents(counters);

    statisticsCounters_.assign(counters.begin(), counters.end());
    hostState_ = network_->stateFromReadback();
    lastStep_ = control.step;
    lastPassBatch_ = batch.count;
    lastTrainingBatch_ = batch.count;
    lastStatistics_.reset();
    if (control.statistics)
        lastStatistics_ = statistics_->collect(*network_, statisticsRequest());
    return result;
}

EvaluationResult VulkanBackend::evaluate(const BatchView& batch, uint32_t step)
{
    checkUsable(step);
    runGuarded("during the test evaluation after step " + std::to_string(step), step, [&] {
        network_->upload(batch);
        network_->recordEvaluation(*step_, step, batch.count, batch.sampleOffset);
        step_->submitAndWait();
    });

    EvaluationResult result;
    const std::span<const float> losses = network_->losses(batch.count);
    result.predictions = network_->predictions(batch.count);
    for (int i = 0; i < batch.count; ++i) {
        result.lossSum += double(losses[size_t(i)]);
        result.correct += result.predictions[size_t(i)] == batch.labels[i];
    }

    // An evaluation quantizes the weights again, and the statistics of weights and biases report
    // that latest quantization, as on the CPU; every other tensor kind keeps the training step's.
    const std::span<const uint32_t> counters = network_->counterWords();
    for (size_t i = 0; i < network_->layerCount(); ++i)
        for (uint32_t slot : network_->layer(i).parameterEventSlots()) {
            const size_t first = VulkanRuntime::firstEventWord(slot);
            std::copy(counters.begin() + first, counters.begin() + first + VulkanRuntime::kEventSlotWords,
                      statisticsCounters_.begin() + first);
        }
    lastPassBatch_ = batch.count;
    lastStatistics_.reset();
    return result;
}

ModelState VulkanBackend::state() const
{
    return hostState_;
}

StatisticsRequest VulkanBackend::statisticsRequest() const
{
    StatisticsRequest request;
    request.step = lastStep_;
    request.passBatch = lastPassBatch_;
    request.trainingBatch = lastTrainingBatch_;
    request.counters = statisticsCounters_;
    return request;
}

Statistics VulkanBackend::statistics() const
{
    // After a lost device, or when nothing changed, the latest statistics are all there is.
    if (lastStatistics_ || deviceLost_ || !network_)
        return lastStatistics_.value_or(Statistics{});
    try {
        lastStatistics_ = statistics_->compute(*network_, *step_, statisticsRequest());
    } catch (const VulkanError& error) {
        // The window requests statistics between steps, and a failure here must not end the run.
        // The next training step reports a lost device as DeviceLostError.
        step_->discard();
        deviceLost_ = deviceLost_ || error.result() == VK_ERROR_DEVICE_LOST;
        qCWarning(lcVulkan).noquote() << "Vulkan statistics failed:" << error.what();
        return Statistics{};
    }
    return *lastStatistics_;
}

} // namespace fxlab
