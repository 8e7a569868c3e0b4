// Runs, presets, presentation mode, the Help menu, --view screenshots and the window settings,
// driven through the real window offscreen on a small synthetic data set.
#include "command_line_options.h"
#include "duplicate_run_dialog.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "presentation_mode.h"
#include "presets_view.h"
#include "run_comparison_view.h"
#include "run_list_model.h"
#include "run_list_view.h"
#include "run_manager.h"
#include "run_status_bar.h"
#include "run_variation.h"
#include "run_workspace.h"
#include "training_plots.h"
#include "unattended_run.h"
#include "view_names.h"
#include "window_settings.h"

#include "data/dataset.h"
#include "model/presets.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QImageReader>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

#include <set>

using namespace fxlab;
using namespace fxlab::gui;
using namespace fxlab::gui::test;

namespace {


// conv 3x3x4, ReLU, max-pool, flatten, dense 4 and softmax cross-entropy on 1x8x8 samples, every
// tensor 16-bit with nearest-even rounding and a max-abs fractional length, so that steps are cheap.
Experiment tinyExperiment()
{
    Experiment experiment;
    experiment.name = "tiny synthetic";
    experiment.network = tinyNetwork();
    experiment.precision = floatPlan(experiment.network);
    for (size_t layer = 0; layer < experiment.network.layers.size(); ++layer)
        for (TensorKind kind : kAllTensorKinds)
            if (hasTensor(experiment.network, layer, kind))
                experiment.precision.at(layer, kind) =
                    TensorPrecision::fixed(16, 0, RoundingMode::NearestEven, OverflowMode::Saturate,
                                           FractionalLengthPolicy::MaxAbs, 50);
    experiment.training.batchSize = 16;
    experiment.training.steps = 1'000'000;  // never finishes during the test
    experiment.training.logEvery = 2;
    return experiment;
}

std::unique_ptr<MainWindow> makeWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->setErrorDialogsEnabled(false);
    window->loadExperiment(tinyExperiment(), cpuBackend());
    window->setTrainingData(syntheticData());
    window->show();
    return window;
}

uint32_t stepOf(const RunController* run)
{
    return run->latestSnapshot() ? run->latestSnapshot()->step : 0;
}

QString stateOf(const RunController* run)
{
    return QString::fromLatin1(toString(run->latestSnapshot() ? run->latestSnapshot()->state : RunState::Idle));
}

// Every (layer, kind) whose precision differs between the plans, as "layer kind" strings.
QStringList precisionDifferences(const Experiment& first, const Experiment& second)
{
    QStringList differences;
    for (size_t layer = 0; layer < first.network.layers.size(); ++layer)
        for (TensorKind kind : kAllTensorKinds)
            if (!(first.precision.at(layer, kind) == second.precision.at(layer, kind)))
                differences << QString::fromStdString(first.network.layers[layer].name) + " "
                        + tensorKindLabel(kind);
    return differences;
}

struct PlotSizes {
    double graphPenWidth = 0;
    double axisPenWidth = 0;
    double tickLabelPoints = 0;
    double axisLabelPoints = 0;
    double legendPoints = 0;
};

PlotSizes sizesOf(const QCustomPlot* plot)
{
    PlotSizes sizes;
    QCPAxis* axis = plot->axisRect()->axis(QCPAxis::atLeft);
    sizes.graphPenWidth = plot->graph(0)->pen().widthF();
    sizes.axisPenWidth = axis->basePen().widthF();
    sizes.tickLabelPoints = axis->tickLabelFont().pointSizeF();
    sizes.axisLabelPoints = axis->labelFont().pointSizeF();
    sizes.legendPoints = plot->legend->font().pointSizeF();
    return sizes;
}

} // namespace

class TestRunsAndPresentation : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void variationChangesOneSetting_data();
    void variationChangesOneSetting();
    void variationRejected_data();
    void variationRejected();
    void precisionSummaries_data();
    void precisionSummaries();

    void duplicateRunTrainsBeside();
    void selectingRunMakesItCurrent();
    void curvesFollowCurrentRun();
    void presetStartsNewRun();
    void presetLoadAsksFirst();
    void presentationModeScales();
    void shortcutsDialogListsActions();
    void shortcutsAreUnique();
    void viewScreenshot_data();
    void viewScreenshot();
    void unknownViewRejected();
    void unattendedRunWaitsForEveryRun();
    void windowSettingsRoundTrip();

private:
    QTemporaryDir settingsFolder_;
};

void TestRunsAndPresentation::initTestCase()
{
    // QSettings of this test live in a temporary folder under a name of their own, so the user's
    // settings are never read or written.
    QVERIFY(settingsFolder_.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsFolder_.path());
    QCoreApplication::setOrganizationName("fxlab-test");
    QCoreApplication::setApplicationName("test_runs_and_presentation");
}

void TestRunsAndPresentation::variationChangesOneSetting_data()
{
    QTest::addColumn<int>("setting");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("description");
    QTest::addColumn<int>("changedTensors");  // -1: the precision plan is not compared tensor by tensor

    QTest::newRow("weight gradients rounding") << int(VariedSetting::Rounding) << int(TensorKind::WeightGradients)
                                               << "weight gradients stochastic" << 2;
    QTest::newRow("activation word bits") << int(VariedSetting::WordBits) << int(TensorKind::Activations)
                                          << "activations 6-bit" << 5;
    QTest::newRow("weights overflow") << int(VariedSetting::Overflow) << int(TensorKind::Weights)
                                      << "weights wrap" << 2;
    QTest::newRow("learning rate") << int(VariedSetting::LearningRate) << 0 << "learning rate 0.01" << 0;
    QTest::newRow("batch size") << int(VariedSetting::BatchSize) << 0 << "batch size 32" << 0;
    QTest::newRow("seed") << int(VariedSetting::Seed) << 0 << "seed 7" << 0;
    QTest::newRow("master weights") << int(VariedSetting::FixedPointMasterWeights) << 0
                                    << "fixed-point master weights" << 0;
    QTest::newRow("preset") << int(VariedSetting::Preset) << 0 << "preset fixed8-nearest" << -1;
}

void TestRunsAndPresentation::variationChangesOneSetting()
{
    QFETCH(int, setting);
    QFETCH(int, kind);
    QFETCH(QString, description);
    QFETCH(int, changedTensors);

    const Experiment source = tinyExperiment();
    RunVariation variation;
    variation.setting = VariedSetting(setting);
    variation.kind = TensorKind(kind);
    variation.rounding = RoundingMode::Stochastic;
    variation.wordBits = 6;
    variation.overflow = OverflowMode::Wrap;
    variation.learningRate = 0.01;
    variation.batchSize = 32;
    variation.seed = 7;
    variation.fixedPointMasterWeights = true;
    variation.preset = "fixed8-nearest";

    const VariedExperiment varied = applyVariation(source, variation);
    QVERIFY2(varied.experiment, qPrintable(varied.error));
    const Experiment& result = *varied.experiment;
    QCOMPARE(describeVariation(variation), description);
    QCOMPARE(variedRunName("run 1", source, variation), "tiny synthetic, " + description);
    QCOMPARE(variedRunName("my run", source, variation), "my run, " + description);

    QCOMPARE(result.network, source.network);
    if (changedTensors >= 0) {
        const QStringList differences = precisionDifferences(source, result);
        QVERIFY2(differences.size() == changedTensors, qPrintable(differences.join(", ")));
        for (const QString& difference : differences)
            QVERIFY2(difference.endsWith(tensorKindLabel(TensorKind(kind))), qPrintable(difference));
        QCOMPARE(result.name, source.name);
    } else {
        QCOMPARE(result.precision, *presetPrecision("fixed8-nearest", source.network));
        QCOMPARE(result.name, std::string("fixed8-nearest"));
    }
    TrainingSettings expectedTraining = source.training;
    expectedTraining.learningRate = setting == int(VariedSetting::LearningRate) ? 0.01f : source.training.learningRate;
    expectedTraining.batchSize = setting == int(VariedSetting::BatchSize) ? 32 : source.training.batchSize;
    expectedTraining.fixedPointMasterWeights = setting == int(VariedSetting::FixedPointMasterWeights);
    QCOMPARE(result.training, expectedTraining);
    QCOMPARE(result.seed, setting == int(VariedSetting::Seed) ? uint64_t(7) : source.seed);
    QCOMPARE(result.data, source.data);
}

void TestRunsAndPresentation::variationRejected_data()
{
    QTest::addColumn<int>("setting");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("reason");

    QTest::newRow("same rounding") << int(VariedSetting::Rounding) << int(TensorKind::Weights)
                                   << "the weights already use nearest-even in every layer";
    QTest::newRow("same word bits") << int(VariedSetting::WordBits) << int(TensorKind::Biases)
                                    << "the biases already use 16 bits";
    QTest::newRow("same learning rate") << int(VariedSetting::LearningRate) << 0 << "learning rate is already 0.05";
    QTest::newRow("zero batch size") << int(VariedSetting::BatchSize) << 0 << "batch size 0 is invalid";
    QTest::newRow("unknown preset") << int(VariedSetting::Preset) << 0 << "unknown preset \"fixed3\"";
}

void TestRunsAndPresentation::variationRejected()
{
    QFETCH(int, setting);
    QFETCH(int, kind);
    QFETCH(QString, reason);

    RunVariation variation;
    variation.setting = VariedSetting(setting);
    variation.kind = TensorKind(kind);
    variation.rounding = RoundingMode::NearestEven;
    variation.wordBits = 16;
    variation.learningRate = 0.05f;
    variation.batchSize = 0;
    variation.preset = "fixed3";
    const VariedExperiment varied = applyVariation(tinyExperiment(), variation);
    QVERIFY(!varied.experiment);
    QVERIFY2(varied.error.contains(reason), qPrintable(varied.error));
}

void TestRunsAndPresentation::precisionSummaries_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("summary");

    QTest::newRow("float") << "float" << "float";
    QTest::newRow("fixed8") << "fixed8" << "w8 a8 g16 stochastic";
    QTest::newRow("fixed8-nearest") << "fixed8-nearest" << "w8 a8 g8";
    QTest::newRow("act4-stochastic") << "act4-stochastic" << "w8 a4 stochastic g16 stochastic";
    QTest::newRow("fixed16") << "fixed16" << "w16 a16 g16";
}

void TestRunsAndPresentation::precisionSummaries()
{
    QFETCH(QString, preset);
    QFETCH(QString, summary);
    QCOMPARE(precisionSummary(*presetExperiment(preset.toStdString())), summary);
}

void TestRunsAndPresentation::duplicateRunTrainsBeside()
{
    auto window = makeWindow();
    RunManager* runs = window->runManager();
    RunController* first = runs->currentRun();
    window->start();
    QTRY_VERIFY_WITH_TIMEOUT(stepOf(first) >= 4, kTimeoutMilliseconds);
    window->pause();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(first), QString("paused"), kTimeoutMilliseconds);

    // Change the rounding of the weight gradients through the dialog's own widgets.
    window->findChild<QAction*>("duplicateRunAction")->trigger();
    auto* dialog = window->findChild<DuplicateRunDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto* setting = dialog->findChild<QComboBox*>("settingChoice");
    auto* rounding = dialog->findChild<QComboBox*>("roundingChoice");
    auto* okButton = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(setting && rounding && okButton);
    setting->setCurrentIndex(setting->findText("Weight gradients: rounding in every layer"));
    QVERIFY2(!okButton->isEnabled(), "the rounding is still the run's own");
    QVERIFY2(dialog->findChild<QLabel*>("variationError")->text().contains("already use nearest-even"),
             qPrintable(dialog->findChild<QLabel*>("variationError")->text()));
    rounding->setCurrentIndex(rounding->findText("stochastic"));
    QVERIFY(okButton->isEnabled());
    QCOMPARE(dialog->runName(), QString("tiny synthetic, weight gradients stochastic"));
    QTest::mouseClick(okButton, Qt::LeftButton);

    QCOMPARE(runs->runCount(), 2);
    RunController* second = runs->run(1);
    QCOMPARE(runs->currentRun(), second);
    QCOMPARE(second->name(), QString("tiny synthetic, weight gradients stochastic"));
    const QStringList differences = precisionDifferences(first->experiment(), second->experiment());
    QCOMPARE(differences, (QStringList{"conv1 weight gradients", "dense1 weight gradients"}));
    QVERIFY(second->experiment().precision.at(0, TensorKind::WeightGradients).spec.rounding == RoundingMode::Stochastic);
    QCOMPARE(second->experiment().training, first->experiment().training);
    QCOMPARE(second->experiment().seed, first->experiment().seed);

    // Both train at the same time, and the comparison overlays both by name and colour.
    const uint32_t firstPausedAt = stepOf(first);
    QTRY_VERIFY_WITH_TIMEOUT(stepOf(second) >= 4, kTimeoutMilliseconds);
    QTRY_VERIFY_WITH_TIMEOUT(stepOf(first) >= firstPausedAt + 4, kTimeoutMilliseconds);
    QCOMPARE(stateOf(first), QString("running"));
    QCOMPARE(stateOf(second), QString("running"));

    RunComparisonView* comparison = window->runWorkspace()->comparisonView();
    comparison->replotNow();
    QCOMPARE(comparison->comparedRunCount(), 2);
    QCOMPARE(comparison->legendNames(), (QStringList{"run 1", "tiny synthetic, weight gradients stochastic"}));
    QVERIFY(comparison->lossPointCount(0) > 0);
    QVERIFY(comparison->lossPointCount(1) > 0);
    QVERIFY(comparison->colourOf(0) != comparison->colourOf(1));

    // Unchecking a run takes it out of the comparison.
    RunListModel* model = window->runWorkspace()->runListModel();
    QVERIFY(model->setData(model->index(0, RunListModel::NameColumn), Qt::Unchecked, Qt::CheckStateRole));
    comparison->replotNow();
    QCOMPARE(comparison->legendNames(), (QStringList{"tiny synthetic, weight gradients stochastic"}));

    QCOMPARE(model->data(model->index(1, RunListModel::PrecisionColumn)).toString(),
             QString("w16 a16 g16 stochastic"));
    QCOMPARE(model->data(model->index(0, RunListModel::PrecisionColumn)).toString(), QString("w16 a16 g16"));
}

void TestRunsAndPresentation::selectingRunMakesItCurrent()
{
    auto window = makeWindow();
    RunManager* runs = window->runManager();
    window->runWorkspace()->startPresetAsNewRun("fixed16");
    QCOMPARE(runs->runCount(), 2);
    QCOMPARE(runs->currentIndex(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(window->latestSnapshot() && window->latestSnapshot()->step > 0, kTimeoutMilliseconds);
    QVERIFY2(window->runStatusBar()->runText().contains("fixed16"), qPrintable(window->runStatusBar()->runText()));

    // Clicking the first row of the run list makes run 1 current: the status bar and the views follow.
    QTableView* table = window->runWorkspace()->runListView()->table();
    window->findChild<QDockWidget*>("runsDock")->raise();
    QTRY_VERIFY(table->isVisible());
    const QRect firstRow = table->visualRect(table->model()->index(0, RunListModel::StepColumn));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, firstRow.center());
    QCOMPARE(runs->currentIndex(), 0);
    QCOMPARE(window->runStatusBar()->runText(), QString("Run: run 1"));
    QCOMPARE(window->latestSnapshot(), runs->run(0)->latestSnapshot());
    QCOMPARE(window->latestSnapshot()->experiment.name, std::string("tiny synthetic"));
    QVERIFY(window->windowTitle().contains("tiny synthetic"));

    // Next run wraps around the list.
    window->findChild<QAction*>("nextRunAction")->trigger();
    QCOMPARE(runs->currentIndex(), 1);
    QCOMPARE(table->currentIndex().row(), 1);
    window->findChild<QAction*>("nextRunAction")->trigger();
    QCOMPARE(runs->currentIndex(), 0);
}

void TestRunsAndPresentation::curvesFollowCurrentRun()
{
    // Two runs paused at the same step have the same number of points, but not the same losses.
    auto window = makeWindow();
    window->setStopAfter(6);
    RunManager* runs = window->runManager();
    RunVariation seed;
    seed.setting = VariedSetting::Seed;
    seed.seed = 7;
    const VariedExperiment varied = applyVariation(tinyExperiment(), seed);
    QVERIFY2(varied.experiment, qPrintable(varied.error));
    RunController* second = window->runWorkspace()->addVariedRun(*varied.experiment, "seed 7");
    for (int index = 0; index < 2; ++index)
        runs->run(index)->start();
    for (int index = 0; index < 2; ++index) {
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(runs->run(index)), QString("paused"), kTimeoutMilliseconds);
        QCOMPARE(stepOf(runs->run(index)), 6u);
    }
    const double firstLoss = runs->run(0)->latestSnapshot()->rows.back().trainLoss;
    const double secondLoss = second->latestSnapshot()->rows.back().trainLoss;
    QVERIFY(firstLoss != secondLoss);

    auto* plot = window->trainingPlots()->findChild<QCustomPlot*>("trainingPlot");
    QVERIFY(plot);
    const auto shownLoss = [plot] {
        for (int index = 0; index < plot->graphCount(); ++index)
            if (plot->graph(index)->name() == "train" && plot->graph(index)->dataCount() > 0)
                return (plot->graph(index)->data()->constEnd() - 1)->value;
        return -1.0;
    };
    runs->setCurrent(0);
    QCOMPARE(shownLoss(), firstLoss);
    runs->setCurrent(1);
    QCOMPARE(shownLoss(), secondLoss);
}

void TestRunsAndPresentation::presetStartsNewRun()
{
    auto window = makeWindow();
    PresetsView* presets = window->runWorkspace()->presetsView();
    presets->selectPreset("act4-stochastic");
    QVERIFY(presets->findChild<QLabel*>("presetExplanation")->text().contains("stochastic rounding"));
    QTest::mouseClick(presets->findChild<QPushButton*>("newRunFromPresetButton"), Qt::LeftButton);

    RunManager* runs = window->runManager();
    QCOMPARE(runs->runCount(), 2);
    const Experiment& experiment = runs->currentRun()->experiment();
    QCOMPARE(runs->currentRun()->name(), QString("act4-stochastic"));
    QCOMPARE(experiment.name, std::string("act4-stochastic"));
    QCOMPARE(experiment.network, tinyExperiment().network);
    QCOMPARE(experiment.precision, *presetPrecision("act4-stochastic", tinyExperiment().network));
    QTRY_VERIFY_WITH_TIMEOUT(stepOf(runs->currentRun()) > 0, kTimeoutMilliseconds);
    QCOMPARE(window->findChild<QComboBox*>("presetChoice")->currentText(), QString("act4-stochastic"));
}

void TestRunsAndPresentation::presetLoadAsksFirst()
{
    auto window = makeWindow();
    RunController* run = window->runManager()->currentRun();
    window->start();
    QTRY_VERIFY_WITH_TIMEOUT(stepOf(run) >= 2, kTimeoutMilliseconds);
    window->pause();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(run), QString("paused"), kTimeoutMilliseconds);

    PresetsView* presets = window->runWorkspace()->presetsView();
    presets->selectPreset("fixed16");
    QTest::mouseClick(presets->findChild<QPushButton*>("loadPresetButton"), Qt::LeftButton);
    auto* question = window->findChild<QMessageBox*>("loadPresetConfirmation");
    QVERIFY2(question, "a run with progress asks before the preset replaces its experiment");
    QCOMPARE(run->experiment().name, std::string("tiny synthetic"));

    QPushButton* load = nullptr;
    for (QAbstractButton* button : question->buttons())
        if (button->text() == "Load preset")
            load = qobject_cast<QPushButton*>(button);
    QVERIFY(load);
    QTest::mouseClick(load, Qt::LeftButton);
    QCOMPARE(run->experiment().name, std::string("fixed16"));
    QCOMPARE(window->runManager()->runCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(stepOf(run), 0u, kTimeoutMilliseconds);
    QTRY_COMPARE(window->findChild<QComboBox*>("presetChoice")->currentText(), QString("fixed16"));
}

void TestRunsAndPresentation::presentationModeScales()
{
    auto window = makeWindow();
    window->start();
    QTRY_VERIFY_WITH_TIMEOUT(window->latestSnapshot() && window->latestSnapshot()->step >= 2, kTimeoutMilliseconds);
    window->pause();

    auto* curves = window->trainingPlots()->findChild<QCustomPlot*>();
    auto* comparison = window->findChild<QCustomPlot*>("runComparisonPlot");
    QVERIFY(curves && comparison);
    window->runWorkspace()->comparisonView()->replotNow();
    const PlotSizes curvesBefore = sizesOf(curves);
    const PlotSizes comparisonBefore = sizesOf(comparison);
    const double applicationPoints = QApplication::font().pointSizeF();
    QVERIFY(curvesBefore.graphPenWidth > 0);

    QAction* action = window->findChild<QAction*>("presentationModeAction");
    QVERIFY(action);
    QVERIFY(action->shortcuts().contains(QKeySequence(Qt::Key_F11)));
    action->trigger();
    QVERIFY(window->presentationMode()->isOn());

    const double scale = PresentationMode::kScale;
    for (const auto& [plot, before] : {std::pair{curves, curvesBefore}, std::pair{comparison, comparisonBefore}}) {
        const PlotSizes after = sizesOf(plot);
        QCOMPARE(after.graphPenWidth, before.graphPenWidth * scale);
        QCOMPARE(after.axisPenWidth, std::max(before.axisPenWidth, 1.0) * scale);
        QCOMPARE(after.tickLabelPoints, before.tickLabelPoints * scale);
        QCOMPARE(after.axisLabelPoints, before.axisLabelPoints * scale);
        QCOMPARE(after.legendPoints, before.legendPoints * scale);
    }
    QCOMPARE(QApplication::font().pointSizeF(), applicationPoints * scale);

    // A plot redrawn while the mode is on keeps the larger pens.
    window->runWorkspace()->comparisonView()->replotNow();
    QCOMPARE(sizesOf(comparison).graphPenWidth, comparisonBefore.graphPenWidth * scale);

    action->trigger();
    QVERIFY(!window->presentationMode()->isOn());
    QCOMPARE(sizesOf(curves).graphPenWidth, curvesBefore.graphPenWidth);
    QCOMPARE(sizesOf(curves).tickLabelPoints, curvesBefore.tickLabelPoints);
    QCOMPARE(sizesOf(curves).axisLabelPoints, curvesBefore.axisLabelPoints);
    QCOMPARE(sizesOf(curves).legendPoints, curvesBefore.legendPoints);
    QCOMPARE(sizesOf(comparison).graphPenWidth, comparisonBefore.graphPenWidth);
    QCOMPARE(QApplication::font().pointSizeF(), applicationPoints);
}

void TestRunsAndPresentation::shortcutsDialogListsActions()
{
    auto window = makeWindow();
    window->findChild<QAction*>("keyboardShortcutsAction")->trigger();
    auto* table = window->findChild<QTableWidget*>("shortcutTable");
    QVERIFY(table);

    std::map<QString, QString> actionOfKeys;
    for (int row = 0; row < table->rowCount(); ++row)
        actionOfKeys[table->item(row, 0)->text()] = table->item(row, 1)->text();
    const std::vector<std::pair<QString, QString>> expected{
        {"F5", "Start"}, {"F6", "Pause"}, {"F10", "Step once"}, {"Ctrl+R", "Reset"},
        {"F11 or Ctrl+Shift+P", "Presentation mode"}, {"Ctrl+Shift+D", "Duplicate with one change"},
        {"F1", "Keyboard shortcuts"}};
    for (const auto& [keys, name] : expected) {
        QVERIFY2(actionOfKeys.count(keys), qPrintable(keys));
        QCOMPARE(actionOfKeys.at(keys), name);
    }
}

void TestRunsAndPresentation::shortcutsAreUnique()
{
    auto window = makeWindow();
    std::map<QString, QString> owner;
    for (const QAction* action : window->findChildren<QAction*>()) {
        for (const QKeySequence& keys : action->shortcuts()) {
            const QString text = keys.toString();
            const auto [found, inserted] = owner.emplace(text, action->objectName());
            QVERIFY2(inserted, qPrintable(text + " is the shortcut of both " + found->second + " and "
                                          + action->objectName()));
        }
    }
}

void TestRunsAndPresentation::viewScreenshot_data()
{
    QTest::addColumn<QString>("view");
    for (const QString& view : QStringList{"curves", "histograms", "precision", "runs", "comparison", "presets"})
        QTest::newRow(qPrintable(view)) << view;
}

void TestRunsAndPresentation::viewScreenshot()
{
    QFETCH(QString, view);
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString file = folder.filePath("view.png");

    auto window = makeWindow();
    window->setStopAfter(3);
    auto* unattended = new UnattendedRun(window.get(), 3, file, false);
    unattended->setView(view);
    window->start();
    QTRY_VERIFY_WITH_TIMEOUT(unattended->done(), kTimeoutMilliseconds);
    QCOMPARE(unattended->exitStatus(), 0);

    const QImage image = QImageReader(file).read();
    QVERIFY2(!image.isNull(), qPrintable(file));
    QWidget* shown = findView(*window, view);
    QVERIFY(shown);
    QCOMPARE(image.size(), shown->size());
    if (qobject_cast<QDockWidget*>(shown)) {
        QVERIFY2(image.width() >= 1000 && image.height() >= 250, "a dock is pictured at a readable size");
        QVERIFY(image.size() != window->size());
    }
}

void TestRunsAndPresentation::unknownViewRejected()
{
    const ParsedCommandLine parsed = parseCommandLine({"fxlab", "--view", "everything", "--screenshot", "a.png"});
    QCOMPARE(parsed.exitStatus, 2);
    QVERIFY(!parsed.options);
    QVERIFY2(parsed.output.contains("unknown view \"everything\""), qPrintable(parsed.output));
    for (const QString& name : QStringList{"curves", "histograms", "heatmap", "samples", "precision", "builder",
                                           "runs", "comparison", "presets"})
        QVERIFY2(parsed.output.contains(name), qPrintable(name));

    const ParsedCommandLine valid =
        parseCommandLine({"fxlab", "--view", "runs", "--presentation", "--compare", "fixed16,underflow"});
    QVERIFY(valid.options);
    QCOMPARE(valid.options->view, QString("runs"));
    QVERIFY(valid.options->presentation);
    QCOMPARE(valid.options->comparedPresets, (QStringList{"fixed16", "underflow"}));
    const ParsedCommandLine unknownPreset = parseCommandLine({"fxlab", "--compare", "fixed16,fixed3"});
    QCOMPARE(unknownPreset.exitStatus, 2);
    QVERIFY2(unknownPreset.output.contains("unknown preset \"fixed3\" in --compare"), qPrintable(unknownPreset.output));

    // A screenshot of a view the window does not have fails and names the views it has.
    auto window = makeWindow();
    window->setStopAfter(1);
    QTemporaryDir folder;
    auto* unattended = new UnattendedRun(window.get(), 1, folder.filePath("none.png"), false);
    unattended->setView("no such view");
    window->start();
    QTRY_VERIFY_WITH_TIMEOUT(unattended->done(), kTimeoutMilliseconds);
    QCOMPARE(unattended->exitStatus(), 1);
    QVERIFY(!QFile::exists(folder.filePath("none.png")));
    QVERIFY(availableViewNames(*window).contains("runs"));
}

void TestRunsAndPresentation::unattendedRunWaitsForEveryRun()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    auto window = makeWindow();
    window->setStopAfter(4);
    RunController* second = window->runWorkspace()->addPresetRun("fixed16");
    QVERIFY(second);
    QCOMPARE(second->stopAfter(), 4u);
    window->runManager()->setCurrent(0);
    auto* unattended = new UnattendedRun(window.get(), 4, folder.filePath("comparison.png"), false);
    unattended->setView("comparison");

    // The current run finishes first; the screenshot waits for the other one.
    window->start();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(window->runManager()->run(0)), QString("paused"), kTimeoutMilliseconds);
    QVERIFY(!unattended->done());
    second->start();
    QTRY_VERIFY_WITH_TIMEOUT(unattended->done(), kTimeoutMilliseconds);
    QCOMPARE(unattended->exitStatus(), 0);
    QCOMPARE(stepOf(second), 4u);
    QCOMPARE(window->runWorkspace()->comparisonView()->legendNames(), (QStringList{"run 1", "fixed16"}));
    QVERIFY(!QImageReader(folder.filePath("comparison.png")).read().isNull());
}

void TestRunsAndPresentation::windowSettingsRoundTrip()
{
    QVERIFY2(QSettings().fileName().startsWith(settingsFolder_.path()), qPrintable(QSettings().fileName()));
    QSettings().clear();

    // Presentation mode on its own first, because its larger fonts change the window's minimum size.
    {
        auto window = makeWindow();
        window->restoreAndKeepSettings();
        QVERIFY(!window->presentationMode()->isOn());
        window->presentationMode()->setOn(true);
        window->close();
    }
    QCOMPARE(QSettings().value(settings_key::kPresentationMode).toBool(), true);
    {
        auto window = makeWindow();
        window->restoreAndKeepSettings();
        QVERIFY(window->presentationMode()->isOn());
        window->presentationMode()->setOn(false);
        window->close();
    }
    QCOMPARE(QSettings().value(settings_key::kPresentationMode).toBool(), false);

    QSize savedSize;
    {
        auto window = makeWindow();
        window->restoreAndKeepSettings();
        window->resize(window->size() + QSize(120, 60));
        auto* runs = window->findChild<QDockWidget*>("runsDock");
        window->addDockWidget(Qt::LeftDockWidgetArea, runs);
        window->findChild<QDockWidget*>("presetsDock")->hide();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        savedSize = window->size();
        window->close();
    }
    QVERIFY(QSettings().contains(settings_key::kGeometry));
    QVERIFY(QSettings().contains(settings_key::kDockLayout));

    auto window = makeWindow();
    QCOMPARE(window->dockWidgetArea(window->findChild<QDockWidget*>("runsDock")), Qt::BottomDockWidgetArea);
    QVERIFY(window->size() != savedSize);
    window->restoreAndKeepSettings();
    QCOMPARE(window->size(), savedSize);
    QCOMPARE(window->dockWidgetArea(window->findChild<QDockWidget*>("runsDock")), Qt::LeftDockWidgetArea);
    QVERIFY(window->findChild<QDockWidget*>("presetsDock")->isHidden());
    QVERIFY(!window->presentationMode()->isOn());
}

QTEST_MAIN(TestRunsAndPresentation)
#include "test_runs_and_presentation.moc"
