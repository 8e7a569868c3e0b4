// An experiment: the network, its precision plan, training settings, data and seed. Stored as JSON.
#pragma once

#include "model/network.h"
#include "model/precision.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace fxlab {

struct TrainingSettings {
    int batchSize = 64;
    float learningRate = 0.05f;
    float momentum = 0.9f;
    float weightDecay = 0.0f;
    // The run length: `steps` when above 0, otherwise `epochs` passes over the training set.
    int epochs = 1;
    int steps = 0;
    // Keep the weights as fixed-point codes updated with stochastic rounding, instead of float
    // master copies that are quantized for every step.
    bool fixedPointMasterWeights = false;
    int logEvery = 10;       // steps per metrics row
    int evaluateEvery = 0;   // steps between extra test evaluations; the end of each epoch and of the run always evaluate
    // Test samples used by the extra evaluations, from the start of the test set; 0 uses them all.
    // The evaluations at the end of an epoch and of the run always use the whole test set.
    int evaluationSamples = 0;

    bool operator==(const TrainingSettings&) const = default;
};

struct DataSettings {
    std::string directory = "/usr/share/datasets/fashion-mnist";
    bool operator==(const DataSettings&) const = default;
};

struct Experiment {
    std::string name = "fixed8";
    std::string description;
    NetworkSpec network;
    PrecisionPlan precision;
    TrainingSettings training;
    DataSettings data;
    uint64_t seed = 1;

    bool operator==(const Experiment&) const = default;
};

// Empty when the experiment can run on data with `classes` classes (0 skips that check);
// otherwise the first problem, naming the layer, tensor or setting.
std::optional<std::string> validateExperiment(const Experiment& experiment, int classes = 0);

QJsonObject toJson(const Experiment& experiment);
// "float" or an object with word_bits, fractional_length, rounding, overflow, policy and interval.
QJsonValue toJson(const TensorPrecision& precision);
// Throws fxlab::Error naming the field (as a JSON path such as "layers[2].kernel") and the
// valid values. `source` names the file in messages.
Experiment experimentFromJson(const QJsonObject& object, const QString& source);
TensorPrecision tensorPrecisionFromJson(const QJsonValue& value, const QString& field);

// Reads and writes experiment files. Writing goes to a temporary file that is renamed over the
// target, so a failed write never leaves a half-written file.
Experiment loadExperiment(const QString& path);
void saveExperiment(const Experiment& experiment, const QString& path);

// A precision plan with every tensor float, sized for `network`.
PrecisionPlan floatPlan(const NetworkSpec& network);

} // namespace fxlab
