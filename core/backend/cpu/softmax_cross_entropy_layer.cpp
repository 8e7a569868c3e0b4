#include "backend/cpu/softmax_cross_entropy_layer.h"

#include "numeric/float_math.h"

#include <cmath>
#include <limits>

namespace fxlab {

SoftmaxCrossEntropyLayer::Result SoftmaxCrossEntropyLayer::evaluate(const Tensor& logits, const uint8_t* labels,
                                                                    Tensor* gradientInput, LayerContext& context)
{
    const int batch = logits.batch;
    const int classes = int(input_.size());
    const float inverseBatch = 1.0f / float(batch);

    Result result;
    result.predictions.resize(size_t(batch));
    std::vector<float> gradients(size_t(batch) * classes);
    std::vector<float> losses(static_cast<size_t>(batch));
    std::vector<float> scores(static_cast<size_t>(classes));
    std::vector<float> exponentials(static_cast<size_t>(classes));

    for (int n = 0; n < batch; ++n) {
        int best = 0;
        bool finite = true;
        for (int c = 0; c < classes; ++c) {
            scores[size_t(c)] = logits.valueAt(size_t(n) * classes + c);
            finite = finite && std::isfinite(scores[size_t(c)]);
            if (scores[size_t(c)] > scores[size_t(best)])
                best = c;
        }
        result.predictions[size_t(n)] = uint8_t(best);
        result.correct += best == labels[n];

        // A non-finite score poisons the sample: its loss and error become NaN, which the
        // trainer reports, instead of an arbitrary number.
        if (!finite) {
            losses[size_t(n)] = std::numeric_limits<float>::quiet_NaN();
            for (int c = 0; c < classes; ++c)
                gradients[size_t(n) * classes + c] = std::numeric_limits<float>::quiet_NaN();
            continue;
        }

        // Shifting by the largest score keeps every exponent at or below zero.
        const float largest = scores[size_t(best)];
        float sum = 0.0f;
        for (int c = 0; c < classes; ++c) {
            exponentials[size_t(c)] = deterministic::expNonPositive(scores[size_t(c)] - largest);
            sum += exponentials[size_t(c)];
        }
        const float inverseSum = deterministic::reciprocal(sum);
        losses[size_t(n)] = deterministic::logPositive(sum) - (scores[labels[n]] - largest);
        for (int c = 0; c < classes; ++c) {
            const float target = c == labels[n] ? 1.0f : 0.0f;
            gradients[size_t(n) * classes + c] = (exponentials[size_t(c)] * inverseSum - target) * inverseBatch;
        }
    }

    for (float loss : losses)
        result.lossSum += double(loss);
    if (gradientInput)
        storeFloat(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, gradients, batch, input_,
                   *gradientInput, context);
    return result;
}

} // namespace fxlab
