// Whole training steps on the Vulkan backend against the CPU backend. Several steps of a small
// network in fixed point give identical losses, events, parameters, formats, statistics and
// evaluations, and float training agrees within a stated tolerance. Further tests cover the
// workgroup size, a lost device with the run continued on the CPU, and the choice of backend
// without a Vulkan driver.
#include "vulkan_test_support.h"

#include "backend/backend_factory.h"
#include "backend/cpu/cpu_backend.h"
#include "backend/device_lost_error.h"
#include "backend/vulkan/vulkan_backend.h"
#include "data/dataset.h"
#include "train/trainer.h"
#include "train/training_worker.h"

#include <QSignalSpy>
#include <QTest>

#include <bit>
#include <cmath>
#include <memory>
#include <optional>

using namespace fxlab;
using namespace fxlab::testing;

namespace {

constexpr int kBatch = 5;
constexpr int kSteps = 6;
constexpr uint64_t kSeed = 9;
const Shape kImageShape{1, 12, 12};

// Every kind of layer, with padding, an odd map for the average pool and a dense stack.
NetworkSpec smallNetwork()
{
    NetworkSpec network;
    network.input = kImageShape;
    network.layers = {convolution("conv1", 4, 5, 1, 2), relu("relu1"),          maxPool("pool1"),
                      convolution("conv2", 6, 3),       relu("relu2"),          averagePool("pool2"),
                      flatten("flatten"),               dense("dense1", 10),    relu("relu3"),
                      dense("dense2", 5),               softmaxCrossEntropy("loss")};
    return network;
}

TensorPrecision maxAbs(int wordBits, RoundingMode rounding, int interval = 2)
{
    return TensorPrecision::fixed(wordBits, 0, rounding, OverflowMode::Saturate, FractionalLengthPolicy::MaxAbs,
                                  interval);
}

// The fixed8 preset's formats, with the policies choosing every other step.
PrecisionPlan fixed8Plan(const NetworkSpec& network)
{
    PrecisionPlan plan = floatPlan(network);
    plan.input = maxAbs(8, RoundingMode::NearestEven);
    for (LayerPrecision& layer : plan.layers) {
        layer[size_t(TensorKind::Weights)] = maxAbs(8, RoundingMode::NearestEven);
        layer[size_t(TensorKind::Biases)] = maxAbs(16, RoundingMode::NearestEven);
        layer[size_t(TensorKind::Activations)] = maxAbs(8, RoundingMode::NearestEven);
        layer[size_t(TensorKind::ActivationGradients)] = maxAbs(16, RoundingMode::Stochastic);
        layer[size_t(TensorKind::WeightGradients)] = maxAbs(16, RoundingMode::Stochastic);
    }
    return plan;
}

Experiment experimentFor(const QString& plan)
{
    Experiment experiment;
    experiment.name = plan.toStdString();
    experiment.network = smallNetwork();
    experiment.seed = kSeed;
    experiment.training.batchSize = kBatch;
    experiment.training.learningRate = 0.1f;
    experiment.training.weightDecay = 0.001f;
    experiment.precision = fixed8Plan(experiment.network);
    PrecisionPlan& precision = experiment.precision;

    if (plan == "fixed master weights") {
        experiment.training.fixedPointMasterWeights = true;
    } else if (plan == "sqnr policies") {
        for (LayerPrecision& layer : precision.layers) {
            layer[size_t(TensorKind::Activations)].policy = FractionalLengthPolicy::GaussianSqnr;
            layer[size_t(TensorKind::WeightGradients)].policy = FractionalLengthPolicy::LaplacianSqnr;
            layer[size_t(TensorKind::WeightGradients)].policyInterval = 3;
        }
    } else if (plan == "float above conv2") {
        // The second remedy: float activations and gradients above the bottom layers.
        for (size_t i = 3; i < precision.layers.size(); ++i)
            for (TensorKind kind : {TensorKind::Activations, TensorKind::ActivationGradients})
                precision.at(i, kind) = TensorPrecision::floatingPoint();
    } else if (plan == "4-bit saturating activations") {
        for (LayerPrecision& layer : precision.layers) {
            layer[size_t(TensorKind::Activations)] =
                TensorPrecision::fixed(4, 2, RoundingMode::Stochastic, OverflowMode::Wrap);
            layer[size_t(TensorKind::ActivationGradients)] =
                TensorPrecision::fixed(8, 8, RoundingMode::NearestAway, OverflowMode::SymmetricSaturate);
        }
    } else if (plan == "float") {
        precision = floatPlan(experiment.network);
    }
    return experiment;
}

Dataset syntheticData()
{
    return syntheticDataset(40, kImageShape, 5, 3, "synthetic");
}

// A batch of `count` samples starting at `first`, wrapping around the data set.
struct Batch {
    std::vector<float> images;
    std::vector<uint8_t> labels;

    Batch(const Dataset& data, int first, int count)
        : images(size_t(count) * data.shape.size()), labels(size_t(count))
    {
        for (int i = 0; i < count; ++i) {
            const int index = (first + i) % data.count();
            data.copyNormalized(index, images.data() + size_t(i) * data.shape.size());
            labels[size_t(i)] = data.labels[size_t(index)];
        }
    }
    BatchView view(uint32_t sampleOffset = 0) const
    {
        return {images.data(), labels.data(), int(labels.size()), sampleOffset};
    }
};

StepControl controlFor(const Experiment& experiment, uint32_t step)
{
    StepControl control;
    control.step = step;
    control.learningRate = experiment.training.learningRate;
    control.momentum = experiment.training.momentum;
    control.weightDecay = experiment.training.weightDecay;
    const PrecisionPlan& plan = experiment.precision;
    control.formatUpdates.input = plan.input.policyDue(step);
    control.formatUpdates.layers.resize(plan.layers.size());
    for (size_t i = 0; i < plan.layers.size(); ++i)
        for (TensorKind kind : kAllTensorKinds)
            control.formatUpdates.layers[i][size_t(kind)] = plan.at(i, kind).policyDue(step);
    return control;
}

// Everything a run of kSteps steps produces that the backends must agree on.
struct RunRecord {
    std::vector<StepResult> steps;
    std::vector<ModelState> states;
    Statistics statisticsWithStep;  // of the step before the last, asked for with the step
    Statistics statistics;          // of the last step, asked for after it
    EvaluationResult evaluation;
    Statistics statisticsAfterEvaluation;
};

RunRecord runSteps(Backend& backend, const Experiment& experiment, const Dataset& data)
{
    RunRecord record;
    backend.configure(experiment, initialState(experiment.network, experiment.precision, experiment.seed));
    for (uint32_t step = 0; step < kSteps; ++step) {
        const Batch batch(data, int(step) * kBatch, kBatch);
        StepControl control = controlFor(experiment, step);
        control.statistics = int(step) + 2 == kSteps;
        record.steps.push_back(backend.trainStep(batch.view(), control));
        record.states.push_back(backend.state());
        if (control.statistics)
            record.statisticsWithStep = backend.statistics();
    }
    record.statistics = backend.statistics();
    // An evaluation batch of another size, at an offset that keys its random bits.
    const Batch evaluation(data, 3, 7);
    record.evaluation = backend.evaluate(evaluation.view(3), kSteps);
    record.statisticsAfterEvaluation = backend.statistics();
    return record;
}

QString compareStepResults(const StepResult& cpu, const StepResult& device)
{
    if (std::bit_cast<uint64_t>(cpu.lossSum) != std::bit_cast<uint64_t>(device.lossSum))
        return QString("loss sum %1 on the CPU, %2 on the device").arg(cpu.lossSum, 0, 'g', 17).arg(device.lossSum, 0, 'g', 17);
    if (cpu.correct != device.correct || cpu.count != device.count)
        return QString("%1 of %2 correct on the CPU, %3 of %4 on the device")
            .arg(cpu.correct)
            .arg(cpu.count)
            .arg(device.correct)
            .arg(device.count);
    if (QString mismatch = compareEvents("input", cpu.inputEvents, device.inputEvents); !mismatch.isEmpty())
        return mismatch;
    for (size_t i = 0; i < cpu.events.size(); ++i)
        for (TensorKind kind : kAllTensorKinds)
            if (QString mismatch = compareEvents(QString("layer %1 %2").arg(i).arg(toString(kind).data()),
                                                 cpu.events[i][size_t(kind)], device.events.at(i)[size_t(kind)]);
                !mismatch.isEmpty())
                return mismatch;
    return {};
}

QString compareTensorStatistics(const QString& what, const TensorStatistics& cpu, const TensorStatistics& device)
{
    if (cpu.present != device.present || cpu.isFixed != device.isFixed)
        return QString("%1: present %2, fixed %3 on the CPU; present %4, fixed %5 on the device")
            .arg(what)
            .arg(cpu.present)
            .arg(cpu.isFixed)
            .arg(device.present)
            .arg(device.isFixed);
    if (!cpu.present)
        return {};
    if (std::bit_cast<uint32_t>(cpu.minimum) != std::bit_cast<uint32_t>(device.minimum)
        || std::bit_cast<uint32_t>(cpu.maximum) != std::bit_cast<uint32_t>(device.maximum))
        return QString("%1: range [%2, %3] on the CPU, [%4, %5] on the device")
            .arg(what)
            .arg(double(cpu.minimum))
            .arg(double(cpu.maximum))
            .arg(double(device.minimum))
            .arg(double(device.maximum));
    if (QString mismatch = compareEvents(what, cpu.events, device.events); !mismatch.isEmpty())
        return mismatch;
    if (cpu.isFixed) {
        if (!(cpu.format == device.format))
            return QString("%1: format %2 on the CPU, %3 on the device")
                .arg(what, QString::fromStdString(describe(cpu.format)), QString::fromStdString(describe(device.format)));
        return compareVectors(what + " code histogram", cpu.codes.counts, device.codes.counts);
    }
    if (cpu.values.minimum != device.values.minimum || cpu.values.maximum != device.values.maximum
        || cpu.values.notFinite != device.values.notFinite)
        return what + ": the value histograms have different ranges";
    return compareVectors(what + " value histogram", cpu.values.counts, device.values.counts);
}

QString compareStatistics(const Statistics& cpu, const Statistics& device)
{
    if (cpu.step != device.step)
        return QString("statistics of step %1 on the CPU, %2 on the device").arg(cpu.step).arg(device.step);
    if (QString mismatch = compareTensorStatistics("input", cpu.input, device.input); !mismatch.isEmpty())
        return mismatch;
    for (size_t i = 0; i < cpu.layers.size(); ++i)
        for (TensorKind kind : kAllTensorKinds)
            if (QString mismatch = compareTensorStatistics(QString("layer %1 %2").arg(i).arg(toString(kind).data()),
                                                           cpu.layers[i][size_t(kind)], device.layers.at(i)[size_t(kind)]);
                !mismatch.isEmpty())
                return mismatch;
    return {};
}

QString compareRuns(const RunRecord& cpu, const RunRecord& device)
{
    for (size_t step = 0; step < cpu.steps.size(); ++step) {
        if (QString mismatch = compareStepResults(cpu.steps[step], device.steps[step]); !mismatch.isEmpty())
            return QString("step %1: %2").arg(step).arg(mismatch);
        if (QString mismatch = compareModelStates(cpu.states[step], device.states[step]); !mismatch.isEmpty())
            return QString("state after step %1: %2").arg(step).arg(mismatch);
    }
    if (QString mismatch = compareStatistics(cpu.statisticsWithStep, device.statisticsWithStep); !mismatch.isEmpty())
        return "statistics computed with the step: " + mismatch;
    if (QString mismatch = compareStatistics(cpu.statistics, device.statistics); !mismatch.isEmpty())
        return "statistics: " + mismatch;
    if (std::bit_cast<uint64_t>(cpu.evaluation.lossSum) != std::bit_cast<uint64_t>(device.evaluation.lossSum)
        || cpu.evaluation.correct != device.evaluation.correct)
        return QString("evaluation: loss sum %1 and %2 correct on the CPU, %3 and %4 on the device")
            .arg(cpu.evaluation.lossSum, 0, 'g', 17)
            .arg(cpu.evaluation.correct)
            .arg(device.evaluation.lossSum, 0, 'g', 17)
            .arg(device.evaluation.correct);
    if (QString mismatch = compareVectors("predictions", cpu.evaluation.predictions, device.evaluation.predictions);
        !mismatch.isEmpty())
        return mismatch;
    if (QString mismatch = compareStatistics(cpu.statisticsAfterEvaluation, device.statisticsAfterEvaluation);
        !mismatch.isEmpty())
        return "statistics after evaluation: " + mismatch;
    return {};
}

VulkanBackendOptions validatedOptions(uint32_t workgroupSize = 64)
{
    VulkanBackendOptions options;
    options.validation = true;
    options.workgroupSize = workgroupSize;
    return options;
}

// Runs `body` on a Vulkan backend with validation and returns its validation messages, those of
// the backend's destruction included; empty when there were none.
template <typename Body>
QString withValidatedBackend(uint32_t workgroupSize, Body&& body)
{
    std::shared_ptr<const ValidationMessageLog> log;
    {
        VulkanBackend device(validatedOptions(workgroupSize));
        log = device.context().validationMessageLog();
        body(device);
    }
    const ValidationMessageLog::Snapshot messages = log->snapshot();
    return messages.total() == 0 ? QString() : joinValidationMessages(messages);
}

// The largest difference between two float vectors, relative to max(1, |cpu|).
double largestRelativeDifference(const std::vector<float>& cpu, const std::vector<float>& device)
{
    double largest = 0;
    for (size_t i = 0; i < cpu.size(); ++i)
        largest = std::max(largest, std::abs(double(cpu[i]) - double(device[i])) / std::max(1.0, std::abs(double(cpu[i]))));
    return largest;
}

} // namespace

class VulkanBackendTest : public QObject {
    Q_OBJECT

private slots:
    void fixedPointStepsMatchCpu_data();
    void fixedPointStepsMatchCpu();
    void workgroupSizeChangesNothing_data();
    void workgroupSizeChangesNothing();
    void floatStepsWithinTolerance();
    void precisionChangeMatchesCpu();
    void deviceLossKeepsState();
    void deviceLossPausesWorker();
    void autoChoosesByDevice();
    void explicitVulkanStarts();
    void missingDriverFallsBack();

private:
    QString runWithPrecisionChange(CpuBackend& cpu, VulkanBackend& device, Experiment experiment,
                                   const PrecisionPlan& changed, const Dataset& data);
};

void VulkanBackendTest::fixedPointStepsMatchCpu_data()
{
    QTest::addColumn<QString>("plan");
    for (const char* plan : {"fixed8", "fixed master weights", "sqnr policies", "float above conv2",
                             "4-bit saturating activations"})
        QTest::newRow(plan) << QString(plan);
}

void VulkanBackendTest::fixedPointStepsMatchCpu()
{
    QFETCH(QString, plan);
    const Experiment experiment = experimentFor(plan);
    const Dataset data = syntheticData();

    CpuBackend cpu(2);
    const RunRecord cpuRun = runSteps(cpu, experiment, data);
    RunRecord deviceRun;
    const QString messages =
        withValidatedBackend(64, [&](VulkanBackend& device) { deviceRun = runSteps(device, experiment, data); });
    const QString mismatch = compareRuns(cpuRun, deviceRun);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    QVERIFY2(messages.isEmpty(), qPrintable(messages));
}

void VulkanBackendTest::workgroupSizeChangesNothing_data()
{
    QTest::addColumn<uint32_t>("workgroupSize");
    for (uint32_t size : {1u, 7u, 32u, 256u})
        QTest::addRow("%u invocations", size) << size;
}

void VulkanBackendTest::workgroupSizeChangesNothing()
{
    QFETCH(uint32_t, workgroupSize);
    const Experiment experiment = experimentFor("fixed8");
    const Dataset data = syntheticData();

    CpuBackend cpu(1);
    const RunRecord cpuRun = runSteps(cpu, experiment, data);
    RunRecord deviceRun;
    const QString messages = withValidatedBackend(workgroupSize, [&](VulkanBackend& device) {
        deviceRun = runSteps(device, experiment, data);
    });
    const QString mismatch = compareRuns(cpuRun, deviceRun);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    QVERIFY2(messages.isEmpty(), qPrintable(messages));
}

void VulkanBackendTest::floatStepsWithinTolerance()
{
    // Float kernels add in the CPU's order with separately rounded operations, so only devices
    // that flush denormals (lavapipe does) can differ, by about the smallest normal float per
    // affected operation. The bound leaves room for such differences to grow over a few steps.
    constexpr double kTolerance = 1e-5;
    const Experiment experiment = experimentFor("float");
    const Dataset data = syntheticData();

    CpuBackend cpu(2);
    const RunRecord cpuRun = runSteps(cpu, experiment, data);
    RunRecord deviceRun;
    const QString messages =
        withValidatedBackend(64, [&](VulkanBackend& device) { deviceRun = runSteps(device, experiment, data); });
    QVERIFY2(messages.isEmpty(), qPrintable(messages));
    for (size_t step = 0; step < cpuRun.steps.size(); ++step) {
        const double cpuLoss = cpuRun.steps[step].lossSum, deviceLoss = deviceRun.steps[step].lossSum;
        QVERIFY2(std::abs(cpuLoss - deviceLoss) <= kTolerance * std::max(1.0, std::abs(cpuLoss)),
                 qPrintable(QString("step %1: loss sum %2 on the CPU, %3 on the device").arg(step).arg(cpuLoss).arg(deviceLoss)));
        QCOMPARE(deviceRun.steps[step].correct, cpuRun.steps[step].correct);
    }
    const ModelState& cpuState = cpuRun.states.back();
    const ModelState& deviceState = deviceRun.states.back();
    for (size_t i = 0; i < cpuState.layers.size(); ++i) {
        const double weights = largestRelativeDifference(cpuState.layers[i].weights, deviceState.layers[i].weights);
        const double biases = largestRelativeDifference(cpuState.layers[i].biases, deviceState.layers[i].biases);
        QVERIFY2(weights <= kTolerance, qPrintable(QString("layer %1 weights differ by %2").arg(i).arg(weights)));
        QVERIFY2(biases <= kTolerance, qPrintable(QString("layer %1 biases differ by %2").arg(i).arg(biases)));
    }
    QCOMPARE(deviceRun.evaluation.predictions, cpuRun.evaluation.predictions);
}

void VulkanBackendTest::precisionChangeMatchesCpu()
{
    // Three fixed8 steps, then manual 6-bit formats for every kind, then three more steps.
    Experiment experiment = experimentFor("fixed8");
    const Dataset data = syntheticData();
    PrecisionPlan changed = experiment.precision;
    for (LayerPrecision& layer : changed.layers)
        for (TensorPrecision& precision : layer)
            precision = TensorPrecision::fixed(6, 3, RoundingMode::NearestEven);
    changed.input = TensorPrecision::fixed(6, 5);

    CpuBackend cpu(2);
    cpu.configure(experiment, initialState(experiment.network, experiment.precision, experiment.seed));
    QString mismatch;
    const QString messages = withValidatedBackend(64, [&](VulkanBackend& device) {
        device.configure(experiment, initialState(experiment.network, experiment.precision, experiment.seed));
        mismatch = runWithPrecisionChange(cpu, device, experiment, changed, data);
    });
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    QVERIFY2(messages.isEmpty(), qPrintable(messages));
}

// Six steps on both backends, switching both to `changed` before the fourth; empty when the
// results and states stay identical, else the first difference.
QString VulkanBackendTest::runWithPrecisionChange(CpuBackend& cpu, VulkanBackend& device, Experiment experiment,
                                                  const PrecisionPlan& changed, const Dataset& data)
{
    for (uint32_t step = 0; step < 6; ++step) {
        if (step == 3) {
            cpu.setPrecision(changed);
            device.setPrecision(changed);
            experiment.precision = changed;
            if (QString mismatch = compareModelStates(cpu.state(), device.state()); !mismatch.isEmpty())
                return "after the change: " + mismatch;
        }
        const Batch batch(data, int(step) * kBatch, kBatch);
        const StepResult cpuResult = cpu.trainStep(batch.view(), controlFor(experiment, step));
        const StepResult deviceResult = device.trainStep(batch.view(), controlFor(experiment, step));
        if (QString mismatch = compareStepResults(cpuResult, deviceResult); !mismatch.isEmpty())
            return QString("step %1: %2").arg(step).arg(mismatch);
        if (QString mismatch = compareModelStates(cpu.state(), device.state()); !mismatch.isEmpty())
            return QString("state after step %1: %2").arg(step).arg(mismatch);
    }
    return {};
}

void VulkanBackendTest::deviceLossKeepsState()
{
    Experiment experiment = experimentFor("fixed8");
    experiment.training.steps = 8;
    experiment.training.logEvery = 2;
    auto data = std::make_shared<DatasetPair>();
    data->train = syntheticData();
    data->test = syntheticDataset(9, kImageShape, 5, 4, "synthetic test");

    Trainer reference(experiment, data, std::make_unique<CpuBackend>(1));
    while (!reference.finished())
        reference.step();

    auto device = std::make_unique<VulkanBackend>(validatedOptions());
    device->injectDeviceLost(4);
    VulkanBackend* lost = device.get();
    const std::shared_ptr<const ValidationMessageLog> log = device->context().validationMessageLog();
    Trainer trainer(experiment, data, std::move(device));
    std::optional<DeviceLostError> error;
    try {
        while (!trainer.finished())
            trainer.step();
    } catch (const DeviceLostError& thrown) {
        error = thrown;
    }
    QVERIFY2(error.has_value(), "the injected device loss did not throw DeviceLostError");
    QCOMPARE(error->step(), 4u);
    QCOMPARE(trainer.stepsDone(), 4u);
    QVERIFY(lost->deviceLost());
    const std::string pause = trainer.describePause(*error);
    QVERIFY2(pause.find("lost during training step 5") != std::string::npos, pause.c_str());
    QVERIFY2(pause.find("paused at step 4 with its parameters kept") != std::string::npos, pause.c_str());

    // The lost backend refuses to go on, but its state is that of step 4.
    QVERIFY_THROWS_EXCEPTION(DeviceLostError, trainer.step());
    QVERIFY(lost->statistics().layers.size() <= experiment.network.layers.size());
    Trainer fourSteps(experiment, data, std::make_unique<CpuBackend>(1));
    for (int step = 0; step < 4; ++step)
        fourSteps.step();
    const QString kept = compareModelStates(fourSteps.backend().state(), trainer.backend().state());
    QVERIFY2(kept.isEmpty(), qPrintable(kept));

    // Continued on the CPU, the run ends exactly where an uninterrupted CPU run does.
    trainer.replaceBackend(std::make_unique<CpuBackend>(1));
    const ValidationMessageLog::Snapshot messages = log->snapshot();
    QVERIFY2(messages.total() == 0, qPrintable(joinValidationMessages(messages)));
    while (!trainer.finished())
        trainer.step();
    const QString final = compareModelStates(reference.backend().state(), trainer.backend().state());
    QVERIFY2(final.isEmpty(), qPrintable(final));
    QCOMPARE(trainer.history().rows().size(), reference.history().rows().size());
    QCOMPARE(trainer.history().rows().back().trainLoss, reference.history().rows().back().trainLoss);
}

void VulkanBackendTest::deviceLossPausesWorker()
{
    const ScopedEnvironment fault(kFaultVariable, "device-lost:3");
    Experiment experiment = experimentFor("fixed8");
    experiment.training.steps = 6;
    auto data = std::make_shared<DatasetPair>();
    data->train = syntheticData();
    data->test = syntheticDataset(9, kImageShape, 5, 4, "synthetic test");

    TrainingWorker worker;
    SnapshotPointer latest;
    connect(&worker, &TrainingWorker::snapshotReady, this, [&](SnapshotPointer snapshot) { latest = snapshot; });
    BackendChoice choice;
    choice.name = "vulkan";
    worker.setData(data);
    worker.setExperiment(experiment, choice);
    worker.start();
    QTRY_VERIFY_WITH_TIMEOUT(latest && latest->state != RunState::Running, 60000);
    QVERIFY2(latest->state == RunState::Paused, toString(latest->state).data());
    QCOMPARE(latest->step, 2u);
    QVERIFY2(QString::fromStdString(latest->message).contains("lost during training step 3"), latest->message.c_str());
    QVERIFY2(QString::fromStdString(latest->message).contains("switch to the CPU backend"), latest->message.c_str());

    choice.name = "cpu";
    worker.switchBackend(choice);
    QCOMPARE(latest->backend, std::string("cpu"));
    QCOMPARE(latest->step, 2u);
    worker.start();
    QTRY_VERIFY_WITH_TIMEOUT(latest->state == RunState::Finished, 60000);
    QCOMPARE(latest->step, 6u);
}

void VulkanBackendTest::autoChoosesByDevice()
{
    // "auto" takes a real GPU and never a CPU device such as lavapipe.
    bool hasGpu = false;
    for (const VulkanDeviceInfo& device : listVulkanDevices())
        hasGpu = hasGpu
            || ((device.type == VulkanDeviceType::Discrete || device.type == VulkanDeviceType::Integrated)
                && device.unsupportedReason.empty());
    const CreatedBackend created = createBackend(BackendChoice{});
    QCOMPARE(created.backend->name(), std::string(hasGpu ? "vulkan" : "cpu"));
    if (!hasGpu)
        QVERIFY2(created.explanation.find("no usable GPU") != std::string::npos, created.explanation.c_str());
    QCOMPARE(describeAutomaticChoice().substr(0, 3), created.explanation.substr(0, 3));
}

void VulkanBackendTest::explicitVulkanStarts()
{
    BackendChoice choice;
    choice.name = "vulkan";
    const CreatedBackend created = createBackend(choice);
    QCOMPARE(created.backend->name(), std::string("vulkan"));
    QVERIFY2(created.explanation.find("as requested") != std::string::npos, created.explanation.c_str());

    choice.device = 99;
    try {
        createBackend(choice);
        QFAIL("a device index out of range was accepted");
    } catch (const Error& error) {
        QVERIFY2(std::string(error.what()).find("index 99 is out of range") != std::string::npos, error.what());
    }
}

void VulkanBackendTest::missingDriverFallsBack()
{
    // A driver list that names only a missing file leaves the loader without any driver.
    const QByteArray missingDriver = "/nonexistent/fxlab-test-no-driver.json";
    const ScopedEnvironment driverFiles("VK_DRIVER_FILES", missingDriver);
    const ScopedEnvironment icdFiles("VK_ICD_FILENAMES", missingDriver);

    const CreatedBackend automatic = createBackend(BackendChoice{});
    QCOMPARE(automatic.backend->name(), std::string("cpu"));
    QVERIFY2(automatic.explanation.find("no Vulkan driver found") != std::string::npos, automatic.explanation.c_str());

    BackendChoice choice;
    choice.name = "vulkan";
    try {
        createBackend(choice);
        QFAIL("the Vulkan backend started without a driver");
    } catch (const Error& error) {
        const std::string message = error.what();
        QVERIFY2(message.find("the Vulkan backend cannot start") != std::string::npos, error.what());
        QVERIFY2(message.find("no Vulkan driver found") != std::string::npos, error.what());
    }
}

QTEST_GUILESS_MAIN(VulkanBackendTest)
#include "test_vulkan_backend.moc"
