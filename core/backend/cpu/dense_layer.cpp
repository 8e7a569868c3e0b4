#include "backend/cpu/dense_layer.h"

#include "backend/accumulator_plan.h"
#include "backend/cpu/matrix_loops.h"

namespace fxlab {

DenseLayer::DenseLayer(const LayerSpec& spec, uint32_t index, Shape input, Shape output,
                       const LayerPrecision& precision, bool fixedPointMasterWeights)
    : WeightedLayer(spec, index, input, output, precision, fixedPointMasterWeights)
{
}

void DenseLayer::forward(const Tensor& input, Tensor& output, LayerContext& context)
{
    prepareParameters(context);
    const int batch = input.batch;
    const int inputs = int(input_.size()), units = int(output_.size());

    // output (batch x units) = input (batch x inputs) * weight^T (inputs x units); threads split samples.
    if (input.isFixed && weightsFixed() && biasesFixed()) {
        const std::optional<FixedFormat> bias = spec_.bias ? std::optional(biasFormat()) : std::nullopt;
        const FixedFormat weights = weightFormat();
        const AccumulatorPlan plan = planAccumulator(input.wordBits, input.fractionalLength, weights.wordBits,
                                                     weights.fractionalLength, inputs, bias);
        std::vector<int32_t> transposed(weight_.codes.size());
        transpose(weight_.codes.data(), transposed.data(), units, inputs);
        std::vector<int64_t> sums(size_t(batch) * units, 0);
        context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
            multiplyAdd(input.codes.data() + first * inputs, transposed.data(), sums.data() + first * units,
                        int(last - first), inputs, units, plan);
            for (size_t n = first; n < last; ++n)
                for (int j = 0; j < units; ++j)
                    sums[n * units + j] = finishSum(sums[n * units + j], biasCode(size_t(j)), plan);
        });
        storeExact(TensorKind::Activations, RandomTensor::Activations, sums, plan.resultFractionalLength, batch,
                   output_, output, context);
        return;
    }

    const std::vector<float> values = input.toFloat();
    std::vector<float> transposed(weight_.values.size());
    transpose(weight_.values.data(), transposed.data(), units, inputs);
    std::vector<float> sums(size_t(batch) * units, 0.0f);
    context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
        multiplyAdd(values.data() + first * inputs, transposed.data(), sums.data() + first * units,
                    int(last - first), inputs, units);
        for (size_t n = first; n < last; ++n)
            for (int j = 0; j < units; ++j)
                sums[n * units + j] += biasValue(size_t(j));
    });
    storeFloat(TensorKind::Activations, RandomTensor::Activations, sums, batch, output_, output, context);
}

void DenseLayer::backward(const Tensor& input, const Tensor&, const Tensor& gradientOutput, Tensor* gradientInput,
                          LayerContext& context)
{
    backwardWeights(input, gradientOutput, context);
    if (gradientInput)
        backwardInput(gradientOutput, *gradientInput, context);
}

void DenseLayer::backwardWeights(const Tensor& input, const Tensor& gradientOutput, LayerContext& context)
{
    const int batch = input.batch;
    const int inputs = int(input_.size()), units = int(output_.size());

    // weight gradient (units x inputs) = gradient^T (units x batch) * input (batch x inputs).
    if (input.isFixed && gradientOutput.isFixed) {
        const AccumulatorPlan plan = planAccumulator(gradientOutput.wordBits, gradientOutput.fractionalLength,
                                                     input.wordBits, input.fractionalLength, batch);
        std::vector<int32_t> transposed(gradientOutput.codes.size());
        transpose(gradientOutput.codes.data(), transposed.data(), batch, units);
        std::vector<int64_t> weightSums(size_t(units) * inputs, 0), biasSums(spec_.bias ? size_t(units) : 0, 0);
        context.pool.parallelFor(size_t(units), [&](size_t first, size_t last) {
            multiplyAdd(transposed.data() + first * batch, input.codes.data(), weightSums.data() + first * inputs,
                        int(last - first), batch, inputs, plan);
            for (size_t j = first; j < last && spec_.bias; ++j)
                for (int n = 0; n < batch; ++n)
                    biasSums[j] += transposed[j * batch + n];
        });
        storeGradientsExact(weightSums, plan.resultFractionalLength, biasSums, gradientOutput.fractionalLength,
                            context);
        return;
    }

    const std::vector<float> values = input.toFloat();
    const std::vector<float> gradients = gradientOutput.toFloat();
    std::vector<float> transposed(gradients.size());
    transpose(gradients.data(), transposed.data(), batch, units);
    std::vector<float> weightSums(size_t(units) * inputs, 0.0f), biasSums(spec_.bias ? size_t(units) : 0, 0.0f);
    context.pool.parallelFor(size_t(units), [&](size_t first, size_t last) {
        multiplyAdd(transposed.data() + first * batch, values.data(), weightSums.data() + first * inputs,
                    int(last - first), batch, inputs);
        for (size_t j = first; j < last && spec_.bias; ++j)
            for (int n = 0; n < batch; ++n)
                biasSums[j] += transposed[j * batch + n];
    });
    storeGradientsFloat(weightSums, biasSums, context);
}

void DenseLayer::backwardInput(const Tensor& gradientOutput, Tensor& gradientInput, LayerContext& context)
{
    const int batch = gradientOutput.batch;
    const int inputs = int(input_.size()), units = int(output_.size());

    // input gradient (batch x inputs) = gradient (batch x units) * weight (units x inputs).
    if (gradientOutput.isFixed && weightsFixed()) {
        const FixedFormat weights = weightFormat();
        const AccumulatorPlan plan = planAccumulator(gradientOutput.wordBits, gradientOutput.fractionalLength,
                                                     weights.wordBits, weights.fractionalLength, units);
        std::vector<int64_t> sums(size_t(batch) * inputs, 0);
        context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
            multiplyAdd(gradientOutput.codes.data() + first * units, weight_.codes.data(), sums.data() + first * inputs,
                        int(last - first), units, inputs, plan);
        });
        storeExact(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, sums,
                   plan.resultFractionalLength, batch, input_, gradientInput, context);
        return;
    }

    const std::vector<float> gradients = gradientOutput.toFloat();
    std::vector<float> sums(size_t(batch) * inputs, 0.0f);
    context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
        multiplyAdd(gradients.data() + first * units, weight_.values.data(), sums.data() + first * inputs,
                    int(last - first), units, inputs);
    });
    storeFloat(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, sums, batch, input_,
               gradientInput, context);
}

} // namespace fxlab
