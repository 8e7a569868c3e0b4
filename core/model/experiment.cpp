#include "model/experiment.h"

#include "error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStringList>

#include <cmath>

namespace fxlab {

namespace {

// Reads typed fields from a JSON object and names the file and field path in every error.
class JsonReader {
public:
    JsonReader(const QJsonObject& object, QString source, QString path)
        : object_(object), source_(std::move(source)), path_(std::move(path))
    {
    }

    [[noreturn]] void fail(const QString& field, const QString& problem) const
    {
        throw Error((source_ + ": " + fieldPath(field) + " " + problem).toStdString());
    }

    QString fieldPath(const QString& field) const { return path_.isEmpty() ? field : path_ + "." + field; }
    bool has(const QString& field) const { return object_.contains(field); }
    QJsonValue value(const QString& field) const { return object_.value(field); }

    int integer(const QString& field, int fallback, int minimum, int maximum) const
    {
        if (!has(field))
            return fallback;
        const QJsonValue value = object_.value(field);
        const double number = value.toDouble(std::nan(""));
        if (!value.isDouble() || number != std::floor(number))
            fail(field, "must be an integer");
        if (number < minimum || number > maximum)
            fail(field, minimum == maximum ? QString("is %1: only %2 is supported").arg(number).arg(minimum)
                                           : QString("is %1: use %2 to %3").arg(number).arg(minimum).arg(maximum));
        return int(number);
    }

    double number(const QString& field, double fallback, double minimum, double maximum) const
    {
        if (!has(field))
            return fallback;
        const QJsonValue value = object_.value(field);
        if (!value.isDouble())
            fail(field, "must be a number");
        const double number = value.toDouble();
        if (!(number >= minimum && number <= maximum))
            fail(field, QString("is %1: use %2 to %3").arg(number).arg(minimum).arg(maximum));
        return number;
    }

    bool boolean(const QString& field, bool fallback) const
    {
        if (!has(field))
            return fallback;
        if (!object_.value(field).isBool())
            fail(field, "must be true or false");
        return object_.value(field).toBool();
    }

    QString string(const QString& field, const QString& fallback) const
    {
        if (!has(field))
            return fallback;
        if (!object_.value(field).isString())
            fail(field, "must be a string");
        return object_.value(field).toString();
    }

    JsonReader child(const QString& field) const
    {
        if (!object_.value(field).isObject())
            fail(field, "must be an object");
        return JsonReader(object_.value(field).toObject(), source_, fieldPath(field));
    }

    QJsonArray array(const QString& field) const
    {
        if (!object_.value(field).isArray())
            fail(field, "must be an array");
        return object_.value(field).toArray();
    }

    JsonReader element(const QJsonArray& array, const QString& field, qsizetype index) const
    {
        const QString path = fieldPath(field) + QString("[%1]").arg(index);
        if (!array.at(index).isObject())
            throw Error((source_ + ": " + path + " must be an object").toStdString());
        return JsonReader(array.at(index).toObject(), source_, path);
    }

    // Refuses a field that is not in `known`, such as a misspelled one that would otherwise be
    // ignored and leave its setting at the default.
    void allowOnly(std::initializer_list<const char*> known) const
    {
        QStringList names;
        for (const char* name : known)
            names << QString::fromLatin1(name);
        for (const QString& key : object_.keys())
            if (!names.contains(key))
                fail(key, "is not a known field: use " + names.join(", "));
    }

    const QString& source() const { return source_; }

private:
    QJsonObject object_;
    QString source_;
    QString path_;
};

constexpr int kMaxChannels = 4096;
constexpr int kMaxMapSize = 4096;

TensorPrecision readPrecision(const QJsonValue& value, const JsonReader& parent, const QString& field)
{
    if (value.isString() && value.toString() == "float")
        return TensorPrecision::floatingPoint();
    if (!value.isObject())
        parent.fail(field, "must be \"float\" or an object with word_bits and fractional_length");

    const JsonReader reader(value.toObject(), parent.source(), parent.fieldPath(field));
    reader.allowOnly({"word_bits", "fractional_length", "rounding", "overflow", "policy", "interval"});
    TensorPrecision precision;
    precision.isFloat = false;
    if (!reader.has("word_bits"))
        reader.fail("word_bits", "is missing: give 2 to 32");
    precision.spec.format.wordBits =
        reader.integer("word_bits", 8, FixedFormat::kMinWordBits, FixedFormat::kMaxWordBits);
    precision.spec.format.fractionalLength = reader.integer(
        "fractional_length", 0, FixedFormat::kMinFractionalLength, FixedFormat::kMaxFractionalLength);

    const QString rounding = reader.string("rounding", "nearest-even");
    const auto roundingMode = parseRoundingMode(rounding.toStdString());
    if (!roundingMode)
        reader.fail("rounding", QString("\"%1\" is not a rounding mode: use one of %2")
                                    .arg(rounding, QString::fromStdString(roundingModeNames())));
    precision.spec.rounding = *roundingMode;

    const QString overflow = reader.string("overflow", "saturate");
    const auto overflowMode = parseOverflowMode(overflow.toStdString());
    if (!overflowMode)
        reader.fail("overflow", QString("\"%1\" is not an overflow mode: use one of %2")
                                    .arg(overflow, QString::fromStdString(overflowModeNames())));
    precision.spec.overflow = *overflowMode;

    const QString policy = reader.string("policy", "manual");
    const auto parsedPolicy = parseFractionalLengthPolicy(policy.toStdString());
    if (!parsedPolicy)
        reader.fail("policy", QString("\"%1\" is not a fractional-length policy: use one of %2")
                                  .arg(policy, QString::fromStdString(fractionalLengthPolicyNames())));
    precision.policy = *parsedPolicy;
    precision.policyInterval = reader.integer("interval", 0, 0, 1'000'000'000);
    return precision;
}

LayerSpec readLayer(const JsonReader& reader, qsizetype index)
{
    const QString typeName = reader.string("type", "");
    const auto type = parseLayerType(typeName.toStdString());
    if (!type)
        reader.fail("type", QString("\"%1\" is not a layer type: use one of %2")
                                .arg(typeName, QString::fromStdString(layerTypeNames())));

    LayerSpec layer;
    layer.type = *type;
    layer.name = reader.string("name", QString("layer%1").arg(index + 1)).toStdString();
    if (layer.type == LayerType::Convolution)
        reader.allowOnly({"type", "name", "filters", "kernel", "stride", "padding", "bias", "precision"});
    else if (layer.type == LayerType::Dense)
        reader.allowOnly({"type", "name", "units", "bias", "precision"});
    else
        reader.allowOnly({"type", "name", "precision"});
    if (layer.type == LayerType::Convolution) {
        layer.filters = reader.integer("filters", 0, 1, kMaxChannels);
        layer.kernel = reader.integer("kernel", 0, 1, kMaxMapSize);
        layer.stride = reader.integer("stride", 1, 1, kMaxMapSize);
        layer.padding = reader.integer("padding", 0, 0, kMaxMapSize);
        layer.bias = reader.boolean("bias", true);
    } else if (layer.type == LayerType::Dense) {
        layer.units = reader.integer("units", 0, 1, 1 << 20);
        layer.bias = reader.boolean("bias", true);
    }
    return layer;
}

QJsonObject layerToJson(const LayerSpec& layer)
{
    QJsonObject object{{"type", QString::fromUtf8(toString(layer.type))},
                       {"name", QString::fromStdString(layer.name)}};
    if (layer.type == LayerType::Convolution) {
        object["filters"] = layer.filters;
        object["kernel"] = layer.kernel;
        object["stride"] = layer.stride;
        object["padding"] = layer.padding;
        object["bias"] = layer.bias;
    } else if (layer.type == LayerType::Dense) {
        object["units"] = layer.units;
        object["bias"] = layer.bias;
    }
    return object;
}

// The shortest decimal that reads back as `value`, so 0.05f is written 0.05 rather than the
// 0.05000000074505806 of its exact double.
double shortestDecimal(float value)
{
    for (int digits = 1; digits < 9; ++digits) {
        const double candidate = QString::number(double(value), 'g', digits).toDouble();
        if (float(candidate) == value)
            return candidate;
    }
    return double(value);
}

} // namespace

QJsonValue toJson(const TensorPrecision& precision)
{
    if (precision.isFloat)
        return QStringLiteral("float");
    QJsonObject object{
        {"word_bits", precision.spec.format.wordBits},
        {"fractional_length", precision.spec.format.fractionalLength},
        {"rounding", QString::fromUtf8(toString(precision.spec.rounding))},
        {"overflow", QString::fromUtf8(toString(precision.spec.overflow))},
        {"policy", QString::fromUtf8(toString(precision.policy))},
    };
    if (precision.policyInterval > 0)
        object["interval"] = precision.policyInterval;
    return object;
}

TensorPrecision tensorPrecisionFromJson(const QJsonValue& value, const QString& field)
{
    const JsonReader parent(QJsonObject{}, "precision", "");
    return readPrecision(value, parent, field);
}

QJsonObject toJson(const Experiment& experiment)
{
    QJsonArray layers;
    for (size_t i = 0; i < experiment.network.layers.size(); ++i) {
        QJsonObject layer = layerToJson(experiment.network.layers[i]);
        if (i < experiment.precision.layers.size()) {
            QJsonObject precision;
            for (TensorKind kind : kAllTensorKinds)
                if (hasTensor(experiment.network.layers[i], kind))
                    precision[QString::fromUtf8(toString(kind))] = toJson(experiment.precision.at(i, kind));
            layer["precision"] = precision;
        }
        layers.append(layer);
    }

    const Shape& input = experiment.network.input;
    const TrainingSettings& training = experiment.training;
    return {
        {"format", "fxlab-experiment"},
        {"version", 1},
        {"name", QString::fromStdString(experiment.name)},
        {"description", QString::fromStdString(experiment.description)},
        {"seed", QString::number(experiment.seed)},
        {"input", QJsonObject{{"channels", input.channels},
                              {"height", input.height},
                              {"width", input.width},
                              {"precision", toJson(experiment.precision.input)}}},
        {"layers", layers},
        {"training", QJsonObject{{"batch_size", training.batchSize},
                                 {"learning_rate", shortestDecimal(training.learningRate)},
                                 {"momentum", shortestDecimal(training.momentum)},
                                 {"weight_decay", shortestDecimal(training.weightDecay)},
                                 {"epochs", training.epochs},
                                 {"steps", training.steps},
                                 {"fixed_point_master_weights", training.fixedPointMasterWeights},
                                 {"log_every", training.logEvery},
                                 {"evaluate_every", training.evaluateEvery},
                                 {"evaluation_samples", training.evaluationSamples}}},
        {"data", QJsonObject{{"directory", QString::fromStdString(experiment.data.directory)}}},
    };
}

Experiment experimentFromJson(const QJsonObject& object, const QString& source)
{
    const JsonReader root(object, source, "");
    if (root.string("format", "") != "fxlab-experiment")
        root.fail("format", "must be \"fxlab-experiment\": this is not an fxlab experiment file");
    root.allowOnly({"format", "version", "name", "description", "seed", "input", "layers", "training", "data"});
    root.integer("version", 1, 1, 1);

    Experiment experiment;
    experiment.name = root.string("name", "experiment").toStdString();
    experiment.description = root.string("description", "").toStdString();
    if (root.has("seed")) {
        bool ok = false;
        const QJsonValue seed = root.value("seed");
        experiment.seed = seed.isString() ? seed.toString().toULongLong(&ok) : 0;
        if (seed.isDouble()) {
            const double number = seed.toDouble();
            ok = number >= 0 && number <= 9007199254740992.0 && number == std::floor(number);
            experiment.seed = uint64_t(number);
        }
        if (!ok)
            root.fail("seed", "must be a non-negative integer (a string for values above 2^53)");
    }

    const JsonReader input = root.child("input");
    input.allowOnly({"channels", "height", "width", "precision"});
    experiment.network.input = {input.integer("channels", 1, 1, kMaxChannels),
                                input.integer("height", 28, 1, kMaxMapSize),
                                input.integer("width", 28, 1, kMaxMapSize)};
    experiment.precision.input =
        input.has("precision") ? readPrecision(input.value("precision"), input, "precision") : TensorPrecision{};

    const QJsonArray layers = root.array("layers");
    for (qsizetype i = 0; i < layers.size(); ++i) {
        const JsonReader layerReader = root.element(layers, "layers", i);
        const LayerSpec layer = readLayer(layerReader, i);
        for (const LayerSpec& earlier : experiment.network.layers)
            if (earlier.name == layer.name)
                layerReader.fail("name", QString("\"%1\" is already the name of another layer: give each layer "
                                                 "its own name").arg(QString::fromStdString(layer.name)));
        LayerPrecision precision{};
        if (layerReader.has("precision")) {
            const JsonReader precisionReader = layerReader.child("precision");
            precisionReader.allowOnly({"weights", "biases", "activations", "activation-gradients", "weight-gradients"});
            for (TensorKind kind : kAllTensorKinds) {
                const QString field = QString::fromUtf8(toString(kind));
                if (precisionReader.has(field))
                    precision[size_t(kind)] = readPrecision(precisionReader.value(field), precisionReader, field);
            }
        }
        experiment.network.layers.push_back(layer);
        experiment.precision.layers.push_back(precision);
    }

    if (root.has("training")) {
        const JsonReader training = root.child("training");
        training.allowOnly({"batch_size", "learning_rate", "momentum", "weight_decay", "epochs", "steps",
                            "fixed_point_master_weights", "log_every", "evaluate_every", "evaluation_samples"});
        TrainingSettings& settings = experiment.training;
        settings.batchSize = training.integer("batch_size", settings.batchSize, 1, 65536);
        settings.learningRate = float(training.number("learning_rate", settings.learningRate, 0.0, 1000.0));
        settings.momentum = float(training.number("momentum", settings.momentum, 0.0, 0.9999));
        settings.weightDecay = float(training.number("weight_decay", settings.weightDecay, 0.0, 10.0));
        settings.epochs = training.integer("epochs", settings.epochs, 0, 100000);
        settings.steps = training.integer("steps", settings.steps, 0, 1'000'000'000);
        settings.fixedPointMasterWeights =
            training.boolean("fixed_point_master_weights", settings.fixedPointMasterWeights);
        settings.logEvery = training.integer("log_every", settings.logEvery, 1, 1'000'000);
        settings.evaluateEvery = training.integer("evaluate_every", settings.evaluateEvery, 0, 1'000'000'000);
        settings.evaluationSamples =
            training.integer("evaluation_samples", settings.evaluationSamples, 0, 1'000'000'000);
        if (settings.steps == 0 && settings.epochs == 0)
            training.fail("steps", "and epochs are both 0: set one of them above 0");
    }
    if (root.has("data")) {
        const JsonReader data = root.child("data");
        data.allowOnly({"directory"});
        experiment.data.directory = data.string("directory", QString::fromStdString(experiment.data.directory)).toStdString();
    }

    if (auto error = validateExperiment(experiment))
        throw Error((source + ": " + QString::fromStdString(*error)).toStdString());
    return experiment;
}

std::optional<std::string> validateExperiment(const Experiment& experiment, int classes)
{
    const ShapeReport shapes = inferShapes(experiment.network, classes);
    if (!shapes.valid())
        return shapes.firstError(experiment.network);
    if (auto error = validatePlan(experiment.precision, experiment.network))
        return error;
    const TrainingSettings& training = experiment.training;
    if (training.batchSize < 1)
        return "batch size " + std::to_string(training.batchSize) + " must be at least 1";
    if (training.steps <= 0 && training.epochs <= 0)
        return std::string("the run has no length: set steps or epochs above 0");
    if (training.logEvery < 1)
        return "log interval " + std::to_string(training.logEvery) + " must be at least 1 step";
    return std::nullopt;
}

Experiment loadExperiment(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error((path + ": cannot open the experiment file: " + file.errorString()).toStdString());
    // Experiment files are small; a huge one is not an experiment file.
    constexpr qint64 kMaxSize = 16 * 1024 * 1024;
    if (file.size() > kMaxSize)
        throw Error((path + ": the file is " + QString::number(file.size())
                     + " bytes, too large for an experiment file (at most 16 MiB)").toStdString());

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        throw Error((path + QString(": invalid JSON at byte %1: ").arg(parseError.offset) + parseError.errorString())
                        .toStdString());
    if (!document.isObject())
        throw Error((path + ": the top level must be a JSON object").toStdString());
    return experimentFromJson(document.object(), path);
}

void saveExperiment(const Experiment& experiment, const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw Error((path + ": cannot write the experiment file: " + file.errorString()).toStdString());
    file.write(QJsonDocument(toJson(experiment)).toJson(QJsonDocument::Indented));
    if (!file.commit())
        throw Error((path + ": writing the experiment file failed: " + file.errorString()).toStdString());
}

PrecisionPlan floatPlan(const NetworkSpec& network)
{
    PrecisionPlan plan;
    plan.layers.resize(network.layers.size());
    return plan;
}

} // namespace fxlab
