// The precision plan: for every layer and tensor kind, float or a fixed-point format with its
// rounding and overflow modes and the policy that picks the fractional length.
#pragma once

#include "model/network.h"
#include "numeric/fixed_format.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fxlab {

// The tensors of a layer that can each have their own precision. Activations are the layer's
// output; activation gradients are the error it sends down to its input. Bias gradients share the
// weight-gradient precision.
enum class TensorKind { Weights, Biases, Activations, ActivationGradients, WeightGradients };
constexpr int kTensorKindCount = 5;
constexpr std::array<TensorKind, kTensorKindCount> kAllTensorKinds{
    TensorKind::Weights, TensorKind::Biases, TensorKind::Activations, TensorKind::ActivationGradients,
    TensorKind::WeightGradients};

std::string_view toString(TensorKind kind);
std::optional<TensorKind> parseTensorKind(std::string_view name);

// Whether a layer of this type has a tensor of this kind at all.
bool hasTensor(const LayerSpec& layer, TensorKind kind);
// The same for the layer at `index` of `network`: the first layer also has no activation
// gradients, because nothing below it takes an error.
bool hasTensor(const NetworkSpec& network, size_t index, TensorKind kind);

// How a fixed-point tensor's fractional length is chosen.
enum class FractionalLengthPolicy {
    Manual,          // the format's own fractional length, never changed
    MaxAbs,          // the largest that still represents max |x| without overflow
    GaussianSqnr,    // the step that minimises the mean squared error for a Gaussian of the data's sigma
    LaplacianSqnr,   // the same for a Laplacian
};

std::string_view toString(FractionalLengthPolicy policy);
std::optional<FractionalLengthPolicy> parseFractionalLengthPolicy(std::string_view name);
std::string fractionalLengthPolicyNames();

struct TensorPrecision {
    bool isFloat = true;
    // Used when fixed point. With a data-driven policy, format.fractionalLength is the starting
    // value until the policy first chooses.
    FixedPointSpec spec;
    FractionalLengthPolicy policy = FractionalLengthPolicy::Manual;
    // 0: the policy chooses once, at the first step; N: again every N steps.
    int policyInterval = 0;

    static TensorPrecision floatingPoint() { return {}; }
    static TensorPrecision fixed(int wordBits, int fractionalLength,
                                 RoundingMode rounding = RoundingMode::NearestEven,
                                 OverflowMode overflow = OverflowMode::Saturate,
                                 FractionalLengthPolicy policy = FractionalLengthPolicy::Manual,
                                 int policyInterval = 0);

    // Whether the policy must choose the fractional length at `step`.
    bool policyDue(uint32_t step) const;
    // Empty when valid, otherwise what is wrong and what would be valid.
    std::optional<std::string> validationError() const;
    // "float" or e.g. "8-bit fl 4 nearest-even saturate max-abs/100".
    std::string describe() const;

    bool operator==(const TensorPrecision&) const = default;
};

using LayerPrecision = std::array<TensorPrecision, kTensorKindCount>;

struct PrecisionPlan {
    TensorPrecision input;             // how the data enters the first layer
    std::vector<LayerPrecision> layers;  // one per layer of the network

    TensorPrecision& at(size_t layer, TensorKind kind) { return layers.at(layer)[size_t(kind)]; }
    const TensorPrecision& at(size_t layer, TensorKind kind) const { return layers.at(layer)[size_t(kind)]; }
    // True when every tensor is float.
    bool allFloat() const;
    bool operator==(const PrecisionPlan&) const = default;
};

// Empty when every entry is valid and the plan has one entry per layer; otherwise names the first
// invalid entry by layer name and tensor kind.
std::optional<std::string> validatePlan(const PrecisionPlan& plan, const NetworkSpec& network);

// The largest fractional length, within the format's limits, at which max |x| = maxMagnitude *
// 2^-sourceFractionalLength is still representable in `wordBits`; empty for an all-zero tensor.
std::optional<int> maxAbsFractionalLength(uint64_t maxMagnitude, int sourceFractionalLength, int wordBits);

// The power-of-two step closest (in log2) to the MSE-optimal uniform step for a Gaussian or
// Laplacian input of standard deviation `sigma`; empty when sigma is zero or not finite.
std::optional<int> sqnrFractionalLength(double sigma, int wordBits, FractionalLengthPolicy distribution);

// The MSE-optimal step for unit variance and `wordBits` bits (Lin, Talathi and Annapureddy 2016,
// after Shi and Sun); above 8 bits it is extrapolated with the ratio of the 8- and 7-bit steps.
double optimalUnitStep(int wordBits, FractionalLengthPolicy distribution);

} // namespace fxlab
