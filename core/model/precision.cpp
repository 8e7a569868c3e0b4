#include "model/precision.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace fxlab {

namespace {

constexpr std::array<std::pair<TensorKind, std::string_view>, kTensorKindCount> kTensorKindNames{{
    {TensorKind::Weights, "weights"},
    {TensorKind::Biases, "biases"},
    {TensorKind::Activations, "activations"},
    {TensorKind::ActivationGradients, "activation-gradients"},
    {TensorKind::WeightGradients, "weight-gradients"},
}};

constexpr std::array<std::pair<FractionalLengthPolicy, std::string_view>, 4> kPolicyNames{{
    {FractionalLengthPolicy::Manual, "manual"},
    {FractionalLengthPolicy::MaxAbs, "max-abs"},
    {FractionalLengthPolicy::GaussianSqnr, "gaussian-sqnr"},
    {FractionalLengthPolicy::LaplacianSqnr, "laplacian-sqnr"},
}};

// MSE-optimal uniform quantizer steps for unit variance, 1 to 8 bits.
constexpr std::array<double, 8> kGaussianStep{1.5958, 0.9957, 0.5860, 0.3352, 0.1881, 0.1041, 0.0569, 0.0308};
constexpr std::array<double, 8> kLaplacianStep{1.4142, 1.0874, 0.7309, 0.4610, 0.2800, 0.1657, 0.0961, 0.0548};

int clampFractionalLength(int fractionalLength)
{
    return std::clamp(fractionalLength, FixedFormat::kMinFractionalLength, FixedFormat::kMaxFractionalLength);
}

} // namespace

std::string_view toString(TensorKind kind)
{
    return kTensorKindNames[size_t(kind)].second;
}

std::optional<TensorKind> parseTensorKind(std::string_view name)
{
    for (const auto& [kind, candidate] : kTensorKindNames)
        if (candidate == name)
            return kind;
    return std::nullopt;
}

bool hasTensor(const LayerSpec& layer, TensorKind kind)
{
    switch (kind) {
    case TensorKind::Weights:
    case TensorKind::WeightGradients:
        return layer.hasWeights();
    case TensorKind::Biases:
        return layer.hasWeights() && layer.bias;
    case TensorKind::Activations:
        return layer.type != LayerType::SoftmaxCrossEntropy;
    case TensorKind::ActivationGradients:
        return true;
    }
    return false;
}

bool hasTensor(const NetworkSpec& network, size_t index, TensorKind kind)
{
    if (index == 0 && kind == TensorKind::ActivationGradients)
        return false;
    return hasTensor(network.layers.at(index), kind);
}

std::string_view toString(FractionalLengthPolicy policy)
{
    return kPolicyNames[size_t(policy)].second;
}

std::optional<FractionalLengthPolicy> parseFractionalLengthPolicy(std::string_view name)
{
    for (const auto& [policy, candidate] : kPolicyNames)
        if (candidate == name)
            return policy;
    return std::nullopt;
}

std::string fractionalLengthPolicyNames()
{
    std::string names;
    for (const auto& [policy, name] : kPolicyNames) {
        if (!names.empty())
            names += ", ";
        names += name;
    }
    return names;
}

TensorPrecision TensorPrecision::fixed(int wordBits, int fractionalLength, RoundingMode rounding,
                                       OverflowMode overflow, FractionalLengthPolicy policy,
                                       int policyInterval)
{
    TensorPrecision precision;
    precision.isFloat = false;
    precision.spec = {{wordBits, fractionalLength}, rounding, overflow};
    precision.policy = policy;
    precision.policyInterval = policyInterval;
    return precision;
}

bool TensorPrecision::policyDue(uint32_t step) const
{
    if (isFloat || policy == FractionalLengthPolicy::Manual)
        return false;
    if (step == 0)
        return true;
    return policyInterval > 0 && step % uint32_t(policyInterval) == 0;
}

std::optional<std::string> TensorPrecision::validationError() const
{
    if (isFloat)
        return std::nullopt;
    if (auto error = spec.format.validationError())
        return error;
    if (policyInterval < 0)
        return "policy interval " + std::to_string(policyInterval)
            + " is negative: use 0 to choose once or N to choose every N steps";
    return std::nullopt;
}

std::string TensorPrecision::describe() const
{
    if (isFloat)
        return "float";
    std::string text = std::to_string(spec.format.wordBits) + "-bit fl " + std::to_string(spec.format.fractionalLength)
        + " " + std::string(toString(spec.rounding)) + " " + std::string(toString(spec.overflow));
    if (policy != FractionalLengthPolicy::Manual) {
        text += " " + std::string(toString(policy));
        if (policyInterval > 0)
            text += "/" + std::to_string(policyInterval);
    }
    return text;
}

bool PrecisionPlan::allFloat() const
{
    if (!input.isFloat)
        return false;
    for (const LayerPrecision& layer : layers)
        for (const TensorPrecision& precision : layer)
            if (!precision.isFloat)
                return false;
    return true;
}

std::optional<std::string> validatePlan(const PrecisionPlan& plan, const NetworkSpec& network)
{
    if (plan.layers.size() != network.layers.size())
        return "the precision plan has " + std::to_string(plan.layers.size()) + " layers but the network has "
            + std::to_string(network.layers.size());
    if (auto error = plan.input.validationError())
        return "input precision: " + *error;
    for (size_t i = 0; i < plan.layers.size(); ++i)
        for (TensorKind kind : kAllTensorKinds)
            if (auto error = plan.at(i, kind).validationError())
                return "layer " + network.layers[i].name + ", " + std::string(toString(kind)) + ": " + *error;
    return std::nullopt;
}

std::optional<int> maxAbsFractionalLength(uint64_t maxMagnitude, int sourceFractionalLength, int wordBits)
{
    if (maxMagnitude == 0)
        return std::nullopt;

    // Find the largest fl with maxMagnitude * 2^-source <= maxCode * 2^-fl, that is
    // maxMagnitude <= maxCode * 2^(source - fl). Start from the finest step and coarsen; the
    // coarsest step is the answer even when it still overflows.
    const unsigned __int128 maxCode = (uint64_t{1} << (wordBits - 1)) - 1;
    for (int fractionalLength = FixedFormat::kMaxFractionalLength;
         fractionalLength > FixedFormat::kMinFractionalLength; --fractionalLength) {
        const int scale = sourceFractionalLength - fractionalLength;
        bool fits;
        if (scale >= 0)
            fits = scale >= 64 || maxMagnitude <= (maxCode << scale);
        else
            fits = scale > -64 && maxMagnitude <= (maxCode >> -scale);
        if (fits)
            return fractionalLength;
    }
    return FixedFormat::kMinFractionalLength;
}

double optimalUnitStep(int wordBits, FractionalLengthPolicy distribution)
{
    const auto& table = distribution == FractionalLengthPolicy::LaplacianSqnr ? kLaplacianStep : kGaussianStep;
    if (wordBits <= 8)
        return table[size_t(std::max(wordBits, 1) - 1)];
    const double ratio = table[7] / table[6];
    return table[7] * std::pow(ratio, wordBits - 8);
}

std::optional<int> sqnrFractionalLength(double sigma, int wordBits, FractionalLengthPolicy distribution)
{
    if (!(sigma > 0) || !std::isfinite(sigma))
        return std::nullopt;
    const double step = optimalUnitStep(wordBits, distribution) * sigma;
    return clampFractionalLength(int(std::lround(-std::log2(step))));
}

} // namespace fxlab
