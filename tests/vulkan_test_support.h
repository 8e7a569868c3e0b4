// Helpers shared by the Vulkan backend tests. The harness runs one Vulkan layer on tensors that
// the test gives it, so a test can drive a CPU layer and its Vulkan twin with the same inputs.
#pragma once

#include "backend/backend.h"
#include "backend/cpu/cpu_layer.h"
#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_kernels.h"
#include "backend/vulkan/vulkan_layer.h"
#include "backend/vulkan/vulkan_runtime.h"
#include "backend/vulkan/vulkan_softmax_layer.h"
#include "backend/vulkan/vulkan_step.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <bit>
#include <cstring>
#include <type_traits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fxlab::testing {

inline QString joinValidationMessages(const ValidationMessageLog::Snapshot& messages)
{
    QString text = QString("%1 validation errors and %2 warnings:").arg(messages.errors).arg(messages.warnings);
    for (const std::string& message : messages.messages)
        text += "\n" + QString::fromStdString(message);
    return text;
}

// Comparisons of CPU and device results. Each returns an empty string when the bits match, else
// the first difference.

inline QString floatText(float value)
{
    return QString("%1 (bits 0x%2)").arg(double(value), 0, 'g', 9).arg(std::bit_cast<uint32_t>(value), 8, 16, QChar('0'));
}

inline QString compareTensors(const QString& what, const Tensor& cpu, const Tensor& device)
{
    if (cpu.isFixed != device.isFixed || cpu.size() != device.size())
        return QString("%1: the CPU tensor is %2 with %3 elements, the device tensor %4 with %5")
            .arg(what, cpu.isFixed ? "fixed" : "float")
            .arg(cpu.size())
            .arg(device.isFixed ? "fixed" : "float")
            .arg(device.size());
    if (cpu.isFixed) {
        if (cpu.fractionalLength != device.fractionalLength || cpu.wordBits != device.wordBits)
            return QString("%1: format %2-bit fl %3 on the CPU, %4-bit fl %5 on the device")
                .arg(what)
                .arg(cpu.wordBits)
                .arg(cpu.fractionalLength)
                .arg(device.wordBits)
                .arg(device.fractionalLength);
        for (size_t i = 0; i < cpu.size(); ++i)
            if (cpu.codes[i] != device.codes[i])
                return QString("%1: element %2: code %3 on the CPU, %4 on the device")
                    .arg(what)
                    .arg(i)
                    .arg(cpu.codes[i])
                    .arg(device.codes[i]);
    } else {
        for (size_t i = 0; i < cpu.size(); ++i)
            if (std::bit_cast<uint32_t>(cpu.values[i]) != std::bit_cast<uint32_t>(device.values[i]))
                return QString("%1: element %2: %3 on the CPU, %4 on the device")
                    .arg(what)
                    .arg(i)
                    .arg(floatText(cpu.values[i]), floatText(device.values[i]));
    }
    if (cpu.saturated != device.saturated)
        return what + ": the saturation flags differ";
    return {};
}

inline QString compareEvents(const QString& what, const QuantEvents& cpu, const QuantEvents& device)
{
    if (cpu == device)
        return {};
    return QString("%1 events: CPU %2 elements, %3 saturated, %4 underflowed, %5 NaN; device %6, %7, %8, %9")
        .arg(what)
        .arg(cpu.elements)
        .arg(cpu.saturated)
        .arg(cpu.underflowed)
        .arg(cpu.notANumber)
        .arg(device.elements)
        .arg(device.saturated)
        .arg(device.underflowed)
        .arg(device.notANumber);
}

template <typename T>
QString compareVectors(const QString& what, const std::vector<T>& cpu, const std::vector<T>& device)
{
    if (cpu.size() != device.size())
        return QString("%1: %2 values on the CPU, %3 on the device").arg(what).arg(cpu.size()).arg(device.size());
    for (size_t i = 0; i < cpu.size(); ++i) {
        if constexpr (std::is_same_v<T, float>) {
            if (std::bit_cast<uint32_t>(cpu[i]) != std::bit_cast<uint32_t>(device[i]))
                return QString("%1[%2]: %3 on the CPU, %4 on the device").arg(what).arg(i).arg(floatText(cpu[i]), floatText(device[i]));
        } else if (cpu[i] != device[i]) {
            return QString("%1[%2]: %3 on the CPU, %4 on the device").arg(what).arg(i).arg(cpu[i]).arg(device[i]);
        }
    }
    return {};
}

inline QString compareStates(const LayerState& cpu, const LayerState& device)
{
    for (TensorKind kind : kAllTensorKinds)
        if (cpu.fractionalLengths[size_t(kind)] != device.fractionalLengths[size_t(kind)])
            return QString("fractional length of %1: %2 on the CPU, %3 on the device")
                .arg(QString::fromUtf8(toString(kind).data()))
                .arg(cpu.fractionalLengths[size_t(kind)])
                .arg(device.fractionalLengths[size_t(kind)]);
    for (const QString& mismatch : {compareVectors("weights", cpu.weights, device.weights),
                                    compareVectors("biases", cpu.biases, device.biases),
                                    compareVectors("weight velocity", cpu.weightVelocity, device.weightVelocity),
                                    compareVectors("bias velocity", cpu.biasVelocity, device.biasVelocity),
                                    compareVectors("weight codes", cpu.weightCodes, device.weightCodes),
                                    compareVectors("bias codes", cpu.biasCodes, device.biasCodes)})
        if (!mismatch.isEmpty())
            return mismatch;
    return {};
}

inline QString compareModelStates(const ModelState& cpu, const ModelState& device)
{
    if (cpu.inputFractionalLength != device.inputFractionalLength)
        return QString("input fractional length: %1 on the CPU, %2 on the device")
            .arg(cpu.inputFractionalLength)
            .arg(device.inputFractionalLength);
    if (cpu.layers.size() != device.layers.size())
        return QString("%1 layers on the CPU, %2 on the device").arg(cpu.layers.size()).arg(device.layers.size());
    for (size_t i = 0; i < cpu.layers.size(); ++i)
        if (QString mismatch = compareStates(cpu.layers[i], device.layers[i]); !mismatch.isEmpty())
            return QString("layer %1: %2").arg(i).arg(mismatch);
    return {};
}

// Sets an environment variable for the lifetime of the object, then restores it.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const QByteArray& value)
        : name_(name), wasSet_(qEnvironmentVariableIsSet(name)), previous_(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnvironment()
    {
        if (wasSet_)
            qputenv(name_, previous_);
        else
            qunsetenv(name_);
    }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    const char* name_;
    bool wasSet_;
    QByteArray previous_;
};

// How a tensor next to the layer is represented: codes of `wordBits` bits, or floats.
struct TensorKindOnDevice {
    bool isFixed = true;
    int wordBits = 8;
};

// One Vulkan layer at index 0 with the tensors around it. The input (and, for backward, the
// error arriving at the output) come from CPU tensors; results come back as CPU tensors.
class VulkanLayerHarness {
public:
    VulkanLayerHarness(VulkanKernels& kernels, const LayerSpec& spec, Shape input, Shape output,
                       const LayerPrecision& precision, TensorKindOnDevice inputKind, TensorKindOnDevice gradientKind,
                       bool sendsError, int batch, bool fixedPointMasterWeights = false)
        : runtime_(kernels), step_(kernels.context()), batch_(batch), sendsError_(sendsError)
    {
        input_ = tensorOf(input, inputKind, runtime_.addFormatSlot());
        gradientOutput_ = tensorOf(output, gradientKind, runtime_.addFormatSlot());
        layer_ = makeVulkanLayer(runtime_, spec, 0, input, output, precision, fixedPointMasterWeights);
        isLoss_ = spec.type == LayerType::SoftmaxCrossEntropy;
        output_ = tensorOf(output, {!precision[size_t(TensorKind::Activations)].isFloat,
                                    precision[size_t(TensorKind::Activations)].spec.format.wordBits},
                           layer_->formatSlot(TensorKind::Activations));
        gradientInput_ = tensorOf(input, {!precision[size_t(TensorKind::ActivationGradients)].isFloat,
                                          precision[size_t(TensorKind::ActivationGradients)].spec.format.wordBits},
                                  layer_->formatSlot(TensorKind::ActivationGradients));
        runtime_.allocate();

        allocateTensor(runtime_, input_, batch, false);
        allocateTensor(runtime_, gradientOutput_, batch, false);
        allocateTensor(runtime_, output_, batch, output_.isFixed);
        allocateTensor(runtime_, gradientInput_, batch, false);
        runtime_.reserveScratch(layer_->scratchSizes(batch));

        const VulkanContext& context = kernels.context();
        const auto hostBuffer = [&](size_t bytes) {
            return VulkanBuffer(context, bytes, VulkanRuntime::kUsage, MemoryLocation::HostVisible);
        };
        labels_.emplace(hostBuffer(size_t(batch) * 4));
        losses_.emplace(hostBuffer(size_t(batch) * 4));
        predictions_.emplace(hostBuffer(size_t(batch) * 4));
        if (auto* loss = dynamic_cast<VulkanSoftmaxLayer*>(layer_.get()))
            loss->setLossBuffers(*labels_, *losses_, *predictions_);

        LayerBinding binding;
        binding.input = &input_;
        binding.output = isLoss_ ? nullptr : &output_;
        binding.gradientOutput = isLoss_ ? nullptr : &gradientOutput_;
        binding.gradientInput = sendsError ? &gradientInput_ : nullptr;
        layer_->bind(binding);
    }

    VulkanLayer& layer() { return *layer_; }
    VulkanRuntime& runtime() { return runtime_; }

    void loadState(const LayerState& state) { layer_->loadState(state); }

    void setInput(const Tensor& tensor) { upload(tensor, input_); }
    void setGradientOutput(const Tensor& tensor) { upload(tensor, gradientOutput_); }
    void setLabels(const std::vector<uint8_t>& labels)
    {
        for (size_t i = 0; i < labels.size(); ++i)
            labels_->hostSpan<uint32_t>()[i] = labels[i];
    }

    // Runs the forward pass and returns the output, with the saturation flags of fixed-point activations.
    Tensor forward(const VulkanPass& pass)
    {
        beginPass();
        layer_->recordForward(step_, pass);
        step_.submitAndWait();
        return download(output_, true);
    }

    // The softmax loss layer: per-sample losses, predictions, and with `withError` the error.
    struct LossResult {
        std::vector<float> losses;
        std::vector<uint32_t> predictions;
        Tensor error;
    };
    LossResult loss(const VulkanPass& pass, bool withError)
    {
        beginPass();
        static_cast<VulkanSoftmaxLayer&>(*layer_).recordLoss(step_, pass, withError);
        step_.submitAndWait();
        LossResult result;
        const auto losses = losses_->hostSpan<const float>();
        const auto predictions = predictions_->hostSpan<const uint32_t>();
        result.losses.assign(losses.begin(), losses.begin() + batch_);
        result.predictions.assign(predictions.begin(), predictions.begin() + batch_);
        if (withError)
            result.error = download(gradientInput_, false);
        return result;
    }

    // Runs the backward pass; returns the error sent to the input when the layer sends one.
    std::optional<Tensor> backward(const VulkanPass& pass)
    {
        beginPass();
        layer_->recordBackward(step_, pass);
        step_.submitAndWait();
        if (!sendsError_)
            return std::nullopt;
        return download(gradientInput_, false);
    }

    void update(const StepControl& control, const VulkanPass& pass)
    {
        beginPass();
        layer_->recordUpdate(step_, control, pass);
        step_.submitAndWait();
    }

    // The events counted since the latest beginPass(), for one random tensor of the layer.
    QuantEvents events(RandomTensor tensor)
    {
        const std::vector<uint32_t> words = runtime_.transfer().downloadVector<uint32_t>(
            runtime_.counters(), size_t(runtime_.eventSlotCount()) * VulkanRuntime::kEventSlotWords);
        return VulkanRuntime::eventsOf(words, layer_->eventSlot(tensor));
    }

    // The layer's state read back with separate transfers.
    LayerState state()
    {
        const std::vector<int32_t> formats = runtime_.downloadFormats();
        std::vector<std::vector<std::byte>> storage;
        for (const CheckpointRegion& region : layer_->checkpointRegions()) {
            storage.emplace_back(size_t(region.bytes));
            runtime_.transfer().download(*region.buffer, 0, storage.back());
        }
        std::vector<std::span<const std::byte>> regions(storage.begin(), storage.end());
        return layer_->saveState(regions, formats);
    }

    int format(int slot) { return runtime_.downloadFormats().at(size_t(slot)); }

private:
    static DeviceTensor tensorOf(Shape shape, TensorKindOnDevice kind, int slot)
    {
        DeviceTensor tensor;
        tensor.shape = shape;
        tensor.isFixed = kind.isFixed;
        tensor.wordBits = kind.isFixed ? kind.wordBits : 32;
        tensor.formatSlot = slot;
        return tensor;
    }

    // Every pass starts with zeroed event counters, as the backend's steps do.
    void beginPass() { step_.fill(runtime_.counters(), 0); }

    void upload(const Tensor& tensor, DeviceTensor& target)
    {
        std::vector<uint32_t> words(tensor.size());
        for (size_t i = 0; i < words.size(); ++i)
            words[i] = tensor.isFixed ? uint32_t(tensor.codes[i]) : std::bit_cast<uint32_t>(tensor.values[i]);
        runtime_.transfer().uploadSpan(std::span<const uint32_t>(words), target.buffer());
        if (tensor.isFixed)
            runtime_.setFormat(target.formatSlot, tensor.fractionalLength);
    }

    Tensor download(const DeviceTensor& source, bool withFlags)
    {
        const size_t count = size_t(batch_) * source.sampleSize();
        const std::vector<uint32_t> words = runtime_.transfer().downloadVector<uint32_t>(source.buffer(), count);
        Tensor tensor;
        if (source.isFixed) {
            tensor.resizeFixed(batch_, source.shape, {source.wordBits, format(source.formatSlot)});
            for (size_t i = 0; i < count; ++i)
                tensor.codes[i] = int32_t(words[i]);
            if (withFlags && source.flags) {
                const std::vector<uint32_t> flags = runtime_.transfer().downloadVector<uint32_t>(*source.flags, count);
                tensor.saturated.resize(count);
                for (size_t i = 0; i < count; ++i)
                    tensor.saturated[i] = (flags[i] & (kSaturatedHigh | kSaturatedLow)) != 0;
            }
        } else {
            tensor.resizeFloat(batch_, source.shape);
            for (size_t i = 0; i < count; ++i)
                tensor.values[i] = std::bit_cast<float>(words[i]);
        }
        return tensor;
    }

    VulkanRuntime runtime_;
    VulkanStep step_;
    int batch_;
    bool sendsError_;
    bool isLoss_ = false;
    std::unique_ptr<VulkanLayer> layer_;
    DeviceTensor input_;
    DeviceTensor gradientOutput_;
    DeviceTensor output_;
    DeviceTensor gradientInput_;
    std::optional<VulkanBuffer> labels_;
    std::optional<VulkanBuffer> losses_;
    std::optional<VulkanBuffer> predictions_;
};

} // namespace fxlab::testing
