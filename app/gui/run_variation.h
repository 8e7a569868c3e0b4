// "Duplicate with one change": the settings a duplicated run may change, the experiment with that
// one change applied, the name the new run gets after it, and the short precision summary that the
// run list shows.
#pragma once

#include "model/experiment.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <string>

namespace fxlab::gui {

enum class VariedSetting {
    WordBits,                 // of one tensor kind in every layer that has it
    Rounding,                 // of one tensor kind in every layer, fixed-point tensors only
    Overflow,                 // the same for the overflow mode
    LearningRate,
    BatchSize,
    Seed,
    FixedPointMasterWeights,
    Preset,                   // the preset's precision plan for the same network
};

// One setting and its new value; only the fields of `setting` are read.
struct RunVariation {
    VariedSetting setting = VariedSetting::WordBits;
    TensorKind kind = TensorKind::Weights;
    int wordBits = 8;
    RoundingMode rounding = RoundingMode::NearestEven;
    OverflowMode overflow = OverflowMode::Saturate;
    double learningRate = 0.05;
    int batchSize = 64;
    uint64_t seed = 1;
    bool fixedPointMasterWeights = false;
    std::string preset;
};

// The experiment with the variation applied, or the reason it cannot be: the value is invalid,
// equals the current one, or does not apply (rounding of a kind that is float everywhere).
struct VariedExperiment {
    std::optional<Experiment> experiment;
    QString error;
};

VariedExperiment applyVariation(const Experiment& experiment, const RunVariation& variation);

// The change in a few words, e.g. "weight gradients nearest-even" or "learning rate 0.01".
QString describeVariation(const RunVariation& variation);
// The name of the duplicated run: its source's name (or, for a source with the default name
// "run N", the experiment's) followed by the change, e.g. "fixed8, weight gradients nearest-even".
QString variedRunName(const QString& sourceRunName, const Experiment& source, const RunVariation& variation);
// What the experiment has now for the setting, e.g. "8 bits", "8 and 16 bits" or "0.05".
QString currentValueText(const Experiment& experiment, VariedSetting setting, TensorKind kind);

// "weights", "activation gradients", ...: the tensor kind as the window names it.
QString tensorKindLabel(TensorKind kind);
// A short summary of the precision of weights (w), activations (a) and gradients (g), with any
// rounding other than nearest-even, e.g. "w8 a8 g16 stochastic". A plan that is float
// everywhere is "float".
QString precisionSummary(const Experiment& experiment);

} // namespace fxlab::gui
