#include "run_variation.h"

#include "model/presets.h"

#include <QRegularExpression>

#include <cmath>
#include <set>

namespace fxlab::gui {

namespace {

// A tensor that was float and gets word bits follows the largest magnitude of its data, chosen
// again every 100 steps, as the presets' fixed-point tensors do.
constexpr int kPolicyInterval = 100;

QString text(std::string_view view)
{
    return QString::fromUtf8(view.data(), qsizetype(view.size()));
}

// The precision of `kind` in every layer that has it.
std::vector<TensorPrecision*> tensorsOf(Experiment& experiment, TensorKind kind)
{
    std::vector<TensorPrecision*> tensors;
    for (size_t layer = 0; layer < experiment.network.layers.size(); ++layer)
        if (hasTensor(experiment.network, layer, kind))
            tensors.push_back(&experiment.precision.at(layer, kind));
    return tensors;
}

std::vector<const TensorPrecision*> tensorsOf(const Experiment& experiment, TensorKind kind)
{
    std::vector<const TensorPrecision*> tensors;
    for (size_t layer = 0; layer < experiment.network.layers.size(); ++layer)
        if (hasTensor(experiment.network, layer, kind))
            tensors.push_back(&experiment.precision.at(layer, kind));
    return tensors;
}

// The new value of a word bits, rounding or overflow variation.
QString kindValueText(const RunVariation& variation)
{
    if (variation.setting == VariedSetting::WordBits)
        return QString("%1 bits").arg(variation.wordBits);
    if (variation.setting == VariedSetting::Rounding)
        return text(toString(variation.rounding));
    return text(toString(variation.overflow));
}

// Sets the variation's tensor kind in every layer. Returns an error when no tensor changed.
QString applyToKind(Experiment& experiment, const RunVariation& variation)
{
    const QString kind = tensorKindLabel(variation.kind);
    const std::vector<TensorPrecision*> tensors = tensorsOf(experiment, variation.kind);
    if (tensors.empty())
        return "no layer of this network has " + kind;

    bool changed = false;
    bool anyFixed = false;
    for (TensorPrecision* tensor : tensors) {
        const TensorPrecision before = *tensor;
        switch (variation.setting) {
        case VariedSetting::WordBits:
            if (tensor->isFloat)
                *tensor = TensorPrecision::fixed(variation.wordBits, 0, RoundingMode::NearestEven,
                                                 OverflowMode::Saturate, FractionalLengthPolicy::MaxAbs,
                                                 kPolicyInterval);
            else
                tensor->spec.format.wordBits = variation.wordBits;
            break;
        case VariedSetting::Rounding:
            if (!tensor->isFloat)
                tensor->spec.rounding = variation.rounding;
            break;
        case VariedSetting::Overflow:
            if (!tensor->isFloat)
                tensor->spec.overflow = variation.overflow;
            break;
        default:
            break;
        }
        anyFixed = anyFixed || !tensor->isFloat;
        changed = changed || !(*tensor == before);
    }

    if (!anyFixed)
        return "the " + kind + " are float in every layer, so they have no rounding or overflow mode: "
            "give them word bits first";
    if (!changed)
        return "the " + kind + " already use " + kindValueText(variation) + " in every layer: choose another value";
    return {};
}

QString applyTrainingSetting(Experiment& experiment, const RunVariation& variation)
{
    TrainingSettings& training = experiment.training;
    switch (variation.setting) {
    case VariedSetting::LearningRate:
        if (!std::isfinite(variation.learningRate) || variation.learningRate <= 0)
            return QString("learning rate %1 is invalid: use a number above 0").arg(variation.learningRate);
        if (float(variation.learningRate) == training.learningRate)
            return "the learning rate is already " + QString::number(training.learningRate) + ": choose another value";
        training.learningRate = float(variation.learningRate);
        return {};
    case VariedSetting::BatchSize:
        if (variation.batchSize < 1)
            return QString("batch size %1 is invalid: use 1 or more").arg(variation.batchSize);
        if (variation.batchSize == training.batchSize)
            return QString("the batch size is already %1: choose another value").arg(training.batchSize);
        training.batchSize = variation.batchSize;
        return {};
    case VariedSetting::Seed:
        if (variation.seed == experiment.seed)
            return QString("the seed is already %1: choose another value").arg(experiment.seed);
        experiment.seed = variation.seed;
        return {};
    case VariedSetting::FixedPointMasterWeights:
        if (variation.fixedPointMasterWeights == training.fixedPointMasterWeights)
            return QString("the run already keeps %1 master weights: choose the other option")
                .arg(training.fixedPointMasterWeights ? "fixed-point" : "float");
        training.fixedPointMasterWeights = variation.fixedPointMasterWeights;
        return {};
    default:
        return {};
    }
}

QString applyPreset(Experiment& experiment, const RunVariation& variation)
{
    const auto plan = presetPrecision(variation.preset, experiment.network);
    if (!plan)
        return "unknown preset \"" + QString::fromStdString(variation.preset) + "\": use one of "
            + QString::fromStdString(presetNames());
    if (*plan == experiment.precision)
        return "the run already has the precision of preset " + QString::fromStdString(variation.preset)
            + ": choose another preset";
    experiment.precision = *plan;
    experiment.name = variation.preset;
    for (const Preset& preset : presets())
        if (preset.name == variation.preset)
            experiment.description = preset.explanation;
    return {};
}

// "8", "4/16" or "float" for the word bits of a group of tensor kinds, followed by the rounding
// modes other than nearest-even.
QString groupSummary(const Experiment& experiment, std::initializer_list<TensorKind> kinds)
{
    std::set<int> wordBits;
    bool anyFloat = false;
    std::set<RoundingMode> roundings;
    for (TensorKind kind : kinds) {
        for (const TensorPrecision* tensor : tensorsOf(experiment, kind)) {
            if (tensor->isFloat) {
                anyFloat = true;
                continue;
            }
            wordBits.insert(tensor->spec.format.wordBits);
            roundings.insert(tensor->spec.rounding);
        }
    }

    QStringList parts;
    for (int bits : wordBits)
        parts << QString::number(bits);
    if (anyFloat)
        parts << "float";
    QString summary = parts.join('/');
    roundings.erase(RoundingMode::NearestEven);
    for (RoundingMode rounding : roundings)
        summary += " " + text(toString(rounding));
    return summary;
}

} // namespace

QString tensorKindLabel(TensorKind kind)
{
    return text(toString(kind)).replace('-', ' ');
}

VariedExperiment applyVariation(const Experiment& source, const RunVariation& variation)
{
    Experiment experiment = source;
    QString error;
    switch (variation.setting) {
    case VariedSetting::WordBits:
    case VariedSetting::Rounding:
    case VariedSetting::Overflow:
        error = applyToKind(experiment, variation);
        break;
    case VariedSetting::Preset:
        error = applyPreset(experiment, variation);
        break;
    default:
        error = applyTrainingSetting(experiment, variation);
        break;
    }
    if (error.isEmpty()) {
        if (auto problem = validateExperiment(experiment))
            error = QString::fromStdString(*problem);
    }
    if (!error.isEmpty())
        return {std::nullopt, error};
    return {experiment, {}};
}

QString describeVariation(const RunVariation& variation)
{
    const QString kind = tensorKindLabel(variation.kind);
    switch (variation.setting) {
    case VariedSetting::WordBits:
        return kind + QString(" %1-bit").arg(variation.wordBits);
    case VariedSetting::Rounding:
        return kind + " " + text(toString(variation.rounding));
    case VariedSetting::Overflow:
        return kind + " " + text(toString(variation.overflow));
    case VariedSetting::LearningRate:
        return "learning rate " + QString::number(variation.learningRate);
    case VariedSetting::BatchSize:
        return QString("batch size %1").arg(variation.batchSize);
    case VariedSetting::Seed:
        return QString("seed %1").arg(variation.seed);
    case VariedSetting::FixedPointMasterWeights:
        return variation.fixedPointMasterWeights ? "fixed-point master weights" : "float master weights";
    case VariedSetting::Preset:
        return "preset " + QString::fromStdString(variation.preset);
    }
    return {};
}

QString variedRunName(const QString& sourceRunName, const Experiment& source, const RunVariation& variation)
{
    static const QRegularExpression defaultName("^run \\d+$");
    const QString base =
        defaultName.match(sourceRunName).hasMatch() ? QString::fromStdString(source.name) : sourceRunName;
    return base + ", " + describeVariation(variation);
}

QString currentValueText(const Experiment& experiment, VariedSetting setting, TensorKind kind)
{
    const TrainingSettings& training = experiment.training;
    switch (setting) {
    case VariedSetting::WordBits:
    case VariedSetting::Rounding:
    case VariedSetting::Overflow: {
        QStringList values;
        for (const TensorPrecision* tensor : tensorsOf(experiment, kind)) {
            QString value = "float";
            if (!tensor->isFloat && setting == VariedSetting::WordBits)
                value = QString("%1 bits").arg(tensor->spec.format.wordBits);
            else if (!tensor->isFloat && setting == VariedSetting::Rounding)
                value = text(toString(tensor->spec.rounding));
            else if (!tensor->isFloat)
                value = text(toString(tensor->spec.overflow));
            if (!values.contains(value))
                values << value;
        }
        if (values.isEmpty())
            return "no layer has " + tensorKindLabel(kind);
        return values.join(" and ");
    }
    case VariedSetting::LearningRate:
        return QString::number(training.learningRate);
    case VariedSetting::BatchSize:
        return QString::number(training.batchSize);
    case VariedSetting::Seed:
        return QString::number(experiment.seed);
    case VariedSetting::FixedPointMasterWeights:
        return training.fixedPointMasterWeights ? "fixed-point master weights" : "float master weights";
    case VariedSetting::Preset:
        return QString::fromStdString(experiment.name);
    }
    return {};
}

QString precisionSummary(const Experiment& experiment)
{
    if (experiment.precision.allFloat())
        return "float";
    QString summary = "w" + groupSummary(experiment, {TensorKind::Weights}) + " a"
        + groupSummary(experiment, {TensorKind::Activations}) + " g"
        + groupSummary(experiment, {TensorKind::ActivationGradients, TensorKind::WeightGradients});
    if (experiment.training.fixedPointMasterWeights)
        summary += ", fixed-point master weights";
    return summary;
}

} // namespace fxlab::gui
