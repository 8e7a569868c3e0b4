// The views that watch a run train, driven in the real window offscreen on a small synthetic
// data set. The tests cover histograms of every tensor, the logarithmic count axis, scrubbing the
// timeline back and returning to live, the float twin's curves and precision-change markers. They
// also cover the saturation heatmap and the sample view with its confusion matrix.
#include "confusion_matrix_view.h"
#include "histogram_bars.h"
#include "histogram_grid.h"
#include "histogram_view.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "run_controller.h"
#include "sample_view.h"
#include "saturation_heatmap.h"
#include "timeline_bar.h"
#include "training_plots.h"

#include "data/dataset.h"

#include <QAction>
#include <QCheckBox>
#include <QDockWidget>
#include <QRadioButton>
#include <QRegularExpression>
#include <QTest>
#include <QToolButton>

#include <cmath>

using namespace fxlab;
using namespace fxlab::gui;
using namespace fxlab::gui::test;

namespace {

constexpr int kConvolutionLayer = 0;
constexpr int kDenseLayer = 4;
constexpr int kTestSamples = 64;

// conv 3x3x4, ReLU, max-pool, flatten, dense 4 and softmax cross-entropy on 1x8x8 samples. The
// convolution's activations have a manual 4-bit format with a range of about +-0.1, so that they
// saturate, and the dense weight gradients a manual 8-bit format with steps of 1/4, so that they
// underflow. The dense weights are 16-bit, whose histogram merges codes. The rest is 8-bit with
// max-abs fractional lengths.
Experiment watchedExperiment()
{
    Experiment experiment;
    experiment.name = "watched synthetic";
    experiment.network = tinyNetwork();
    experiment.precision = floatPlan(experiment.network);
    for (size_t layer = 0; layer < experiment.network.layers.size(); ++layer)
        for (TensorKind kind : kAllTensorKinds)
            experiment.precision.at(layer, kind) =
                TensorPrecision::fixed(8, 0, RoundingMode::NearestEven, OverflowMode::Saturate,
                                       FractionalLengthPolicy::MaxAbs, 20);
    experiment.precision.at(kConvolutionLayer, TensorKind::Activations) = TensorPrecision::fixed(4, 6);
    experiment.precision.at(kDenseLayer, TensorKind::WeightGradients) = TensorPrecision::fixed(8, 2);
    experiment.precision.at(kDenseLayer, TensorKind::Weights) = TensorPrecision::fixed(
        16, 0, RoundingMode::NearestEven, OverflowMode::Saturate, FractionalLengthPolicy::MaxAbs, 20);

    experiment.training.batchSize = 16;  // 16 steps an epoch, each ending with a test evaluation
    experiment.training.steps = 1'000'000;
    experiment.training.logEvery = 2;
    return experiment;
}

// The whole count of each bin of `histogram`, as the large histogram should draw it.
std::vector<double> countsOf(const CodeHistogram& histogram)
{
    return std::vector<double>(histogram.counts.begin(), histogram.counts.end());
}

} // namespace

class TestWatchViews : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void codeBarsSplitParts_data();
    void codeBarsSplitParts();

    void runsEvaluateBetweenEpochs();
    void histogramsChangeWhileRunning();
    void gridKeysSelectTensor();
    void wideFormatMergesBins();
    void logarithmicToggleChangesAxis();
    void timelineScrubsBack();
    void liveFollowsAgain();
    void floatTwinDrawsCurves();
    void pausedPrecisionChangeMarked();
    void heatmapCellMatchesRow();
    void sampleViewShowsPredictions();

private:
    void pauseAndWait();
    void raiseDock(const char* objectName);

    std::unique_ptr<MainWindow> window_;
};

void TestWatchViews::initTestCase()
{
    window_ = std::make_unique<MainWindow>();
    window_->setErrorDialogsEnabled(false);
    window_->loadExperiment(watchedExperiment(), cpuBackend());
    window_->setTrainingData(syntheticData());
    window_->resize(1400, 900);
    window_->show();
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot() != nullptr, kTimeoutMilliseconds);
}

void TestWatchViews::cleanupTestCase()
{
    window_.reset();
}

void TestWatchViews::pauseAndWait()
{
    if (stateOf(*window_) == "running")
        trigger(*window_, "pauseAction");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(*window_), QString("paused"), kTimeoutMilliseconds);
}

void TestWatchViews::raiseDock(const char* objectName)
{
    auto* dock = window_->findChild<QDockWidget*>(objectName);
    QVERIFY2(dock, objectName);
    dock->raise();
    QTRY_VERIFY2(dock->widget()->isVisible(), objectName);
}

void TestWatchViews::codeBarsSplitParts_data()
{
    QTest::addColumn<int>("overflow");
    QTest::addColumn<QVector<int>>("counts");  // 3-bit codes -4 to 3, one bin each
    QTest::addColumn<QVector<int>>("histogramEvents");  // the histogram's saturated high, low, underflowed
    QTest::addColumn<QVector<int>>("events");           // the quantization's saturated, underflowed
    QTest::addColumn<QVector<int>>("inRange");
    QTest::addColumn<QVector<int>>("parts");  // saturated high, low, underflowed
    QTest::addColumn<bool>("splitKnown");
    QTest::addColumn<int>("lowestBin");

    const int saturate = int(OverflowMode::Saturate);
    QTest::newRow("histogram counts") << saturate << QVector<int>{5, 1, 0, 0, 9, 0, 2, 7} << QVector<int>{3, 4, 6}
                                      << QVector<int>{0, 0} << QVector<int>{1, 1, 0, 0, 3, 0, 2, 4}
                                      << QVector<int>{3, 4, 6} << true << 0;
    // The quantization's totals: with the low end empty, every saturated value is at the top.
    QTest::newRow("events, one end empty") << saturate << QVector<int>{0, 1, 0, 0, 9, 0, 2, 7} << QVector<int>{0, 0, 0}
                                           << QVector<int>{4, 5} << QVector<int>{0, 1, 0, 0, 4, 0, 2, 3}
                                           << QVector<int>{4, 0, 5} << true << 0;
    // Both ends hold more than the 3 saturated values, so only the most each can hold is known.
    QTest::newRow("events, both ends") << saturate << QVector<int>{4, 1, 0, 0, 2, 0, 2, 5} << QVector<int>{0, 0, 0}
                                       << QVector<int>{3, 0} << QVector<int>{1, 1, 0, 0, 2, 0, 2, 2}
                                       << QVector<int>{3, 3, 0} << false << 0;
    // Symmetric saturation clamps to code -3, so the low part sits in the second bin.
    QTest::newRow("symmetric saturate") << int(OverflowMode::SymmetricSaturate) << QVector<int>{0, 6, 0, 0, 2, 0, 0, 3}
                                        << QVector<int>{1, 5, 0} << QVector<int>{0, 0}
                                        << QVector<int>{0, 1, 0, 0, 2, 0, 0, 2} << QVector<int>{1, 5, 0} << true << 1;
    // Wrapped values land on any code, so no part of an end bin can be separated.
    QTest::newRow("wrap") << int(OverflowMode::Wrap) << QVector<int>{2, 0, 1, 0, 4, 0, 0, 2} << QVector<int>{0, 0, 0}
                          << QVector<int>{5, 1} << QVector<int>{2, 0, 1, 0, 3, 0, 0, 2} << QVector<int>{0, 0, 1}
                          << true << 0;
    // A part larger than its bin, which a consistent record never has, is cut to the count.
    QTest::newRow("part above count") << saturate << QVector<int>{1, 0, 0, 0, 2, 0, 0, 1} << QVector<int>{5, 0, 9}
                                      << QVector<int>{0, 0} << QVector<int>{1, 0, 0, 0, 0, 0, 0, 0}
                                      << QVector<int>{1, 0, 2} << true << 0;
}

void TestWatchViews::codeBarsSplitParts()
{
    QFETCH(int, overflow);
    QFETCH(QVector<int>, counts);
    QFETCH(QVector<int>, histogramEvents);
    QFETCH(QVector<int>, events);
    QFETCH(QVector<int>, inRange);
    QFETCH(QVector<int>, parts);
    QFETCH(bool, splitKnown);
    QFETCH(int, lowestBin);

    CodeHistogram histogram = CodeHistogram::empty(FixedFormat{3, 1});
    for (int bin = 0; bin < counts.size(); ++bin)
        histogram.counts[size_t(bin)] = uint64_t(counts[bin]);
    histogram.saturatedHigh = uint64_t(histogramEvents[0]);
    histogram.saturatedLow = uint64_t(histogramEvents[1]);
    histogram.underflowed = uint64_t(histogramEvents[2]);
    QuantEvents quantization;
    quantization.saturated = uint64_t(events[0]);
    quantization.underflowed = uint64_t(events[1]);

    const CodeBars bars = splitCodeBars(histogram, quantization, OverflowMode(overflow));
    QCOMPARE(int(bars.binCount()), 8);
    QCOMPARE(int(bars.zeroBin), 4);
    QCOMPARE(int(bars.highestBin), 7);
    QCOMPARE(int(bars.lowestBin), lowestBin);
    QCOMPARE(bars.splitKnown, splitKnown);
    QCOMPARE(bars.wraps, OverflowMode(overflow) == OverflowMode::Wrap);
    QCOMPARE(int(bars.saturatedHigh), parts[0]);
    QCOMPARE(int(bars.saturatedLow), parts[1]);
    QCOMPARE(int(bars.underflowed), parts[2]);
    // Every bin keeps the histogram's own count: the parts only split it.
    for (int bin = 0; bin < 8; ++bin) {
        QVERIFY2(bars.inRange[size_t(bin)] == uint64_t(inRange[bin]), qPrintable(QString("bin %1").arg(bin)));
        QVERIFY2(bars.total(size_t(bin)) == uint64_t(counts[bin]), qPrintable(QString("bin %1").arg(bin)));
    }
}

void TestWatchViews::runsEvaluateBetweenEpochs()
{
    // The experiment sets no evaluation schedule, so the window's run adds one.
    const TrainingSettings& training = window_->latestSnapshot()->experiment.training;
    QCOMPARE(training.evaluateEvery, RunController::kWindowEvaluateEvery);
    QCOMPARE(training.evaluationSamples, RunController::kWindowEvaluationSamples);
}

void TestWatchViews::histogramsChangeWhileRunning()
{
    HistogramView* histograms = window_->histogramView();
    QVERIFY(histograms->isVisible());
    histograms->setLayer(kConvolutionLayer);
    histograms->setKind(TensorKind::Weights);
    QCOMPARE(histograms->barCount(), 0);

    trigger(*window_, "startAction");
    QTRY_VERIFY_WITH_TIMEOUT(histograms->barCount() == 256, kTimeoutMilliseconds);
    const uint32_t firstStep = histograms->shownStep();
    const std::vector<double> first = histograms->barTotals();
    QTRY_VERIFY_WITH_TIMEOUT(histograms->shownStep() > firstStep + 4, kTimeoutMilliseconds);
    QTRY_VERIFY_WITH_TIMEOUT(histograms->barTotals() != first, kTimeoutMilliseconds);
    QVERIFY2(histograms->xAxisLabel().contains("one bar per code"), qPrintable(histograms->xAxisLabel()));
    QVERIFY(histograms->grid()->cellCount() > 0);
}

void TestWatchViews::gridKeysSelectTensor()
{
    HistogramView* histograms = window_->histogramView();
    HistogramGrid* grid = histograms->grid();
    histograms->setLayer(kConvolutionLayer);
    histograms->setKind(TensorKind::Weights);
    grid->setFocus();

    // Whichever way the grid is oriented, one arrow key leads from the convolution's weights to
    // its biases, and another leads to a tensor of a later layer.
    const Qt::Key towardsKinds = grid->layersAcross() ? Qt::Key_Down : Qt::Key_Right;
    QTest::keyClick(grid, towardsKinds);
    QCOMPARE(histograms->layer(), kConvolutionLayer);
    QCOMPARE(int(histograms->kind()), int(TensorKind::Biases));

    const Qt::Key towardsLayers = grid->layersAcross() ? Qt::Key_Right : Qt::Key_Down;
    QTest::keyClick(grid, towardsLayers);
    QVERIFY2(histograms->layer() > kConvolutionLayer, qPrintable(QString::number(histograms->layer())));
    QVERIFY(hasTensor(window_->latestSnapshot()->experiment.network, size_t(histograms->layer()), histograms->kind()));
}

void TestWatchViews::wideFormatMergesBins()
{
    // 16-bit dense weights have 65,536 codes: 256 bars of 256 codes each.
    HistogramView* histograms = window_->histogramView();
    histograms->setLayer(kDenseLayer);
    histograms->setKind(TensorKind::Weights);
    QTRY_COMPARE_WITH_TIMEOUT(histograms->barCount(), 256, kTimeoutMilliseconds);
    QVERIFY2(histograms->xAxisLabel().contains("each bar: 256 codes"), qPrintable(histograms->xAxisLabel()));
    const QStringList legend = histograms->legendEntries();
    QVERIFY2(legend.filter(QRegularExpression("^saturated")).size() == 1, qPrintable(legend.join(" | ")));
    QVERIFY2(legend.filter("underflowed to 0:").size() == 1, qPrintable(legend.join(" | ")));
    QVERIFY2(legend.filter("representable range:").size() == 1, qPrintable(legend.join(" | ")));
}

void TestWatchViews::logarithmicToggleChangesAxis()
{
    HistogramView* histograms = window_->histogramView();
    auto* toggle = histograms->findChild<QCheckBox*>("logarithmicCounts");
    QVERIFY(toggle);
    QVERIFY(!histograms->valueAxisIsLogarithmic());

    toggle->click();
    QVERIFY(histograms->isLogarithmic());
    QVERIFY(histograms->valueAxisIsLogarithmic());
    toggle->click();
    QVERIFY(!histograms->isLogarithmic());
    QVERIFY(!histograms->valueAxisIsLogarithmic());
}

void TestWatchViews::timelineScrubsBack()
{
    pauseAndWait();
    HistogramView* histograms = window_->histogramView();
    histograms->setLayer(kConvolutionLayer);
    histograms->setKind(TensorKind::Activations);
    TimelineBar* timeline = window_->timelineBar();
    const SnapshotPointer paused = window_->latestSnapshot();
    QVERIFY2(paused->timeline.size() >= 3, qPrintable(QString::number(paused->timeline.size())));
    QVERIFY(timeline->isLive());

    // Home goes to the oldest recorded point, and Right to the next one.
    timeline->slider()->setFocus();
    QTest::keyClick(timeline->slider(), Qt::Key_Home);
    QTest::keyClick(timeline->slider(), Qt::Key_Right);
    QVERIFY(!timeline->isLive());
    const TimelinePointer point = paused->timeline[1];
    QCOMPARE(timeline->shownPoint(), point);
    QVERIFY2(timeline->stepText().startsWith(QString("Step %1 of").arg(point->step)), qPrintable(timeline->stepText()));

    QCOMPARE(histograms->shownStep(), point->step);
    const TensorStatistics& tensor = point->statistics.layers[kConvolutionLayer][size_t(TensorKind::Activations)];
    QVERIFY(tensor.isFixed);
    QCOMPARE(histograms->barTotals(), countsOf(tensor.codes));
    // The 4-bit activations saturate: their parts come from the same step's events.
    QVERIFY(tensor.events.saturated > 0);
    QCOMPARE(histograms->drawnUnderflowed(), double(tensor.events.underflowed));
    QVERIFY2(histograms->drawnSaturated() >= double(tensor.events.saturated),
             qPrintable(QString("%1 drawn, %2 saturated").arg(histograms->drawnSaturated()).arg(tensor.events.saturated)));
    const QStringList legend = histograms->legendEntries();
    QVERIFY2(legend.filter(QRegularExpression("^saturated")).size() == 1, qPrintable(legend.join(" | ")));
    QCOMPARE(window_->trainingPlots()->cursorStep(), std::optional<uint32_t>(point->step));
    QCOMPARE(window_->saturationHeatmap()->cursorStep(), std::optional<uint32_t>(point->step));
}

void TestWatchViews::liveFollowsAgain()
{
    TimelineBar* timeline = window_->timelineBar();
    QVERIFY(!timeline->isLive());
    auto* live = timeline->findChild<QToolButton*>("timelineLive");
    QVERIFY(live);
    live->click();
    QVERIFY(timeline->isLive());
    QCOMPARE(window_->trainingPlots()->cursorStep(), std::nullopt);
    QCOMPARE(window_->histogramView()->shownStep(), stepOf(*window_));

    const uint32_t pausedStep = stepOf(*window_);
    trigger(*window_, "startAction");
    QTRY_VERIFY_WITH_TIMEOUT(window_->histogramView()->shownStep() > pausedStep + 4, kTimeoutMilliseconds);
    QVERIFY(timeline->isLive());
    QVERIFY2(timeline->stepText().startsWith("Live"), qPrintable(timeline->stepText()));
}

void TestWatchViews::floatTwinDrawsCurves()
{
    TrainingPlots* plots = window_->trainingPlots();
    QCOMPARE(plots->floatTrainLossPointCount(), 0);
    plots->floatTwinToggle()->click();

    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot()->floatTwin, kTimeoutMilliseconds);
    QTRY_VERIFY_WITH_TIMEOUT(!window_->latestSnapshot()->floatRows.empty(), kTimeoutMilliseconds);
    QTRY_VERIFY_WITH_TIMEOUT(plots->floatTrainLossPointCount() > 0, kTimeoutMilliseconds);
    // The twin catches up two steps a step, and each epoch end, every 16 steps, evaluates it.
    QTRY_VERIFY_WITH_TIMEOUT(plots->floatTestAccuracyPointCount() > 0, kTimeoutMilliseconds);
    QVERIFY(plots->floatTwinToggle()->isChecked());
}

void TestWatchViews::pausedPrecisionChangeMarked()
{
    pauseAndWait();
    const uint32_t pausedStep = stepOf(*window_);
    PrecisionPlan plan = window_->latestSnapshot()->experiment.precision;
    plan.at(kDenseLayer, TensorKind::Activations).spec.format.wordBits = 6;
    window_->runManager()->currentRun()->setPrecision(plan);

    QTRY_VERIFY_WITH_TIMEOUT(!window_->latestSnapshot()->precisionChanges.empty(), kTimeoutMilliseconds);
    QCOMPARE(window_->latestSnapshot()->precisionChanges.back(), pausedStep);
    QTRY_COMPARE_WITH_TIMEOUT(window_->trainingPlots()->precisionMarkerSteps(), std::vector<uint32_t>{pausedStep},
                              kTimeoutMilliseconds);
    raiseDock("heatmapDock");
    QTRY_COMPARE_WITH_TIMEOUT(window_->saturationHeatmap()->precisionMarkerSteps(), std::vector<uint32_t>{pausedStep},
                              kTimeoutMilliseconds);
    QCOMPARE(stepOf(*window_), pausedStep);
}

void TestWatchViews::heatmapCellMatchesRow()
{
    pauseAndWait();
    raiseDock("heatmapDock");
    SaturationHeatmap* heatmap = window_->saturationHeatmap();
    const SnapshotPointer snapshot = window_->latestSnapshot();
    const std::vector<MetricsRow>& rows = snapshot->rows;
    QTRY_COMPARE_WITH_TIMEOUT(heatmap->columnCount(), int(rows.size()), kTimeoutMilliseconds);

    int tensors = 0;
    for (size_t layer = 0; layer < snapshot->experiment.network.layers.size(); ++layer)
        for (TensorKind kind : kAllTensorKinds)
            tensors += hasTensor(snapshot->experiment.network, layer, kind);
    QCOMPARE(heatmap->tensorCount(), tensors);
    // Layer-major order: conv1's weights, biases, activations and weight gradients (the first layer
    // has no activation gradients), then relu1, pool1 and flatten with two each, then dense1.
    const int activations = 2;
    const int denseWeightGradients = 14;
    QCOMPARE(heatmap->tensorLabel(activations), QString("conv1 activations"));
    QCOMPARE(heatmap->tensorLabel(denseWeightGradients), QString("dense1 weight gradients"));

    // The latest row with events of the kind checked is the known cell.
    const auto check = [&](SaturationHeatmap::Quantity quantity, int tensor, int layer, TensorKind kind) {
        heatmap->setQuantity(quantity);
        const bool saturation = quantity == SaturationHeatmap::Quantity::Saturated;
        const auto countOf = [&](const MetricsRow& row) {
            const QuantEvents& events = row.events[size_t(layer)][size_t(kind)];
            return saturation ? events.saturated : events.underflowed;
        };
        size_t column = rows.size() - 1;
        while (column > 0 && countOf(rows[column]) == 0)
            --column;
        const QuantEvents& events = rows[column].events[size_t(layer)][size_t(kind)];
        QVERIFY(events.elements > 0);
        const double expected = double(countOf(rows[column])) / double(events.elements);
        QVERIFY2(expected > 1e-4, qPrintable(QString("too few events to see: %1").arg(expected)));
        QCOMPARE(heatmap->fraction(tensor, int(column)), expected);
        // The colour map stores percent, so the fraction comes back within rounding.
        const double drawn = heatmap->drawnFractionAt(tensor, rows[column].step);
        QVERIFY2(std::abs(drawn - expected) < 1e-12, qPrintable(QString("%1 drawn, %2 expected").arg(drawn).arg(expected)));
    };
    check(SaturationHeatmap::Quantity::Saturated, activations, kConvolutionLayer, TensorKind::Activations);
    check(SaturationHeatmap::Quantity::Underflowed, denseWeightGradients, kDenseLayer, TensorKind::WeightGradients);
    QVERIFY(heatmap->findChild<QRadioButton*>("heatmapUnderflowed")->isChecked());
    heatmap->setQuantity(SaturationHeatmap::Quantity::Saturated);
}

void TestWatchViews::sampleViewShowsPredictions()
{
    raiseDock("samplesDock");
    const SnapshotPointer snapshot = window_->latestSnapshot();
    QVERIFY(snapshot->evaluation);
    const EvaluationDetails& evaluation = *snapshot->evaluation;
    SampleView* samples = window_->sampleView();
    SampleGrid* grid = samples->sampleGrid();
    QTRY_COMPARE_WITH_TIMEOUT(grid->imageCount(), 32, kTimeoutMilliseconds);

    QVERIFY2(samples->captionText().contains(QString("after step %1").arg(QLocale().toString(evaluation.step))),
             qPrintable(samples->captionText()));
    for (int index = 0; index < grid->imageCount(); ++index) {
        const int label = (*snapshot->sampleImages)[size_t(index)].label;
        const int predicted = evaluation.predictions[size_t(index)];
        const QString text = grid->labelText(index);
        QVERIFY2(text.startsWith(QString("true: class %1\n").arg(label)), qPrintable(text));
        QVERIFY2(text.contains(QString("fixed: class %1").arg(predicted)), qPrintable(text));
        QCOMPARE(grid->fixedPredictionWrong(index), predicted != label);
        if (!evaluation.floatPredictions.empty())
            QVERIFY2(text.contains(QString("float: class %1").arg(evaluation.floatPredictions[size_t(index)])),
                     qPrintable(text));
    }

    ConfusionMatrixView* confusion = samples->confusionMatrix();
    QCOMPARE(confusion->classCount(), kClasses);
    QCOMPARE(confusion->total(), uint64_t(evaluation.samples));
    QCOMPARE(evaluation.samples, kTestSamples);
    QVERIFY2(confusion->titleText().contains(
                 QString("after step %1: %2 test samples").arg(QLocale().toString(evaluation.step)).arg(kTestSamples)),
             qPrintable(confusion->titleText()));
}

QTEST_MAIN(TestWatchViews)
#include "test_watch_views.moc"
