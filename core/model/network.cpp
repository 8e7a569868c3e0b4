#include "model/network.h"

#include <array>
#include <utility>

namespace fxlab {

namespace {

constexpr std::array<std::pair<LayerType, std::string_view>, 7> kLayerTypeNames{{
    {LayerType::Convolution, "convolution"},
    {LayerType::ReLU, "relu"},
    {LayerType::MaxPool, "max-pool"},
    {LayerType::AveragePool, "average-pool"},
    {LayerType::Flatten, "flatten"},
    {LayerType::Dense, "dense"},
    {LayerType::SoftmaxCrossEntropy, "softmax-cross-entropy"},
}};

LayerSpec makeLayer(LayerType type, std::string name)
{
    LayerSpec layer;
    layer.type = type;
    layer.name = std::move(name);
    return layer;
}

// Output shape of `layer` for `input`, or an error sentence.
std::pair<Shape, std::string> outputShape(const LayerSpec& layer, const Shape& input)
{
    switch (layer.type) {
    case LayerType::Convolution: {
        if (layer.filters < 1)
            return {{}, "filters must be at least 1, not " + std::to_string(layer.filters)};
        if (layer.kernel < 1)
            return {{}, "kernel size must be at least 1, not " + std::to_string(layer.kernel)};
        if (layer.stride < 1)
            return {{}, "stride must be at least 1, not " + std::to_string(layer.stride)};
        if (layer.padding < 0)
            return {{}, "padding must be 0 or more, not " + std::to_string(layer.padding)};
        const int paddedHeight = input.height + 2 * layer.padding;
        const int paddedWidth = input.width + 2 * layer.padding;
        if (layer.kernel > paddedHeight || layer.kernel > paddedWidth)
            return {{}, "kernel " + std::to_string(layer.kernel) + "x" + std::to_string(layer.kernel)
                            + " is larger than its padded input " + std::to_string(paddedHeight) + "x"
                            + std::to_string(paddedWidth) + ": use a smaller kernel or more padding"};
        return {{layer.filters, (paddedHeight - layer.kernel) / layer.stride + 1,
                 (paddedWidth - layer.kernel) / layer.stride + 1},
                {}};
    }
    case LayerType::MaxPool:
    case LayerType::AveragePool:
        if (input.height < 2 || input.width < 2)
            return {{}, "2x2 pooling needs a map of at least 2x2, but its input map is " + std::to_string(input.height)
                            + "x" + std::to_string(input.width)};
        return {{input.channels, input.height / 2, input.width / 2}, {}};
    case LayerType::ReLU:
        return {input, {}};
    case LayerType::Flatten:
        return {{int(input.size()), 1, 1}, {}};
    case LayerType::Dense:
        if (layer.units < 1)
            return {{}, "units must be at least 1, not " + std::to_string(layer.units)};
        if (input.height != 1 || input.width != 1)
            return {{}, "dense layers take a vector, but the input is " + toString(input)
                            + ": add a flatten layer before it"};
        return {{layer.units, 1, 1}, {}};
    case LayerType::SoftmaxCrossEntropy:
        if (input.height != 1 || input.width != 1)
            return {{}, "softmax cross-entropy takes a vector of class scores, but the input is "
                            + toString(input) + ": end with flatten and a dense layer"};
        return {input, {}};
    }
    return {{}, "unknown layer type"};
}

} // namespace

std::string toString(const Shape& shape)
{
    if (shape.height == 1 && shape.width == 1)
        return std::to_string(shape.channels);
    return std::to_string(shape.channels) + "x" + std::to_string(shape.height) + "x"
        + std::to_string(shape.width);
}

std::string_view toString(LayerType type)
{
    for (const auto& [candidate, name] : kLayerTypeNames)
        if (candidate == type)
            return name;
    return "unknown";
}

std::optional<LayerType> parseLayerType(std::string_view name)
{
    for (const auto& [type, candidate] : kLayerTypeNames)
        if (candidate == name)
            return type;
    return std::nullopt;
}

std::string layerTypeNames()
{
    std::string names;
    for (const auto& [type, name] : kLayerTypeNames) {
        if (!names.empty())
            names += ", ";
        names += name;
    }
    return names;
}

LayerSpec convolution(std::string name, int filters, int kernel, int stride, int padding)
{
    LayerSpec layer = makeLayer(LayerType::Convolution, std::move(name));
    layer.filters = filters;
    layer.kernel = kernel;
    layer.stride = stride;
    layer.padding = padding;
    return layer;
}

LayerSpec dense(std::string name, int units)
{
    LayerSpec layer = makeLayer(LayerType::Dense, std::move(name));
    layer.units = units;
    return layer;
}

LayerSpec relu(std::string name)
{
    return makeLayer(LayerType::ReLU, std::move(name));
}

LayerSpec maxPool(std::string name)
{
    return makeLayer(LayerType::MaxPool, std::move(name));
}

LayerSpec averagePool(std::string name)
{
    return makeLayer(LayerType::AveragePool, std::move(name));
}

LayerSpec flatten(std::string name)
{
    return makeLayer(LayerType::Flatten, std::move(name));
}

LayerSpec softmaxCrossEntropy(std::string name)
{
    return makeLayer(LayerType::SoftmaxCrossEntropy, std::move(name));
}

bool ShapeReport::valid() const
{
    if (!networkError.empty())
        return false;
    for (const std::string& error : errors)
        if (!error.empty())
            return false;
    return true;
}

std::string ShapeReport::firstError(const NetworkSpec& network) const
{
    for (size_t i = 0; i < errors.size(); ++i)
        if (!errors[i].empty())
            return "layer " + std::to_string(i + 1) + " (" + network.layers[i].name + "): " + errors[i];
    return networkError;
}

ShapeReport inferShapes(const NetworkSpec& network, int classes)
{
    ShapeReport report;
    if (network.input.size() == 0) {
        report.networkError = "the input shape " + toString(network.input) + " is empty";
        return report;
    }

    // After an error the following layers have no input shape to check against, so they get
    // no message of their own; the first error is what the user must fix.
    Shape current = network.input;
    bool broken = false;
    for (const LayerSpec& layer : network.layers) {
        if (broken) {
            report.outputs.push_back({});
            report.errors.emplace_back();
            continue;
        }
        auto [shape, error] = outputShape(layer, current);
        if (error.empty() && shape.size() == 0)
            error = "its output " + toString(shape) + " is empty";
        if (error.empty() && layer.type == LayerType::SoftmaxCrossEntropy && &layer != &network.layers.back())
            error = "softmax cross-entropy must be the last layer";
        report.outputs.push_back(shape);
        report.errors.push_back(error);
        broken = !error.empty();
        current = shape;
    }

    if (broken)
        return report;
    if (network.layers.empty() || network.layers.back().type != LayerType::SoftmaxCrossEntropy)
        report.networkError = "the network must end with a softmax-cross-entropy layer";
    else if (classes > 0 && int(current.size()) != classes)
        report.networkError = "the last layer gives " + std::to_string(current.size())
            + " class scores, but the data has " + std::to_string(classes)
            + " classes: set the last dense layer to " + std::to_string(classes) + " units";
    return report;
}

size_t weightCount(const LayerSpec& layer, const Shape& input)
{
    switch (layer.type) {
    case LayerType::Convolution:
        return size_t(layer.filters) * size_t(input.channels) * size_t(layer.kernel) * size_t(layer.kernel);
    case LayerType::Dense:
        return size_t(layer.units) * input.size();
    default:
        return 0;
    }
}

size_t biasCount(const LayerSpec& layer, const Shape&)
{
    if (!layer.bias)
        return 0;
    switch (layer.type) {
    case LayerType::Convolution:
        return size_t(layer.filters);
    case LayerType::Dense:
        return size_t(layer.units);
    default:
        return 0;
    }
}

NetworkSpec defaultNetwork()
{
    NetworkSpec network;
    network.input = {1, 28, 28};
    network.layers = {
        convolution("conv1", 8, 5), relu("relu1"), maxPool("pool1"),
        convolution("conv2", 16, 5), relu("relu2"), maxPool("pool2"),
        flatten("flatten"), dense("dense1", 64), relu("relu3"), dense("dense2", 10),
        softmaxCrossEntropy("loss"),
    };
    return network;
}

} // namespace fxlab
