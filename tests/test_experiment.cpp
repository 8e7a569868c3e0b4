// Network descriptions, precision plans and experiment files: shape inference, validation
// messages, JSON round trips and the fractional-length policies.
#include "error.h"
#include "model/experiment.h"
#include "model/presets.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace fxlab;

Q_DECLARE_METATYPE(fxlab::NetworkSpec)

namespace {

NetworkSpec network(Shape input, std::vector<LayerSpec> layers)
{
    NetworkSpec spec;
    spec.input = input;
    spec.layers = std::move(layers);
    return spec;
}

// Writes `experiment` to JSON, applies `edit` to the object and parses it again; returns the error.
QString errorAfterEdit(const std::function<void(QJsonObject&)>& edit)
{
    QJsonObject object = toJson(*presetExperiment("fixed8"));
    edit(object);
    try {
        experimentFromJson(object, "edited.json");
    } catch (const Error& error) {
        return error.what();
    }
    return {};
}

QJsonObject layerAt(const QJsonObject& object, int index)
{
    return object["layers"].toArray()[index].toObject();
}

void setLayer(QJsonObject& object, int index, const QJsonObject& layer)
{
    QJsonArray layers = object["layers"].toArray();
    layers[index] = layer;
    object["layers"] = layers;
}

} // namespace

class ExperimentTest : public QObject {
    Q_OBJECT

private slots:
    void defaultNetworkShapes();
    void invalidNetworksExplained_data();
    void invalidNetworksExplained();
    void parameterCounts();
    void presetsRoundTrip();
    void fileRoundTripAndAtomicWrite();
    void jsonErrorsNameField_data();
    void jsonErrorsNameField();
    void unreadableFilesExplained();
    void maxAbsChoice_data();
    void maxAbsChoice();
    void sqnrChoice();
    void policySchedule();
};

void ExperimentTest::defaultNetworkShapes()
{
    const ShapeReport report = inferShapes(defaultNetwork(), 10);
    QVERIFY2(report.valid(), report.firstError(defaultNetwork()).c_str());
    const std::vector<std::string> expected{"8x24x24", "8x24x24", "8x12x12", "16x8x8", "16x8x8", "16x4x4",
                                            "256", "64", "64", "10", "10"};
    QCOMPARE(report.outputs.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        QCOMPARE(toString(report.outputs[i]), expected[i]);
}

void ExperimentTest::invalidNetworksExplained_data()
{
    QTest::addColumn<NetworkSpec>("spec");
    QTest::addColumn<QString>("message");
    const Shape mnist{1, 28, 28};
    QTest::newRow("kernel too large")
        << network({1, 4, 4}, {convolution("conv", 2, 7), flatten("f"), dense("d", 10), softmaxCrossEntropy("l")})
        << "layer 1 (conv): kernel 7x7 is larger than its padded input 4x4";
    QTest::newRow("dense needs flatten")
        << network(mnist, {dense("d", 10), softmaxCrossEntropy("l")}) << "layer 1 (d): dense layers take a vector, but the input is 1x28x28: add a flatten layer";
    QTest::newRow("pool too small")
        << network(mnist, {convolution("c", 2, 28), maxPool("p"), flatten("f"), dense("d", 10), softmaxCrossEntropy("l")})
        << "layer 2 (p): 2x2 pooling needs a map of at least 2x2, but its input map is 1x1";
    QTest::newRow("wrong class count")
        << network(mnist, {flatten("f"), dense("d", 7), softmaxCrossEntropy("l")})
        << "the last layer gives 7 class scores, but the data has 10 classes";
    QTest::newRow("no loss")
        << network(mnist, {flatten("f"), dense("d", 10)}) << "the network must end with a softmax-cross-entropy layer";
    QTest::newRow("loss in the middle")
        << network(mnist, {flatten("f"), softmaxCrossEntropy("l"), dense("d", 10), softmaxCrossEntropy("l2")})
        << "layer 2 (l): softmax cross-entropy must be the last layer";
    QTest::newRow("zero filters")
        << network(mnist, {convolution("c", 0, 3), flatten("f"), dense("d", 10), softmaxCrossEntropy("l")})
        << "layer 1 (c): filters must be at least 1, not 0";
    QTest::newRow("empty input") << network({0, 28, 28}, {}) << "the input shape 0x28x28 is empty";
}

void ExperimentTest::invalidNetworksExplained()
{
    QFETCH(NetworkSpec, spec);
    QFETCH(QString, message);
    const ShapeReport report = inferShapes(spec, 10);
    QVERIFY(!report.valid());
    const QString actual = QString::fromStdString(report.firstError(spec));
    QVERIFY2(actual.startsWith(message), qPrintable(actual));
}

void ExperimentTest::parameterCounts()
{
    const NetworkSpec spec = defaultNetwork();
    const ShapeReport report = inferShapes(spec);
    QCOMPARE(weightCount(spec.layers[0], spec.input), size_t(8 * 25));
    QCOMPARE(weightCount(spec.layers[3], report.outputs[2]), size_t(16 * 8 * 25));
    QCOMPARE(weightCount(spec.layers[7], report.outputs[6]), size_t(256 * 64));
    QCOMPARE(biasCount(spec.layers[7], report.outputs[6]), size_t(64));
    QCOMPARE(weightCount(spec.layers[1], report.outputs[0]), size_t(0));
}

void ExperimentTest::presetsRoundTrip()
{
    const std::vector<Preset> list = presets();
    QVERIFY(list.size() >= 2);
    QCOMPARE(list[0].name, std::string("float"));
    // Float settings are written as the shortest decimal that reads back to the same float.
    const QJsonObject training = toJson(*presetExperiment("fixed8"))["training"].toObject();
    QCOMPARE(training["learning_rate"].toDouble(), 0.05);
    QCOMPARE(training["momentum"].toDouble(), 0.9);
    for (const Preset& preset : list) {
        const auto experiment = presetExperiment(preset.name);
        QVERIFY(experiment.has_value());
        QVERIFY2(!validateExperiment(*experiment, 10), preset.name.c_str());
        QVERIFY(!preset.explanation.empty());
        const Experiment parsed = experimentFromJson(toJson(*experiment), "memory");
        QVERIFY2(parsed == *experiment, preset.name.c_str());
    }
    QVERIFY(!presetExperiment("no-such-preset").has_value());

    // fixed8 as the issue defines it: 8-bit weights and activations, 16-bit biases and
    // gradients, stochastic gradients, max-abs re-chosen every 100 steps.
    const Experiment fixed8 = *presetExperiment("fixed8");
    const TensorPrecision& weights = fixed8.precision.at(0, TensorKind::Weights);
    QCOMPARE(weights.spec.format.wordBits, 8);
    QVERIFY(weights.policy == FractionalLengthPolicy::MaxAbs);
    QCOMPARE(weights.policyInterval, 100);
    QCOMPARE(fixed8.precision.at(0, TensorKind::Biases).spec.format.wordBits, 16);
    QVERIFY(fixed8.precision.at(0, TensorKind::Activations).spec.rounding == RoundingMode::NearestEven);
    QVERIFY(fixed8.precision.at(0, TensorKind::ActivationGradients).spec.rounding == RoundingMode::Stochastic);
    QCOMPARE(fixed8.precision.at(0, TensorKind::WeightGradients).spec.format.wordBits, 16);
    QCOMPARE(fixed8.training.batchSize, 64);
    QCOMPARE(fixed8.training.learningRate, 0.05f);
    QCOMPARE(fixed8.training.momentum, 0.9f);
    QVERIFY(presetExperiment("float")->precision.allFloat());
}

void ExperimentTest::fileRoundTripAndAtomicWrite()
{
    QTemporaryDir directory;
    const QString path = directory.filePath("experiment.json");
    Experiment experiment = *presetExperiment("fixed8");
    experiment.seed = 18446744073709551615ull;  // above 2^53: stored as a string
    experiment.training.fixedPointMasterWeights = true;
    experiment.network.layers[0].padding = 2;
    saveExperiment(experiment, path);
    QVERIFY(loadExperiment(path) == experiment);
    // No temporary file is left beside it.
    QCOMPARE(QDir(directory.path()).entryList(QDir::Files), QStringList{"experiment.json"});

    // Saving into a folder that does not exist fails with the path in the message.
    try {
        saveExperiment(experiment, directory.filePath("missing/experiment.json"));
        QFAIL("saving into a missing folder must fail");
    } catch (const Error& error) {
        QVERIFY2(QString(error.what()).contains("missing/experiment.json"), error.what());
    }
}

void ExperimentTest::jsonErrorsNameField_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");
    QTest::newRow("word bits") << "layers[0].precision.weights.word_bits" << "is 40: use 2 to 32";
    QTest::newRow("rounding") << "layers[3].precision.activations.rounding" << "\"up\" is not a rounding mode: use one of nearest-even";
    QTest::newRow("layer type") << "layers[1].type" << "\"pool\" is not a layer type";
    QTest::newRow("kernel") << "layers[0].kernel" << "must be an integer";
    QTest::newRow("batch") << "training.batch_size" << "is 0: use 1 to 65536";
    QTest::newRow("format") << "format" << "must be \"fxlab-experiment\"";
    QTest::newRow("shape") << "layers[0]" << "layer 1 (conv1): kernel 5x5 is larger than its padded input 3x3";
    QTest::newRow("misspelled training field") << "training.learnig_rate"
                                               << "is not a known field: use batch_size, learning_rate";
    QTest::newRow("unknown tensor kind") << "layers[0].precision.activation_gradient"
                                         << "is not a known field: use weights, biases, activations";
    QTest::newRow("unknown precision field") << "layers[3].precision.activations.word_size"
                                             << "is not a known field: use word_bits";
    QTest::newRow("field of another layer type") << "layers[1].units" << "is not a known field: use type, name, precision";
    QTest::newRow("unknown top-level field") << "sed" << "is not a known field: use format, version";
    QTest::newRow("duplicate layer name") << "layers[2].name" << "\"conv1\" is already the name of another layer";
}

void ExperimentTest::jsonErrorsNameField()
{
    QFETCH(QString, field);
    QFETCH(QString, message);
    const QString error = errorAfterEdit([&](QJsonObject& object) {
        if (field == "layers[0].precision.weights.word_bits") {
            QJsonObject layer = layerAt(object, 0), precision = layer["precision"].toObject();
            QJsonObject weights = precision["weights"].toObject();
            weights["word_bits"] = 40;
            precision["weights"] = weights;
            layer["precision"] = precision;
            setLayer(object, 0, layer);
        } else if (field == "layers[3].precision.activations.rounding") {
            QJsonObject layer = layerAt(object, 3), precision = layer["precision"].toObject();
            QJsonObject activations = precision["activations"].toObject();
            activations["rounding"] = "up";
            precision["activations"] = activations;
            layer["precision"] = precision;
            setLayer(object, 3, layer);
        } else if (field == "layers[1].type") {
            QJsonObject layer = layerAt(object, 1);
            layer["type"] = "pool";
            setLayer(object, 1, layer);
        } else if (field == "layers[0].kernel") {
            QJsonObject layer = layerAt(object, 0);
            layer["kernel"] = 2.5;
            setLayer(object, 0, layer);
        } else if (field == "training.batch_size") {
            QJsonObject training = object["training"].toObject();
            training["batch_size"] = 0;
            object["training"] = training;
        } else if (field == "format") {
            object["format"] = "something-else";
        } else if (field == "training.learnig_rate") {
            QJsonObject training = object["training"].toObject();
            training["learnig_rate"] = 5.0;
            object["training"] = training;
        } else if (field == "layers[0].precision.activation_gradient") {
            QJsonObject layer = layerAt(object, 0), precision = layer["precision"].toObject();
            precision["activation_gradient"] = "float";
            layer["precision"] = precision;
            setLayer(object, 0, layer);
        } else if (field == "layers[3].precision.activations.word_size") {
            QJsonObject layer = layerAt(object, 3), precision = layer["precision"].toObject();
            QJsonObject activations = precision["activations"].toObject();
            activations["word_size"] = 6;
            precision["activations"] = activations;
            layer["precision"] = precision;
            setLayer(object, 3, layer);
        } else if (field == "layers[1].units") {
            QJsonObject layer = layerAt(object, 1);
            layer["units"] = 10;
            setLayer(object, 1, layer);
        } else if (field == "sed") {
            object["sed"] = 7;
        } else if (field == "layers[2].name") {
            QJsonObject layer = layerAt(object, 2);
            layer["name"] = "conv1";
            setLayer(object, 2, layer);
        } else if (field == "layers[0]") {
            QJsonObject input = object["input"].toObject();
            input["height"] = 3;
            input["width"] = 3;
            object["input"] = input;
        }
    });
    QVERIFY2(error.startsWith("edited.json: "), qPrintable(error));
    if (field != "layers[0]")
        QVERIFY2(error.contains(field), qPrintable(error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void ExperimentTest::unreadableFilesExplained()
{
    QTemporaryDir directory;
    const auto errorOf = [&](const QByteArray& content) -> QString {
        const QString path = directory.filePath("bad.json");
        QFile file(path);
        file.open(QIODevice::WriteOnly | QIODevice::Truncate);
        file.write(content);
        file.close();
        try {
            loadExperiment(path);
        } catch (const Error& error) {
            return error.what();
        }
        return {};
    };
    QVERIFY(errorOf("{\"format\": ").contains("invalid JSON at byte"));
    QVERIFY(errorOf("[1, 2]").contains("the top level must be a JSON object"));
    QVERIFY(errorOf("{}").contains("this is not an fxlab experiment file"));
    try {
        loadExperiment(directory.filePath("absent.json"));
        QFAIL("a missing file must fail");
    } catch (const Error& error) {
        QVERIFY2(QString(error.what()).contains("absent.json: cannot open"), error.what());
    }
}

void ExperimentTest::maxAbsChoice_data()
{
    QTest::addColumn<qulonglong>("magnitude");
    QTest::addColumn<int>("sourceFl");
    QTest::addColumn<int>("wordBits");
    QTest::addColumn<int>("expected");
    // max |x| = 1.0 in 8 bits: 127 * 2^-7 < 1, so fl 6 (range up to 1.984375).
    QTest::newRow("one") << 1ull << 0 << 8 << 6;
    QTest::newRow("0.988") << 253ull << 8 << 8 << 7;         // 253/256 <= 127/128
    QTest::newRow("0.203125") << 13ull << 6 << 8 << 9;       // 0.203125 <= 127 * 2^-9
    QTest::newRow("tiny") << 3ull << 40 << 16 << 53;         // 3 * 2^-40 <= 32767 * 2^-53
    QTest::newRow("huge clamps") << (1ull << 62) << -40 << 8 << -32;
    QTest::newRow("exact power") << 64ull << 0 << 8 << 0;    // 64 <= 127
    QTest::newRow("just above") << 128ull << 0 << 8 << -1;   // 128 > 127
}

void ExperimentTest::maxAbsChoice()
{
    QFETCH(qulonglong, magnitude);
    QFETCH(int, sourceFl);
    QFETCH(int, wordBits);
    QFETCH(int, expected);
    const auto actual = maxAbsFractionalLength(magnitude, sourceFl, wordBits);
    QVERIFY(actual.has_value());
    QCOMPARE(*actual, expected);
    // The chosen format holds the value and the next finer one does not (unless clamped).
    const double value = std::ldexp(double(magnitude), -sourceFl);
    const double maxCode = std::ldexp(1.0, wordBits - 1) - 1;
    if (*actual > FixedFormat::kMinFractionalLength) {
        QVERIFY(value <= maxCode * std::ldexp(1.0, -*actual));
        QVERIFY(value > maxCode * std::ldexp(1.0, -(*actual + 1)));
    }
    QVERIFY(!maxAbsFractionalLength(0, 0, 8).has_value());
}

void ExperimentTest::sqnrChoice()
{
    // sigma 1, 8 bits, Gaussian: step 0.0308, -log2 = 5.02, so fl 5; Laplacian 0.0548: fl 4.
    QCOMPARE(sqnrFractionalLength(1.0, 8, FractionalLengthPolicy::GaussianSqnr).value(), 5);
    QCOMPARE(sqnrFractionalLength(1.0, 8, FractionalLengthPolicy::LaplacianSqnr).value(), 4);
    // Halving sigma refines the step by one bit.
    QCOMPARE(sqnrFractionalLength(0.5, 8, FractionalLengthPolicy::GaussianSqnr).value(), 6);
    QCOMPARE(sqnrFractionalLength(1.0, 4, FractionalLengthPolicy::GaussianSqnr).value(), 2);  // 0.3352
    QVERIFY(!sqnrFractionalLength(0.0, 8, FractionalLengthPolicy::GaussianSqnr).has_value());
    QVERIFY(!sqnrFractionalLength(std::nan(""), 8, FractionalLengthPolicy::GaussianSqnr).has_value());
    // Above 8 bits the table is extrapolated with a ratio below 2 per bit.
    const double step16 = optimalUnitStep(16, FractionalLengthPolicy::GaussianSqnr);
    QVERIFY(step16 < optimalUnitStep(8, FractionalLengthPolicy::GaussianSqnr) / 100);
    QVERIFY(step16 > optimalUnitStep(8, FractionalLengthPolicy::GaussianSqnr) / 256);
}

void ExperimentTest::policySchedule()
{
    const TensorPrecision every100 = TensorPrecision::fixed(8, 0, RoundingMode::NearestEven, OverflowMode::Saturate,
                                                            FractionalLengthPolicy::MaxAbs, 100);
    QVERIFY(every100.policyDue(0));
    QVERIFY(!every100.policyDue(1));
    QVERIFY(!every100.policyDue(99));
    QVERIFY(every100.policyDue(100));
    QVERIFY(every100.policyDue(300));
    const TensorPrecision once = TensorPrecision::fixed(8, 0, RoundingMode::NearestEven, OverflowMode::Saturate,
                                                        FractionalLengthPolicy::MaxAbs, 0);
    QVERIFY(once.policyDue(0));
    QVERIFY(!once.policyDue(100));
    QVERIFY(!TensorPrecision::fixed(8, 3).policyDue(0));
    QVERIFY(!TensorPrecision::floatingPoint().policyDue(0));
}

QTEST_APPLESS_MAIN(ExperimentTest)
#include "test_experiment.moc"
