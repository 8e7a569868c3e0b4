#include "backend/cpu/convolution_layer.h"
#include "backend/cpu/cpu_layer.h"
#include "backend/cpu/dense_layer.h"
#include "backend/cpu/elementwise_layers.h"
#include "backend/cpu/softmax_cross_entropy_layer.h"

namespace fxlab {

std::unique_ptr<CpuLayer> makeCpuLayer(const LayerSpec& spec, uint32_t index, Shape input, Shape output,
                                       const LayerPrecision& precision, bool fixedPointMasterWeights)
{
    switch (spec.type) {
    case LayerType::Convolution:
        return std::make_unique<ConvolutionLayer>(spec, index, input, output, precision, fixedPointMasterWeights);
    case LayerType::Dense:
        return std::make_unique<DenseLayer>(spec, index, input, output, precision, fixedPointMasterWeights);
    case LayerType::ReLU:
        return std::make_unique<ReluLayer>(spec, index, input, output, precision);
    case LayerType::MaxPool:
        return std::make_unique<MaxPoolLayer>(spec, index, input, output, precision);
    case LayerType::AveragePool:
        return std::make_unique<AveragePoolLayer>(spec, index, input, output, precision);
    case LayerType::Flatten:
        return std::make_unique<FlattenLayer>(spec, index, input, output, precision);
    case LayerType::SoftmaxCrossEntropy:
        return std::make_unique<SoftmaxCrossEntropyLayer>(spec, index, input, output, precision);
    }
    return nullptr;
}

} // namespace fxlab
