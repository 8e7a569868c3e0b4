#include "backend/cpu/cpu_layer.h"

#include <algorithm>

namespace fxlab {

LayerState CpuLayer::saveState() const
{
    LayerState state;
    state.fractionalLengths = fractionalLengths_;
    return state;
}

void CpuLayer::storeExact(TensorKind kind, RandomTensor tensor, const std::vector<int64_t>& sums,
                          int fractionalLength, int batch, Shape shape, Tensor& output, LayerContext& context)
{
    const TensorPrecision& precision = precisionOf(kind);
    if (precision.isFloat) {
        output.resizeFloat(batch, shape);
        exactToFloats(sums.data(), sums.size(), fractionalLength, output.values.data(), context.pool);
        return;
    }

    int& current = fractionalLengthOf(kind);
    if (context.chooseNow(kind)) {
        const ValueSummary summary = summarizeExact(sums.data(), sums.size(), fractionalLength,
                                                    precision.spec.format.wordBits, context.pool);
        current = chooseFractionalLength(precision, summary, current);
    }

    FixedPointSpec spec = precision.spec;
    spec.format.fractionalLength = current;
    output.resizeFixed(batch, shape, spec.format);
    const QuantizeTarget target{spec, streamOf(tensor, context), uint32_t(context.sampleOffset * shape.size())};
    QuantEvents events;
    uint8_t* saturated = nullptr;
    if (kind == TensorKind::Activations) {
        output.saturated.resize(output.size());
        saturated = output.saturated.data();
    }
    quantizeExact(sums.data(), sums.size(), fractionalLength, target, output.codes.data(), events, context.pool, saturated);
    if (QuantEvents* total = eventsOf(kind, context))
        *total += events;
}

void CpuLayer::storeFloat(TensorKind kind, RandomTensor tensor, std::vector<float>& values, int batch, Shape shape,
                          Tensor& output, LayerContext& context)
{
    const TensorPrecision& precision = precisionOf(kind);
    if (precision.isFloat) {
        output.resizeFloat(batch, shape);
        output.values.swap(values);
        return;
    }

    int& current = fractionalLengthOf(kind);
    if (context.chooseNow(kind)) {
        const ValueSummary summary =
            summarizeFloat(values.data(), values.size(), precision.spec.format.wordBits, context.pool);
        current = chooseFractionalLength(precision, summary, current);
    }

    FixedPointSpec spec = precision.spec;
    spec.format.fractionalLength = current;
    output.resizeFixed(batch, shape, spec.format);
    const QuantizeTarget target{spec, streamOf(tensor, context), uint32_t(context.sampleOffset * shape.size())};
    QuantEvents events;
    uint8_t* saturated = nullptr;
    if (kind == TensorKind::Activations) {
        output.saturated.resize(output.size());
        saturated = output.saturated.data();
    }
    quantizeFloat(values.data(), values.size(), target, output.codes.data(), events, context.pool, saturated);
    if (QuantEvents* total = eventsOf(kind, context))
        *total += events;
}

TensorStatistics statisticsOfCodes(const std::vector<int32_t>& codes, FixedFormat format, const QuantEvents& events)
{
    TensorStatistics statistics;
    statistics.present = true;
    statistics.isFixed = true;
    statistics.format = format;
    statistics.codes = histogramOfCodes(codes.data(), codes.size(), format);
    statistics.events = events;
    if (!codes.empty()) {
        const auto [low, high] = std::minmax_element(codes.begin(), codes.end());
        statistics.minimum = dequantize(*low, format.fractionalLength);
        statistics.maximum = dequantize(*high, format.fractionalLength);
    }
    return statistics;
}

TensorStatistics statisticsOfValues(std::span<const float> values, const QuantEvents& events)
{
    TensorStatistics statistics;
    statistics.present = true;
    statistics.values = histogramOfValues(values.data(), values.size());
    statistics.events = events;
    statistics.minimum = float(statistics.values.minimum);
    statistics.maximum = float(statistics.values.maximum);
    return statistics;
}

TensorStatistics statisticsOf(const Tensor& tensor, const QuantEvents& events)
{
    if (tensor.size() == 0)
        return {};
    if (tensor.isFixed)
        return statisticsOfCodes(tensor.codes, {tensor.wordBits, tensor.fractionalLength}, events);
    return statisticsOfValues(tensor.values, events);
}

} // namespace fxlab
