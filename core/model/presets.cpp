#include "model/presets.h"

namespace fxlab {

namespace {

constexpr int kPolicyInterval = 100;

TensorPrecision dataDriven(int wordBits, RoundingMode rounding)
{
    return TensorPrecision::fixed(wordBits, 0, rounding, OverflowMode::Saturate, FractionalLengthPolicy::MaxAbs,
                                  kPolicyInterval);
}

// Every tensor kind of every layer gets the precision its kind maps to.
struct KindPrecisions {
    TensorPrecision input, weights, biases, activations, activationGradients, weightGradients;
};

PrecisionPlan uniformPlan(const NetworkSpec& network, const KindPrecisions& kinds)
{
    PrecisionPlan plan = floatPlan(network);
    plan.input = kinds.input;
    const std::array<const TensorPrecision*, kTensorKindCount> byKind{
        &kinds.weights, &kinds.biases, &kinds.activations, &kinds.activationGradients, &kinds.weightGradients};
    // Kinds a layer does not have stay float, so that the plan reads the same after a round trip
    // through an experiment file, which lists only the tensors that exist.
    for (size_t i = 0; i < plan.layers.size(); ++i)
        for (TensorKind kind : kAllTensorKinds)
            if (hasTensor(network.layers[i], kind))
                plan.at(i, kind) = *byKind[size_t(kind)];
    return plan;
}

KindPrecisions fixed8Kinds()
{
    const TensorPrecision narrow = dataDriven(8, RoundingMode::NearestEven);
    const TensorPrecision wide = dataDriven(16, RoundingMode::NearestEven);
    const TensorPrecision gradient = dataDriven(16, RoundingMode::Stochastic);
    return {narrow, narrow, wide, narrow, gradient, gradient};
}

struct PresetDefinition {
    Preset preset;
    KindPrecisions kinds;
};

std::vector<PresetDefinition> definitions()
{
    const TensorPrecision floating = TensorPrecision::floatingPoint();
    const KindPrecisions allFloat{floating, floating, floating, floating, floating, floating};

    KindPrecisions nearest8 = fixed8Kinds();
    nearest8.activationGradients = dataDriven(8, RoundingMode::NearestEven);
    nearest8.weightGradients = dataDriven(8, RoundingMode::NearestEven);

    KindPrecisions stochastic8 = nearest8;
    stochastic8.activationGradients = dataDriven(8, RoundingMode::Stochastic);
    stochastic8.weightGradients = dataDriven(8, RoundingMode::Stochastic);

    KindPrecisions activations4Nearest = fixed8Kinds();
    activations4Nearest.activations = dataDriven(4, RoundingMode::NearestEven);
    KindPrecisions activations4Stochastic = fixed8Kinds();
    activations4Stochastic.activations = dataDriven(4, RoundingMode::Stochastic);

    const TensorPrecision wide16 = dataDriven(16, RoundingMode::NearestEven);
    const KindPrecisions fixed16{wide16, wide16, wide16, wide16, wide16, wide16};

    // A fixed gradient step of 2^-8 is coarser than twice the loss layer's error for every wrong
    // class, so rounding to nearest turns those errors into zero.
    KindPrecisions underflow = fixed8Kinds();
    underflow.activationGradients = TensorPrecision::fixed(8, 8);
    underflow.weightGradients = TensorPrecision::fixed(8, 8);

    return {
        {{"float", "float32 everywhere: the baseline",
          "Every weight, activation and gradient is a 32-bit float. This is how networks are usually "
          "trained, and every fixed-point run is measured against it."},
         allFloat},
        {{"fixed8", "8-bit weights and activations, 16-bit biases and gradients (default)",
          "Weights and activations use 8-bit codes rounded to nearest; biases and gradients use 16 bits, "
          "and gradients are rounded stochastically. Every fractional length follows the largest magnitude "
          "of its tensor and is chosen again every 100 steps. Watch the first 100 steps: the lengths "
          "chosen from the untrained network leave no headroom, so as the weights grow the activations "
          "saturate, no gradient passes through them and the loss stays near 2.15. From the new choice at "
          "step 100 on, it trains almost as well as float."},
         fixed8Kinds()},
        {{"fixed8-nearest", "8 bits everywhere, rounded to nearest",
          "Gradients also get only 8 bits, and every rounding goes to the nearest code. Small gradient "
          "components that are less than half a step round to zero every time, so their information is "
          "lost and training is slower and less stable."},
         nearest8},
        {{"fixed8-stochastic", "8 bits everywhere, gradients rounded stochastically",
          "The same 8-bit formats, but gradients are rounded up or down at random, with the probability "
          "of going up equal to the fraction of a step. A small gradient then survives on average: over "
          "many steps the updates add up to the right amount. Compare it with fixed8-nearest."},
         stochastic8},
        {{"act4-nearest", "4-bit activations, rounded to nearest",
          "Activations have only 16 codes. The forward pass becomes a staircase, but backpropagation "
          "still uses the slope of the smooth function, so the gradients no longer match the network "
          "that ran. It learns at first, but each new choice of fractional lengths (every 100 steps) "
          "moves the staircase under it: the loss jumps, accuracy falls back and the run never settles "
          "the way fixed8 does."},
         activations4Nearest},
        {{"act4-stochastic", "4-bit activations, rounded stochastically",
          "The same 4-bit activations with stochastic rounding: on average each activation keeps its "
          "float value, which removes the bias of the staircase but adds noise to every forward pass. "
          "Here the noise wins: after about 200 steps its loss climbs instead of falling, further than "
          "act4-nearest's. Stochastic rounding rescues small gradients (see fixed8-stochastic), not "
          "activations with 16 codes."},
         activations4Stochastic},
        {{"fixed16", "16 bits everywhere",
          "With 16-bit codes the steps are so fine that, once its fractional lengths are chosen again at "
          "step 100, the run follows the float baseline closely. Before that it waits like fixed8, which "
          "shows that the early stall comes from the 100-step schedule, not from the word size. Use it to "
          "check whether a problem seen at 8 or 4 bits really comes from the word size."},
         fixed16},
        {{"underflow", "fails on purpose: gradients underflow to zero",
          "Gradients use 8-bit codes with a fixed step of 2^-8 (about 0.004). Backpropagation starts "
          "from the error (predicted probability - target) / 64 for each class: about 0.0016 for "
          "every wrong class, less than half a step, so rounding to nearest turns it into zero; watch "
          "the underflow counter of the loss layer. Only the true class's error (about -0.014) "
          "survives, so training only ever pushes class scores up: they saturate and the loss stays at "
          "ln 10 = 2.30, chance level. Stochastic rounding or a data-driven fractional length brings "
          "the small errors back."},
         underflow},
    };
}

} // namespace

std::vector<Preset> presets()
{
    std::vector<Preset> list;
    for (const PresetDefinition& definition : definitions())
        list.push_back(definition.preset);
    return list;
}

std::optional<Experiment> presetExperiment(const std::string& name)
{
    for (const PresetDefinition& definition : definitions()) {
        if (definition.preset.name != name)
            continue;
        Experiment experiment;
        experiment.name = name;
        experiment.description = definition.preset.explanation;
        experiment.network = defaultNetwork();
        experiment.precision = uniformPlan(experiment.network, definition.kinds);
        return experiment;
    }
    return std::nullopt;
}

std::optional<PrecisionPlan> presetPrecision(const std::string& name, const NetworkSpec& network)
{
    for (const PresetDefinition& definition : definitions())
        if (definition.preset.name == name)
            return uniformPlan(network, definition.kinds);
    return std::nullopt;
}

std::string presetNames()
{
    std::string names;
    for (const Preset& preset : presets()) {
        if (!names.empty())
            names += ", ";
        names += preset.name;
    }
    return names;
}

} // namespace fxlab
