// The trainer on real and synthetic data: accuracy after one epoch, determinism across thread
// counts, NaN reporting, precision changes and the bounded history.
#include "backend/cpu/cpu_backend.h"
#include "data/dataset.h"
#include "model/presets.h"
#include "train/run_files.h"
#include "train/trainer.h"

#include <QTest>

using namespace fxlab;

namespace {

constexpr const char* kFashionMnist = "/usr/share/datasets/fashion-mnist";

std::shared_ptr<const DatasetPair> syntheticData()
{
    const Shape shape{1, 28, 28};
    return std::make_shared<const DatasetPair>(
        DatasetPair{syntheticDataset(640, shape, 10, 1, "synthetic train"), syntheticDataset(200, shape, 10, 2, "synthetic test")});
}

Experiment preset(const std::string& name, int steps)
{
    Experiment experiment = *presetExperiment(name);
    experiment.training.steps = steps;
    return experiment;
}

// Runs `experiment` to the end and returns its metrics as CSV text.
std::string runToCsv(Trainer& trainer)
{
    std::string csv = MetricsCsvWriter::header(trainer.experiment().network) + "\n";
    while (!trainer.finished())
        if (const auto row = trainer.step())
            csv += MetricsCsvWriter::format(*row, trainer.experiment().network) + "\n";
    return csv;
}

// The CPU backend, recording for which training steps statistics were requested.
class StatisticsRequestSpy : public CpuBackend {
public:
    StatisticsRequestSpy() : CpuBackend(1) {}
    StepResult trainStep(const BatchView& batch, const StepControl& control) override
    {
        requested.push_back(control.statistics);
        return CpuBackend::trainStep(batch, control);
    }
    std::vector<bool> requested;  // one per step
};

} // namespace

class TrainingTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void oneEpochOnFashionMnist();
    void resultsIgnoreThreadCount();
    void nanStopsWithLayerName();
    void precisionChangeChoosesAgain();
    void historyThinsOldRows();
    void batchLargerThanDataRejected();
    void statisticsRequestedWhenRead();

private:
    std::shared_ptr<const DatasetPair> fashion_;
};

void TrainingTest::initTestCase()
{
    // The README's setup installs dataset-fashion-mnist; without it this test must fail, not skip.
    fashion_ = std::make_shared<const DatasetPair>(loadIdxDirectory(kFashionMnist));
}

void TrainingTest::oneEpochOnFashionMnist()
{
    Experiment floatRun = *presetExperiment("float");
    Experiment fixedRun = *presetExperiment("fixed8");
    floatRun.training.logEvery = fixedRun.training.logEvery = 1000;

    Trainer floatTrainer(floatRun, fashion_, std::make_unique<CpuBackend>());
    runToCsv(floatTrainer);
    Trainer fixedTrainer(fixedRun, fashion_, std::make_unique<CpuBackend>());
    runToCsv(fixedTrainer);

    QCOMPARE(floatTrainer.stepsDone(), 937u);
    const double floatAccuracy = floatTrainer.lastTestAccuracy().value();
    const double fixedAccuracy = fixedTrainer.lastTestAccuracy().value();
    qInfo("after one epoch: float %.2f %%, fixed8 %.2f %%", 100 * floatAccuracy, 100 * fixedAccuracy);
    QVERIFY2(floatAccuracy >= 0.80, qPrintable(QString("float reached %1").arg(floatAccuracy)));
    QVERIFY2(fixedAccuracy >= floatAccuracy - 0.02,
             qPrintable(QString("fixed8 reached %1, float %2").arg(fixedAccuracy).arg(floatAccuracy)));
}

void TrainingTest::resultsIgnoreThreadCount()
{
    // fixed8 uses stochastic rounding and data-driven formats: everything that could depend on
    // the order of work. 120 steps include a policy update at step 100.
    const Experiment experiment = preset("fixed8", 120);
    Trainer single(experiment, fashion_, std::make_unique<CpuBackend>(1));
    Trainer triple(experiment, fashion_, std::make_unique<CpuBackend>(3));
    const std::string singleCsv = runToCsv(single);
    const std::string tripleCsv = runToCsv(triple);
    QCOMPARE(QString::fromStdString(tripleCsv), QString::fromStdString(singleCsv));
    QVERIFY(triple.backend().state() == single.backend().state());

    // A different seed must change the run, or the comparison above proves nothing.
    Experiment reseeded = experiment;
    reseeded.seed = 2;
    Trainer other(reseeded, fashion_, std::make_unique<CpuBackend>(1));
    QVERIFY(runToCsv(other) != singleCsv);
}

void TrainingTest::nanStopsWithLayerName()
{
    Experiment experiment = preset("float", 200);
    // One step makes conv1 weights near 1e27; conv2 then overflows to infinity.
    experiment.training.learningRate = 1e30f;
    Trainer trainer(experiment, syntheticData(), std::make_unique<CpuBackend>(1));
    bool stopped = false;
    try {
        while (!trainer.finished())
            trainer.step();
    } catch (const TrainingError& error) {
        stopped = true;
        const QString message = error.what();
        qInfo("%s", error.what());
        QVERIFY2(message.startsWith("step "), qPrintable(message));
        QVERIFY2(message.contains("NaN") || message.contains("infinite"), qPrintable(message));
        QVERIFY2(message.contains("learning rate"), qPrintable(message));
        QVERIFY2(message.contains("the first tensor with NaN or infinity is conv2 activations"), qPrintable(message));
    }
    QVERIFY2(stopped, "a learning rate of 1e30 must make the loss non-finite");
    QVERIFY(!trainer.finished());
}

void TrainingTest::precisionChangeChoosesAgain()
{
    Experiment experiment = preset("fixed8", 30);
    experiment.training.logEvery = 1;
    Trainer trainer(experiment, syntheticData(), std::make_unique<CpuBackend>(1));
    for (int i = 0; i < 10; ++i)
        trainer.step();
    const int weightsBefore = trainer.backend().state().layers[0].fractionalLengths[size_t(TensorKind::Weights)];

    // Four more word bits: max-abs must pick a fractional length four larger at the next step,
    // long before its 100-step interval comes round.
    PrecisionPlan plan = trainer.experiment().precision;
    plan.at(0, TensorKind::Weights).spec.format.wordBits = 12;
    trainer.setPrecision(plan);
    trainer.step();
    const int weightsAfter = trainer.backend().state().layers[0].fractionalLengths[size_t(TensorKind::Weights)];
    QCOMPARE(weightsAfter, weightsBefore + 4);
    QCOMPARE(trainer.experiment().precision.at(0, TensorKind::Weights).spec.format.wordBits, 12);

    // A manual format takes effect at once, for activations as for weights.
    plan.at(0, TensorKind::Activations) = TensorPrecision::fixed(8, 3);
    trainer.setPrecision(plan);
    QCOMPARE(trainer.backend().state().layers[0].fractionalLengths[size_t(TensorKind::Activations)], 3);
    trainer.step();
    const TensorStatistics activations = trainer.backend().statistics().layers[0][size_t(TensorKind::Activations)];
    QCOMPARE(activations.format.fractionalLength, 3);
    QCOMPARE(activations.format.wordBits, 8);

    // An invalid plan is rejected with the layer and tensor named, and nothing changes.
    plan.at(3, TensorKind::Activations).spec.format.wordBits = 40;
    try {
        trainer.setPrecision(plan);
        QFAIL("a 40-bit word must be rejected");
    } catch (const Error& error) {
        QVERIFY2(QString(error.what()).contains("conv2"), error.what());
        QVERIFY2(QString(error.what()).contains("word bits 40"), error.what());
    }
    QCOMPARE(trainer.experiment().precision.at(3, TensorKind::Activations).spec.format.wordBits, 8);
}

void TrainingTest::historyThinsOldRows()
{
    RunHistory history(100);
    for (uint32_t step = 1; step <= 1000; ++step) {
        MetricsRow row;
        row.step = step;
        if (step % 250 == 0)
            row.testAccuracy = 0.5;
        history.append(row);
    }
    const auto& rows = history.rows();
    QVERIFY(rows.size() <= 100);
    QVERIFY(rows.size() >= 50);
    // The start and the end of the run are both still there, and every evaluated row.
    QCOMPARE(rows.front().step, 1u);
    QCOMPARE(rows.back().step, 1000u);
    int evaluated = 0;
    for (const MetricsRow& row : rows)
        evaluated += row.testAccuracy.has_value();
    QCOMPARE(evaluated, 4);
    // Older rows are sparser than recent ones.
    QVERIFY(rows[1].step - rows[0].step > rows.back().step - rows[rows.size() - 2].step);
}

void TrainingTest::batchLargerThanDataRejected()
{
    Experiment experiment = preset("float", 5);
    experiment.training.batchSize = 1000;
    try {
        Trainer trainer(experiment, syntheticData(), std::make_unique<CpuBackend>(1));
        QFAIL("a batch larger than the data set must be rejected");
    } catch (const Error& error) {
        QVERIFY2(QString(error.what()).contains("batch size 1000"), error.what());
    }
}

void TrainingTest::statisticsRequestedWhenRead()
{
    // 640 samples make 10 steps an epoch. Rows come every 4 steps, and the test evaluations after
    // steps 10 and 12 (the last) replace the statistics, so none are requested for those steps.
    Experiment experiment = preset("fixed8", 12);
    experiment.training.logEvery = 4;
    auto spy = std::make_unique<StatisticsRequestSpy>();
    const StatisticsRequestSpy* backend = spy.get();
    Trainer trainer(experiment, syntheticData(), std::move(spy));
    trainer.setStatisticsAtRows(true);
    for (int completed = 1; completed <= 12; ++completed) {
        if (completed == 1 || completed == 10)
            trainer.requestStatistics();
        trainer.step();
    }
    const std::vector<bool> expected{true, false, false, true, false, false, false, true, false, false, false, false};
    QCOMPARE(backend->requested, expected);
}

QTEST_GUILESS_MAIN(TrainingTest)
#include "test_training.moc"
