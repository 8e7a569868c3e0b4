// Layer and network descriptions, with shape inference and validation.
#pragma once

#include "model/shape.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fxlab {

enum class LayerType { Convolution, ReLU, MaxPool, AveragePool, Flatten, Dense, SoftmaxCrossEntropy };

std::string_view toString(LayerType type);
std::optional<LayerType> parseLayerType(std::string_view name);
std::string layerTypeNames();

// One layer's hyperparameters. Only the fields of its type are used: convolutions use filters,
// kernel, stride, padding and bias; dense layers use units and bias; pooling uses a 2x2 window
// with stride 2.
struct LayerSpec {
    LayerType type = LayerType::ReLU;
    std::string name;
    int filters = 0;
    int kernel = 0;
    int stride = 1;
    int padding = 0;
    int units = 0;
    bool bias = true;

    bool hasWeights() const { return type == LayerType::Convolution || type == LayerType::Dense; }
    bool operator==(const LayerSpec&) const = default;
};

LayerSpec convolution(std::string name, int filters, int kernel, int stride = 1, int padding = 0);
LayerSpec dense(std::string name, int units);
LayerSpec relu(std::string name);
LayerSpec maxPool(std::string name);
LayerSpec averagePool(std::string name);
LayerSpec flatten(std::string name);
LayerSpec softmaxCrossEntropy(std::string name);

struct NetworkSpec {
    Shape input{1, 28, 28};
    std::vector<LayerSpec> layers;

    bool operator==(const NetworkSpec&) const = default;
};

// The result of shape inference: each layer's output shape and, for a layer that cannot work
// with its input, a sentence saying why and what would fit.
struct ShapeReport {
    std::vector<Shape> outputs;
    std::vector<std::string> errors;  // one per layer, empty when the layer is fine
    std::string networkError;         // problems of the whole network, empty when none

    bool valid() const;
    // The first problem found, prefixed with the layer's position and name.
    std::string firstError(const NetworkSpec& network) const;
};

// Infers every layer's output shape. A valid network ends with softmax cross-entropy over
// `classes` outputs (0 skips that check) and has no empty output anywhere.
ShapeReport inferShapes(const NetworkSpec& network, int classes = 0);

// Weight and bias counts of a layer whose input has shape `input`.
size_t weightCount(const LayerSpec& layer, const Shape& input);
size_t biasCount(const LayerSpec& layer, const Shape& input);

// The network of the PyTorch reference: conv 5x5x8, ReLU, max-pool, conv 5x5x16, ReLU, max-pool,
// flatten, dense 64, ReLU, dense 10, softmax cross-entropy, for 1x28x28 inputs.
NetworkSpec defaultNetwork();

} // namespace fxlab
