// The fxlab window driven offscreen: training on a small synthetic data set, pause, precision
// edits through the table model and its editor, rejected edits, resume, reset, a failing run,
// the unattended screenshot and the command line.
#include "backend_selector.h"
#include "command_line_options.h"
#include "histogram_view.h"
#include "layer_table_model.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "run_status_bar.h"
#include "training_plots.h"
#include "unattended_run.h"

#include "data/dataset.h"
#include "model/presets.h"

#include <QAction>
#include <QImageReader>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace fxlab;
using namespace fxlab::gui;
using namespace fxlab::gui::test;

namespace {

constexpr int kConvolutionLayer = 0;
constexpr int kDenseLayer = 4;

// conv 3x3x4, ReLU, max-pool, flatten, dense 4 and softmax cross-entropy on 1x8x8 samples, so
// steps are cheap. The convolution weights are 8-bit with a max-abs fractional length, the dense
// weights 8-bit with a manual one, and every other tensor is 16-bit.
Experiment tinyExperiment()
{
    Experiment experiment;
    experiment.name = "tiny synthetic";
    experiment.network = tinyNetwork();
    experiment.precision = floatPlan(experiment.network);
    for (size_t layer = 0; layer < experiment.network.layers.size(); ++layer)
        for (TensorKind kind : kAllTensorKinds)
            experiment.precision.at(layer, kind) =
                TensorPrecision::fixed(16, 0, RoundingMode::NearestEven, OverflowMode::Saturate,
                                       FractionalLengthPolicy::MaxAbs, 50);
    experiment.precision.at(kConvolutionLayer, TensorKind::Weights) = TensorPrecision::fixed(
        8, 0, RoundingMode::NearestEven, OverflowMode::Saturate, FractionalLengthPolicy::MaxAbs, 50);
    experiment.precision.at(kDenseLayer, TensorKind::Weights) = TensorPrecision::fixed(8, 6);

    experiment.training.batchSize = 16;
    experiment.training.steps = 1'000'000;  // never finishes during the test
    experiment.training.logEvery = 2;
    return experiment;
}

int planWordBits(const MainWindow& window, size_t layer, TensorKind kind)
{
    return window.latestSnapshot() ? window.latestSnapshot()->experiment.precision.at(layer, kind).spec.format.wordBits
                                   : 0;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void startDrawsCurves();
    void pauseStopsSteps();
    void wordBitsEditApplies();
    void editorCommitsFormat();
    void invalidEditRejected_data();
    void invalidEditRejected();
    void resumeUsesNewFormat();
    void histogramMergesWideFormats();
    void resetClearsRun();

    void failedRunShowsMessage();
    void unattendedRunSavesScreenshot();
    void unwritableScreenshotFails();
    void lostDeviceEndsUnattendedRun();
    void commandLineOptions_data();
    void commandLineOptions();

private:
    QModelIndex cell(int layer, TensorKind kind) const;

    std::unique_ptr<MainWindow> window_;
    uint32_t pausedStep_ = 0;
};

QModelIndex TestMainWindow::cell(int layer, TensorKind kind) const
{
    return window_->layerTableModel()->indexOf(layer, kind);
}

void TestMainWindow::initTestCase()
{
    window_ = std::make_unique<MainWindow>();
    window_->setErrorDialogsEnabled(false);
    window_->loadExperiment(tinyExperiment(), cpuBackend());
    window_->setTrainingData(syntheticData(11));
    window_->show();
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot() != nullptr, kTimeoutMilliseconds);
    QCOMPARE(window_->layerTableModel()->rowCount(), 7);  // the input and six layers
}

void TestMainWindow::cleanupTestCase()
{
    window_.reset();
}

void TestMainWindow::startDrawsCurves()
{
    QCOMPARE(window_->trainingPlots()->trainLossPointCount(), 0);
    trigger(*window_, "startAction");

    QTRY_VERIFY_WITH_TIMEOUT(window_->trainingPlots()->trainLossPointCount() > 0, kTimeoutMilliseconds);
    QTRY_VERIFY_WITH_TIMEOUT(window_->trainingPlots()->trainAccuracyPointCount() > 0, kTimeoutMilliseconds);
    // The 256 training samples make 16 steps an epoch, and every epoch ends with a test evaluation.
    QTRY_VERIFY_WITH_TIMEOUT(window_->trainingPlots()->testAccuracyPointCount() > 0, kTimeoutMilliseconds);
    QCOMPARE(window_->latestSnapshot()->backend, std::string("cpu"));
}

void TestMainWindow::pauseStopsSteps()
{
    trigger(*window_, "pauseAction");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(*window_), "paused", kTimeoutMilliseconds);
    pausedStep_ = stepOf(*window_);
    QVERIFY(pausedStep_ > 0);

    QTest::qWait(200);
    QCOMPARE(stepOf(*window_), pausedStep_);
    QCOMPARE(window_->findChild<QAction*>("startAction")->text(), QString("Resume"));
    QVERIFY(!window_->findChild<QAction*>("pauseAction")->isEnabled());
}

void TestMainWindow::wordBitsEditApplies()
{
    LayerTableModel* model = window_->layerTableModel();
    const QModelIndex weights = cell(kConvolutionLayer, TensorKind::Weights);
    QSignalSpy edits(model, &LayerTableModel::precisionEdited);

    QVERIFY(model->setData(weights, 6, LayerTableModel::WordBitsRole));
    QCOMPARE(edits.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(planWordBits(*window_, kConvolutionLayer, TensorKind::Weights), 6,
                              kTimeoutMilliseconds);

    QCOMPARE(model->data(weights, LayerTableModel::WordBitsRole).toInt(), 6);
    QVERIFY2(model->data(weights).toString().startsWith("6-bit"), qPrintable(model->data(weights).toString()));
    QCOMPARE(stateOf(*window_), QString("paused"));
    QCOMPARE(stepOf(*window_), pausedStep_);
    QCOMPARE(window_->latestSnapshot()->message, std::string("precision changed"));
}

void TestMainWindow::editorCommitsFormat()
{
    const QModelIndex weights = cell(kDenseLayer, TensorKind::Weights);
    window_->layerTable()->setCurrentIndex(weights);
    QTest::keyClick(window_->layerTable(), Qt::Key_Return);  // opens the precision editor
    auto* wordBits = window_->findChild<QSpinBox*>("wordBitsEditor");
    auto* fractionalLength = window_->findChild<QSpinBox*>("fractionalLengthEditor");
    QVERIFY(wordBits);
    QVERIFY(fractionalLength);
    QCOMPARE(wordBits->value(), 8);
    QCOMPARE(fractionalLength->value(), 6);
    QVERIFY2(fractionalLength->isEnabled(), "the dense weights use the manual policy");

    wordBits->setValue(7);
    fractionalLength->setValue(5);
    QTest::keyClick(wordBits, Qt::Key_Return);

    QTRY_COMPARE_WITH_TIMEOUT(planWordBits(*window_, kDenseLayer, TensorKind::Weights), 7, kTimeoutMilliseconds);
    const TensorPrecision& dense = window_->latestSnapshot()->experiment.precision.at(kDenseLayer, TensorKind::Weights);
    QCOMPARE(dense.spec.format.fractionalLength, 5);
    QCOMPARE(QString::fromLatin1(toString(dense.policy)), QString("manual"));
    QTRY_VERIFY(!window_->findChild<QSpinBox*>("wordBitsEditor"));
}

void TestMainWindow::invalidEditRejected_data()
{
    QTest::addColumn<int>("layer");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("role");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("reason");

    const int weights = int(TensorKind::Weights);
    QTest::newRow("word bits 40") << kConvolutionLayer << weights << int(LayerTableModel::WordBitsRole)
                                  << QVariant(40) << "word bits 40 is out of range: use 2 to 32";
    QTest::newRow("word bits 1") << kDenseLayer << weights << int(LayerTableModel::WordBitsRole) << QVariant(1)
                                 << "word bits 1 is out of range: use 2 to 32";
    QTest::newRow("word bits not a number") << kDenseLayer << weights << int(LayerTableModel::WordBitsRole)
                                            << QVariant("eight") << "must be a whole number";
    QTest::newRow("fractional length 100") << kDenseLayer << weights << int(LayerTableModel::FractionalLengthRole)
                                           << QVariant(100) << "fractional length 100 is out of range: use -32 to 64";
    QTest::newRow("fractional length under max-abs")
        << kConvolutionLayer << weights << int(LayerTableModel::FractionalLengthRole) << QVariant(3)
        << "chosen by the max-abs policy";
    QTest::newRow("unknown rounding") << kDenseLayer << weights << int(LayerTableModel::RoundingRole)
                                      << QVariant("upward") << "unknown rounding mode \"upward\": use one of";
    QTest::newRow("layer without weights") << 1 << weights << int(LayerTableModel::WordBitsRole) << QVariant(8)
                                           << "relu1 has no weights";
}

void TestMainWindow::invalidEditRejected()
{
    QFETCH(int, layer);
    QFETCH(int, kind);
    QFETCH(int, role);
    QFETCH(QVariant, value);
    QFETCH(QString, reason);

    LayerTableModel* model = window_->layerTableModel();
    const PrecisionPlan before = model->plan();
    QSignalSpy rejections(model, &LayerTableModel::editRejected);
    QSignalSpy edits(model, &LayerTableModel::precisionEdited);

    QVERIFY(!model->setData(cell(layer, TensorKind(kind)), value, role));
    QCOMPARE(rejections.count(), 1);
    QCOMPARE(edits.count(), 0);
    const QString message = rejections.first().first().toString();
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(window_->runStatusBar()->messageText().contains(reason),
             qPrintable(window_->runStatusBar()->messageText()));
    QVERIFY(model->plan() == before);
}

void TestMainWindow::resumeUsesNewFormat()
{
    trigger(*window_, "startAction");
    QTRY_VERIFY_WITH_TIMEOUT(stepOf(*window_) > pausedStep_ + 10, kTimeoutMilliseconds);

    // The histogram of 6-bit weights has one bar per code: 64.
    window_->layerTable()->setCurrentIndex(cell(kConvolutionLayer, TensorKind::Weights));
    QCOMPARE(window_->histogramView()->layer(), kConvolutionLayer);
    QCOMPARE(int(window_->histogramView()->kind()), int(TensorKind::Weights));
    QTRY_COMPARE_WITH_TIMEOUT(window_->histogramView()->barCount(), 64, kTimeoutMilliseconds);
    QVERIFY2(window_->histogramView()->xAxisLabel().contains("one bar per code"),
             qPrintable(window_->histogramView()->xAxisLabel()));
    QVERIFY(!window_->latestSnapshot()->precisionChanges.empty());
}

void TestMainWindow::histogramMergesWideFormats()
{
    // 16-bit activations have 65,536 codes: 256 bars of 256 codes each.
    window_->layerTable()->setCurrentIndex(cell(kConvolutionLayer, TensorKind::Activations));
    QCOMPARE(int(window_->histogramView()->kind()), int(TensorKind::Activations));
    QTRY_COMPARE_WITH_TIMEOUT(window_->histogramView()->barCount(), 256, kTimeoutMilliseconds);
    QVERIFY2(window_->histogramView()->xAxisLabel().contains("each bar: 256 codes"),
             qPrintable(window_->histogramView()->xAxisLabel()));
}

void TestMainWindow::resetClearsRun()
{
    trigger(*window_, "resetAction");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(*window_), "idle", kTimeoutMilliseconds);
    QCOMPARE(stepOf(*window_), 0u);
    QCOMPARE(window_->trainingPlots()->trainLossPointCount(), 0);
    QCOMPARE(window_->trainingPlots()->trainAccuracyPointCount(), 0);
    QCOMPARE(window_->trainingPlots()->testAccuracyPointCount(), 0);
    QCOMPARE(window_->histogramView()->barCount(), 0);
    // The edited precision belongs to the experiment, so it outlives the run.
    QCOMPARE(planWordBits(*window_, kConvolutionLayer, TensorKind::Weights), 6);
}

void TestMainWindow::failedRunShowsMessage()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    Experiment experiment = tinyExperiment();
    experiment.network.input = {1, 9, 9};  // the data has 1x8x8 samples
    window.loadExperiment(experiment, cpuBackend());
    window.setTrainingData(syntheticData(11));
    window.start();

    QTRY_COMPARE_WITH_TIMEOUT(stateOf(window), "failed", kTimeoutMilliseconds);
    const QString message = window.runStatusBar()->messageText();
    QVERIFY2(message.contains("expects inputs of 1x9x9"), qPrintable(message));
    QVERIFY(!window.findChild<QAction*>("startAction")->isEnabled());
    QVERIFY(window.findChild<QAction*>("resetAction")->isEnabled());
}

void TestMainWindow::unattendedRunSavesScreenshot()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString file = folder.filePath("window.png");

    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.loadExperiment(tinyExperiment(), cpuBackend());
    window.setTrainingData(syntheticData(11));
    window.setStopAfter(7);
    auto* unattended = new UnattendedRun(&window, 7, file, false);
    window.show();
    window.start();

    QTRY_VERIFY_WITH_TIMEOUT(unattended->done(), kTimeoutMilliseconds);
    QCOMPARE(unattended->exitStatus(), 0);
    QCOMPARE(stepOf(window), 7u);
    QCOMPARE(stateOf(window), QString("paused"));
    const QImage image = QImageReader(file).read();
    QVERIFY2(!image.isNull(), qPrintable(file));
    QCOMPARE(image.size(), window.size());
}

void TestMainWindow::unwritableScreenshotFails()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.loadExperiment(tinyExperiment(), cpuBackend());
    window.setTrainingData(syntheticData(11));
    window.setStopAfter(1);
    auto* unattended = new UnattendedRun(&window, 1, "/nonexistent-folder/window.png", false);
    window.show();
    window.start();

    QTRY_VERIFY_WITH_TIMEOUT(unattended->done(), kTimeoutMilliseconds);
    QCOMPARE(unattended->exitStatus(), 1);
}

void TestMainWindow::lostDeviceEndsUnattendedRun()
{
    // The Vulkan backend reads the fault when it is created, at the start of the run.
    qputenv("FXLAB_VULKAN_FAULT", "device-lost:3");
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    BackendChoice vulkan;
    vulkan.name = "vulkan";
    vulkan.device = 0;
    window.loadExperiment(tinyExperiment(), vulkan);
    window.setTrainingData(syntheticData(11));
    window.setStopAfter(7);
    auto* unattended = new UnattendedRun(&window, 7, QString(), false);
    window.show();
    window.start();

    // An unattended run cannot switch the backend, so it ends with a failure.
    QTRY_VERIFY_WITH_TIMEOUT(unattended->done(), kTimeoutMilliseconds);
    qunsetenv("FXLAB_VULKAN_FAULT");
    QCOMPARE(unattended->exitStatus(), 1);
    QCOMPARE(stateOf(window), QString("paused"));
    QCOMPARE(stepOf(window), 2u);
    QVERIFY(window.latestSnapshot()->deviceLost);
    const QString message = window.runStatusBar()->messageText();
    QVERIFY2(message.contains("device was lost during training step 3"), qPrintable(message));
    QVERIFY2(message.contains("switch to the CPU backend"), qPrintable(message));

    // Choosing the CPU in the toolbar goes on from the kept state at step 2.
    auto* selector = window.findChild<BackendSelector*>();
    QVERIFY(selector);
    QCOMPARE(selector->itemText(1), QString("CPU"));
    selector->setCurrentIndex(1);
    emit selector->activated(1);
    QTRY_VERIFY_WITH_TIMEOUT(!window.latestSnapshot()->deviceLost, kTimeoutMilliseconds);
    QCOMPARE(stepOf(window), 2u);
    QCOMPARE(window.latestSnapshot()->backend, std::string("cpu"));
    window.start();
    QTRY_COMPARE_WITH_TIMEOUT(stepOf(window), 7u, kTimeoutMilliseconds);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(window), QString("paused"), kTimeoutMilliseconds);
}

void TestMainWindow::commandLineOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitStatus");
    QTest::addColumn<QString>("output");  // a part of the printed text; empty when options come back

    QTest::newRow("no options") << QStringList{} << 0 << "";
    QTest::newRow("every option") << QStringList{"--preset", "fixed16", "--backend", "cpu", "--data", "/tmp/data",
                                                 "--autostart", "--steps", "150", "--screenshot", "/tmp/a.png",
                                                 "--quit"}
                                  << 0 << "";
    QTest::newRow("help") << QStringList{"--help"} << 0 << "--screenshot <FILE>";
    QTest::newRow("unknown option") << QStringList{"--speed", "3"} << 2 << "Unknown option 'speed'";
    QTest::newRow("missing value") << QStringList{"--steps"} << 2 << "Missing value after '--steps'";
    QTest::newRow("steps zero") << QStringList{"--steps", "0"} << 2 << "--steps must be a whole number above 0";
    QTest::newRow("steps not a number") << QStringList{"--steps", "many"} << 2 << "not \"many\"";
    QTest::newRow("unknown preset") << QStringList{"--preset", "fixed3"} << 2 << "unknown preset \"fixed3\"";
    QTest::newRow("preset and experiment") << QStringList{"--preset", "fixed8", "--experiment", "a.json"} << 2
                                           << "either --preset or --experiment";
    QTest::newRow("unknown backend") << QStringList{"--backend", "tpu"} << 2 << "unknown backend \"tpu\"";
    QTest::newRow("positional argument") << QStringList{"fixed8"} << 2 << "unexpected argument \"fixed8\"";
}

void TestMainWindow::commandLineOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitStatus);
    QFETCH(QString, output);

    const ParsedCommandLine parsed = parseCommandLine(QStringList{"fxlab"} + arguments);
    QCOMPARE(parsed.exitStatus, exitStatus);
    QVERIFY2(parsed.output.contains(output), qPrintable(parsed.output));
    QCOMPARE(parsed.options.has_value(), output.isEmpty());
    if (!parsed.options || arguments.isEmpty())
        return;

    const GuiOptions& options = *parsed.options;
    QCOMPARE(options.preset, QString("fixed16"));
    QCOMPARE(options.backend, QString("cpu"));
    QCOMPARE(options.dataDirectory, QString("/tmp/data"));
    QVERIFY(options.autostart);
    QCOMPARE(options.steps, 150u);
    QCOMPARE(options.screenshotFile, QString("/tmp/a.png"));
    QVERIFY(options.quit);
    QCOMPARE(experimentFromOptions(options).data.directory, std::string("/tmp/data"));
    QCOMPARE(experimentFromOptions(options).name, std::string("fixed16"));
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
