// Editing the experiment in the real window, offscreen, on a small synthetic data set. The cases
// cover the network builder, impossible networks and the blocked Start action, undo and redo, the
// precision matrix with its single and bulk editor, precision changes while paused, experiment
// files and the last experiment kept in QSettings.
#include "experiment_document.h"
#include "experiment_editing.h"
#include "last_experiment.h"
#include "layer_table_model.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "network_builder.h"
#include "network_builder_model.h"
#include "precision_dialog.h"
#include "precision_matrix.h"
#include "run_controller.h"
#include "view_names.h"

#include "data/dataset.h"
#include "model/presets.h"

#include <QAction>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace fxlab;
using namespace fxlab::gui;
using namespace fxlab::gui::test;

namespace {

constexpr int kConvolutionLayer = 0;
constexpr int kFlattenLayer = 3;
constexpr int kDenseLayer = 4;

// conv 3x3x4, ReLU, max-pool, flatten, dense 4 and softmax cross-entropy on 1x8x8 samples. Every
// tensor is 16-bit with a max-abs fractional length, except the dense weights (8-bit, manual
// fractional length 6) and the input, which stays float. Tensors a layer type does not have stay
// float, as after a round trip through an experiment file.
Experiment tinyExperiment()
{
    Experiment experiment;
    experiment.name = "tiny synthetic";
    experiment.network = tinyNetwork();
    experiment.precision = floatPlan(experiment.network);
    for (size_t layer = 0; layer < experiment.network.layers.size(); ++layer)
        for (TensorKind kind : kAllTensorKinds)
            if (hasTensor(experiment.network.layers[layer], kind))
                experiment.precision.at(layer, kind) = TensorPrecision::fixed(
                16, 0, RoundingMode::NearestEven, OverflowMode::Saturate, FractionalLengthPolicy::MaxAbs, 50);
    experiment.precision.at(kDenseLayer, TensorKind::Weights) = TensorPrecision::fixed(8, 6);
    experiment.training.batchSize = 16;
    experiment.training.steps = 1'000'000;  // never finishes during the test
    experiment.training.logEvery = 2;
    return experiment;
}

std::vector<std::string> layerNames(const NetworkSpec& network)
{
    std::vector<std::string> names;
    for (const LayerSpec& layer : network.layers)
        names.push_back(layer.name);
    return names;
}

// Saves a picture of `widget` as NAME.png in the folder that FXLAB_EDITING_SCREENSHOTS names, to
// look at the editors in states the command line cannot reach (an impossible network, a dialog).
// Does nothing without the variable.
void saveScreenshot(QWidget* widget, const QString& name)
{
    const QString folder = qEnvironmentVariable("FXLAB_EDITING_SCREENSHOTS");
    if (folder.isEmpty() || !widget)
        return;
    QCoreApplication::processEvents();
    const QString path = folder + "/" + name + ".png";
    if (!widget->grab().save(path))
        qWarning("could not save %s", qPrintable(path));
}

QString joined(const std::vector<std::string>& names)
{
    QStringList list;
    for (const std::string& name : names)
        list << QString::fromStdString(name);
    return list.join(", ");
}

} // namespace

class TestExperimentEditing : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void builderBuildsNetwork();
    void outputLayerStaysLast();
    void impossibleNetworkExplained_data();
    void impossibleNetworkExplained();
    void spinBoxUpdatesShapesAsTyped();
    void undoRedoRestoresExactly();
    void invalidBitWidthRefused_data();
    void invalidBitWidthRefused();
    void dialogRefusesInvalidBitWidth();
    void bulkEditSetsActivations();
    void invalidBulkEditAppliesNothing();
    void pausedPrecisionChangeContinues();
    void editWhileRunningPauses();
    void networkEditWaitsForRestart();
    void cellShowsIntegerBitsAndRange();
    void experimentFileRoundTrip();
    void unreadableExperimentFileReported();
    void lastExperimentSurvivesRestart();

private:
    std::unique_ptr<MainWindow> makeWindow(const Experiment& experiment) const;
    ExperimentEditing* editing() const { return window_->experimentEditing(); }
    ExperimentDocument* document() const { return editing()->document(); }
    NetworkBuilder* builder() const { return editing()->builder(); }
    PrecisionMatrix* matrix() const { return editing()->precisionMatrix(); }
    RunController* run() const { return window_->runManager()->currentRun(); }
    QAction* action(const char* name) const;
    void startAndPause();

    QTemporaryDir settingsFolder_;
    std::unique_ptr<MainWindow> window_;
};

void TestExperimentEditing::initTestCase()
{
    // QSettings of this test live in a temporary folder under a name of their own, so the user's
    // settings are never read or written.
    QVERIFY(settingsFolder_.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsFolder_.path());
    QCoreApplication::setOrganizationName("fxlab-test");
    QCoreApplication::setApplicationName("test_experiment_editing");
}

std::unique_ptr<MainWindow> TestExperimentEditing::makeWindow(const Experiment& experiment) const
{
    auto window = std::make_unique<MainWindow>();
    window->setErrorDialogsEnabled(false);
    window->experimentEditing()->setDialogsEnabled(false);
    window->loadExperiment(experiment, cpuBackend());
    window->setTrainingData(syntheticData());
    window->show();
    return window;
}

void TestExperimentEditing::init()
{
    window_ = makeWindow(tinyExperiment());
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot() != nullptr, kTimeoutMilliseconds);
    QTRY_VERIFY_WITH_TIMEOUT(document()->network() == tinyExperiment().network, kTimeoutMilliseconds);
    QCOMPARE(document()->classCount(), kClasses);
    QVERIFY2(document()->isValid(), qPrintable(document()->firstProblem()));
}

void TestExperimentEditing::cleanup()
{
    window_.reset();
}

QAction* TestExperimentEditing::action(const char* name) const
{
    auto* found = window_->findChild<QAction*>(name);
    if (!found)
        qWarning("no action %s", name);
    return found;
}

void TestExperimentEditing::startAndPause()
{
    window_->start();
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot()->step >= 4, kTimeoutMilliseconds);
    window_->pause();
    QTRY_COMPARE_WITH_TIMEOUT(QString::fromLatin1(toString(window_->latestSnapshot()->state)), QString("paused"),
                              kTimeoutMilliseconds);
}

void TestExperimentEditing::builderBuildsNetwork()
{
    NetworkBuilderModel* model = builder()->model();
    const PrecisionPlan original = document()->plan();

    // A dense layer below flatten: 36 inputs (4x3x3) to 32 units.
    builder()->selectLayer(kFlattenLayer);
    builder()->addLayer(LayerType::Dense);
    QCOMPARE(builder()->currentLayer(), kFlattenLayer + 1);
    QCOMPARE(document()->network().layers[kFlattenLayer + 1].name, std::string("dense2"));
    QCOMPARE(model->data(model->index(kFlattenLayer + 1, NetworkBuilderModel::OutputColumn)).toString(), QString("32"));
    QCOMPARE(model->data(model->index(kFlattenLayer + 1, NetworkBuilderModel::ParametersColumn)).toString(),
             QString("1,184"));
    QVERIFY(document()->plan().layers[kFlattenLayer + 1] == original.layers[kDenseLayer]);

    // A convolution below conv1: 8 filters, 3x3, padding 1 keep the 6x6 map.
    builder()->selectLayer(kConvolutionLayer);
    builder()->addLayer(LayerType::Convolution);
    QCOMPARE(document()->network().layers[1].name, std::string("conv2"));
    QCOMPARE(model->data(model->index(1, NetworkBuilderModel::OutputColumn)).toString(), QString("8x6x6"));
    QCOMPARE(model->data(model->index(1, NetworkBuilderModel::ParametersColumn)).toString(), QString("296"));
    QVERIFY(document()->plan().layers[1] == original.layers[kConvolutionLayer]);
    // The dense layer now has 8x3x3 = 72 inputs.
    QCOMPARE(model->data(model->index(5, NetworkBuilderModel::ParametersColumn)).toString(), QString("2,336"));

    // Reorder: conv2 below relu1, then remove dense2.
    builder()->selectLayer(1);
    builder()->moveSelectedLayer(1);
    QCOMPARE(builder()->currentLayer(), 2);
    builder()->selectLayer(5);
    builder()->removeSelectedLayer();

    const std::vector<std::string> expected{"conv1", "relu1", "conv2", "pool1", "flatten", "dense1", "loss"};
    QCOMPARE(joined(layerNames(document()->network())), joined(expected));
    QVERIFY2(document()->isValid(), qPrintable(document()->firstProblem()));
    QCOMPARE(matrix()->model()->rowCount(), int(expected.size()) + 1);
    QCOMPARE(document()->plan().layers.size(), expected.size());
    QVERIFY(document()->plan().layers[2] == original.layers[kConvolutionLayer]);

    // The run has not trained, so it takes every edit at once.
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot()->experiment.network == document()->network(),
                             kTimeoutMilliseconds);
    QVERIFY(window_->latestSnapshot()->experiment.precision == document()->plan());
    QVERIFY(!builder()->pendingNoticeShown());
    QVERIFY(action("startAction")->isEnabled());
}

void TestExperimentEditing::outputLayerStaysLast()
{
    const int output = int(document()->network().layers.size()) - 1;
    QVERIFY(document()->isOutputLayer(output));
    QVERIFY(!document()->canRemove(output));
    QVERIFY(!document()->canMove(output - 1, output));

    // Nothing selected: a new layer goes above the output.
    builder()->selectLayer(-1);
    builder()->addLayer(LayerType::ReLU);
    QVERIFY(document()->network().layers.back().type == LayerType::SoftmaxCrossEntropy);
    QCOMPARE(document()->network().layers[size_t(output)].name, std::string("relu2"));

    // Selected output: the same.
    builder()->selectLayer(output + 1);
    QVERIFY(!action("removeLayerAction")->isEnabled());
    QVERIFY(!action("moveLayerUpAction")->isEnabled());
    builder()->addLayer(LayerType::Flatten);
    QVERIFY(document()->network().layers.back().type == LayerType::SoftmaxCrossEntropy);
    QCOMPARE(document()->network().layers[size_t(output) + 1].name, std::string("flatten1"));
}

enum class Breakage { LargeKernel, NoFlatten, WrongClassCount, PoolOnSinglePixel };
Q_DECLARE_METATYPE(Breakage)

void TestExperimentEditing::impossibleNetworkExplained_data()
{
    QTest::addColumn<Breakage>("breakage");
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("problem");

    QTest::newRow("kernel larger than input") << Breakage::LargeKernel << kConvolutionLayer
                                              << "kernel 9x9 is larger than its padded input 8x8";
    QTest::newRow("dense without flatten") << Breakage::NoFlatten << kDenseLayer - 1
                                           << "dense layers take a vector, but the input is 4x3x3";
    QTest::newRow("wrong class count") << Breakage::WrongClassCount << kDenseLayer
                                       << "the last layer gives 5 class scores, but the data has 4 classes";
    QTest::newRow("pool on one pixel") << Breakage::PoolOnSinglePixel << 2
                                       << "2x2 pooling needs a map of at least 2x2, but its input map is 1x1";
}

void TestExperimentEditing::impossibleNetworkExplained()
{
    QFETCH(Breakage, breakage);
    QFETCH(int, row);
    QFETCH(QString, problem);

    NetworkBuilderModel* model = builder()->model();
    const NetworkSpec original = document()->network();
    switch (breakage) {
    case Breakage::LargeKernel:
        QVERIFY(model->setData(model->index(kConvolutionLayer, NetworkBuilderModel::KernelColumn), 9));
        break;
    case Breakage::NoFlatten:
        builder()->selectLayer(kFlattenLayer);
        builder()->removeSelectedLayer();
        break;
    case Breakage::WrongClassCount:
        QVERIFY(model->setData(model->index(kDenseLayer, NetworkBuilderModel::SizeColumn), 5));
        break;
    case Breakage::PoolOnSinglePixel:
        QVERIFY(model->setData(model->index(kConvolutionLayer, NetworkBuilderModel::KernelColumn), 8));
        break;
    }

    // The sentence sits on the offending row, in red, and that row alone is marked.
    QVERIFY(!document()->isValid());
    for (int other = 0; other < model->rowCount(); ++other) {
        const QModelIndex output = model->index(other, NetworkBuilderModel::OutputColumn);
        const bool marked = !model->data(model->index(other, NetworkBuilderModel::NameColumn), Qt::DecorationRole).isNull();
        QCOMPARE(marked, other == row);
        if (other != row)
            continue;
        const QString text = model->data(output).toString();
        QVERIFY2(text.contains(problem), qPrintable(text));
        QCOMPARE(model->data(output, Qt::ForegroundRole).value<QBrush>().color(), QColor(176, 0, 32));
    }

    saveScreenshot(prepareViewScreenshot(*window_, "builder"), QString("builder-error-%1").arg(int(breakage)));

    // Start and Step once stay disabled, with the reason in the tooltip.
    QAction* start = action("startAction");
    QVERIFY(!start->isEnabled());
    QVERIFY(!action("stepAction")->isEnabled());
    QVERIFY2(start->toolTip().contains(problem), qPrintable(start->toolTip()));
    window_->start();
    QTest::qWait(100);
    QCOMPARE(window_->latestSnapshot()->step, 0u);
    // The run keeps the last network that could train.
    QVERIFY(run()->experiment().network == original);

    // Fixing it enables Start again.
    action("undoAction")->trigger();
    QVERIFY2(document()->isValid(), qPrintable(document()->firstProblem()));
    QVERIFY(document()->network() == original);
    QVERIFY(start->isEnabled());
    QVERIFY(model->data(model->index(row, NetworkBuilderModel::NameColumn), Qt::DecorationRole).isNull());
}

void TestExperimentEditing::spinBoxUpdatesShapesAsTyped()
{
    QTableView* view = builder()->view();
    NetworkBuilderModel* model = builder()->model();
    const QModelIndex kernel = model->index(kConvolutionLayer, NetworkBuilderModel::KernelColumn);
    const QModelIndex output = model->index(kConvolutionLayer, NetworkBuilderModel::OutputColumn);
    QCOMPARE(model->data(output).toString(), QString("4x6x6"));

    view->setCurrentIndex(kernel);
    view->edit(kernel);
    auto* spinBox = view->findChild<QSpinBox*>("layerParameterEditor");
    QVERIFY(spinBox);
    QCOMPARE(spinBox->value(), 3);

    // Each step of the open spin box updates the shape at once, without Enter.
    QTest::keyClick(spinBox, Qt::Key_Up);
    QCOMPARE(model->data(output).toString(), QString("4x5x5"));
    QTest::keyClick(spinBox, Qt::Key_Up);
    QTest::keyClick(spinBox, Qt::Key_Up);
    QTest::keyClick(spinBox, Qt::Key_Up);
    QCOMPARE(model->data(output).toString(), QString("4x2x2"));
    QTest::keyClick(spinBox, Qt::Key_Up);
    QTest::keyClick(spinBox, Qt::Key_Up);
    QCOMPARE(spinBox->value(), 9);
    QVERIFY2(model->data(output).toString().contains("kernel 9x9 is larger"), qPrintable(model->data(output).toString()));
    QVERIFY(!action("startAction")->isEnabled());

    // The steps of one spin box are one undo step.
    QCOMPARE(document()->undoStack()->count(), 1);
    QTest::keyClick(spinBox, Qt::Key_Return);
    action("undoAction")->trigger();
    QCOMPARE(document()->network().layers[kConvolutionLayer].kernel, 3);
    QVERIFY(action("startAction")->isEnabled());
}

void TestExperimentEditing::undoRedoRestoresExactly()
{
    const NetworkSpec network0 = document()->network();
    const PrecisionPlan plan0 = document()->plan();
    QUndoStack* stack = document()->undoStack();
    QCOMPARE(action("undoAction")->shortcut(), QKeySequence("Ctrl+Z"));
    QCOMPARE(action("redoAction")->shortcut(), QKeySequence("Ctrl+Shift+Z"));

    builder()->selectLayer(kFlattenLayer);
    builder()->addLayer(LayerType::Dense);
    const NetworkSpec network1 = document()->network();
    const PrecisionPlan plan1 = document()->plan();

    PrecisionChange change;
    change.wordBits = 6;
    change.rounding = RoundingMode::Stochastic;
    QVERIFY(!document()->changePrecision({{0, TensorKind::Activations}, {kDenseLayer + 1, TensorKind::Weights}}, change));
    const PrecisionPlan plan2 = document()->plan();
    QVERIFY(!(plan2 == plan1));

    builder()->selectLayer(1);
    builder()->moveSelectedLayer(1);
    const NetworkSpec network3 = document()->network();
    const PrecisionPlan plan3 = document()->plan();
    QCOMPARE(stack->count(), 3);

    action("undoAction")->trigger();
    QVERIFY(document()->network() == network1);
    QVERIFY(document()->plan() == plan2);
    action("undoAction")->trigger();
    QVERIFY(document()->plan() == plan1);
    action("undoAction")->trigger();
    QVERIFY(document()->network() == network0);
    QVERIFY(document()->plan() == plan0);
    QVERIFY(!action("undoAction")->isEnabled());

    for (int i = 0; i < 3; ++i)
        action("redoAction")->trigger();
    QVERIFY(document()->network() == network3);
    QVERIFY(document()->plan() == plan3);

    // The run follows: it has not trained, so it has the redone network and plan.
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot()->experiment.network == network3, kTimeoutMilliseconds);
    QVERIFY(window_->latestSnapshot()->experiment.precision == plan3);
}

void TestExperimentEditing::invalidBitWidthRefused_data()
{
    QTest::addColumn<int>("layer");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("role");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("reason");

    const int weights = int(TensorKind::Weights);
    QTest::newRow("word bits 40") << kConvolutionLayer << weights << int(LayerTableModel::WordBitsRole)
                                  << QVariant(40) << "conv1 weights: word bits 40 is out of range: use 2 to 32";
    QTest::newRow("word bits 1") << kDenseLayer << weights << int(LayerTableModel::WordBitsRole) << QVariant(1)
                                 << "dense1 weights: word bits 1 is out of range: use 2 to 32";
    QTest::newRow("word bits not a number") << kDenseLayer << weights << int(LayerTableModel::WordBitsRole)
                                            << QVariant("eight") << "must be a whole number, not \"eight\"";
    QTest::newRow("fractional length 100") << kDenseLayer << weights << int(LayerTableModel::FractionalLengthRole)
                                           << QVariant(100) << "fractional length 100 is out of range: use -32 to 64";
    QTest::newRow("fractional length under max-abs")
        << kConvolutionLayer << weights << int(LayerTableModel::FractionalLengthRole) << QVariant(3)
        << "chosen by the max-abs policy, so it can only be set when the policy is manual";
    QTest::newRow("layer without weights") << 1 << weights << int(LayerTableModel::WordBitsRole) << QVariant(8)
                                           << "relu1 has no weights";
    QTest::newRow("first layer's activation gradients")
        << kConvolutionLayer << int(TensorKind::ActivationGradients) << int(LayerTableModel::WordBitsRole)
        << QVariant(8) << "because it is the first layer";
}

void TestExperimentEditing::invalidBitWidthRefused()
{
    QFETCH(int, layer);
    QFETCH(int, kind);
    QFETCH(int, role);
    QFETCH(QVariant, value);
    QFETCH(QString, reason);

    LayerTableModel* model = matrix()->model();
    const PrecisionPlan before = document()->plan();
    QSignalSpy rejections(model, &LayerTableModel::editRejected);

    QVERIFY(!model->setData(model->indexOf(layer, TensorKind(kind)), value, role));
    QCOMPARE(rejections.count(), 1);
    const QString message = rejections.first().first().toString();
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(matrix()->messageText().contains(reason), qPrintable(matrix()->messageText()));
    QVERIFY(document()->plan() == before);
    QCOMPARE(document()->undoStack()->count(), 0);
}

void TestExperimentEditing::dialogRefusesInvalidBitWidth()
{
    LayerTableModel* model = matrix()->model();
    const PrecisionPlan before = document()->plan();
    matrix()->view()->setCurrentIndex(model->indexOf(kDenseLayer, TensorKind::Weights));
    PrecisionDialog* dialog = matrix()->editSelection();
    QVERIFY(dialog);
    QVERIFY(!dialog->isBulk());
    saveScreenshot(dialog, "precision-dialog");
    auto* wordBits = dialog->findChild<QSpinBox*>("wordBitsEditor");
    auto* fractionalLength = dialog->findChild<QSpinBox*>("fractionalLengthEditor");
    auto* problem = dialog->findChild<QLabel*>("problemLabel");
    QPushButton* apply = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QCOMPARE(wordBits->value(), 8);
    QCOMPARE(fractionalLength->value(), 6);
    QVERIFY(apply->isEnabled());

    wordBits->setValue(40);
    QVERIFY(!apply->isEnabled());
    QVERIFY2(problem->text().contains("dense1 weights: word bits 40 is out of range: use 2 to 32"),
             qPrintable(problem->text()));
    QVERIFY(problem->isVisible());
    saveScreenshot(dialog, "precision-dialog-invalid");

    // A valid value clears the reason; the preview gives the integer bits and range.
    wordBits->setValue(6);
    fractionalLength->setValue(3);
    QVERIFY(apply->isEnabled());
    QVERIFY(problem->text().isEmpty());
    const QString preview = dialog->findChild<QLabel*>("previewLabel")->text();
    QVERIFY2(preview.contains("6-bit fl 3 (2 integer bits) [-4, 3.875]"), qPrintable(preview));

    dialog->reject();
    QVERIFY(document()->plan() == before);
}

void TestExperimentEditing::bulkEditSetsActivations()
{
    LayerTableModel* model = matrix()->model();
    const PrecisionPlan before = document()->plan();
    matrix()->view()->selectColumn(LayerTableModel::columnOf(TensorKind::Activations));
    // Every layer but the output has activations, and the input row has its data in this column.
    const size_t layersWithActivations = document()->network().layers.size() - 1;
    QCOMPARE(matrix()->selectedCells().size(), layersWithActivations + 1);

    PrecisionDialog* dialog = matrix()->editSelection();
    QVERIFY(dialog);
    QVERIFY(dialog->isBulk());
    QPushButton* apply = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY2(!apply->isEnabled(), "nothing is ticked yet");
    QVERIFY(!dialog->fieldBox(PrecisionDialog::Field::WordBits)->isChecked());

    dialog->findChild<QSpinBox*>("wordBitsEditor")->setValue(6);
    QVERIFY(dialog->fieldBox(PrecisionDialog::Field::WordBits)->isChecked());
    QVERIFY(!dialog->fieldBox(PrecisionDialog::Field::Rounding)->isChecked());
    QVERIFY(apply->isEnabled());
    // The float input is left out, and the preview explains why.
    QCOMPARE(dialog->targetCells().size(), layersWithActivations);
    const QString preview = dialog->findChild<QLabel*>("previewLabel")->text();
    QVERIFY2(preview.contains("1 float tensor is left as it is"), qPrintable(preview));
    saveScreenshot(dialog, "bulk-dialog");
    QTest::mouseClick(apply, Qt::LeftButton);

    QCOMPARE(document()->undoStack()->count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot()->experiment.precision == document()->plan(),
                             kTimeoutMilliseconds);
    const PrecisionPlan& plan = window_->latestSnapshot()->experiment.precision;
    for (size_t layer = 0; layer < plan.layers.size(); ++layer) {
        for (TensorKind kind : kAllTensorKinds) {
            const TensorPrecision& now = plan.at(layer, kind);
            TensorPrecision expected = before.at(layer, kind);
            if (kind == TensorKind::Activations && hasTensor(document()->network(), layer, kind))
                expected.spec.format.wordBits = 6;
            QVERIFY2(now == expected, qPrintable(QString("layer %1 %2: %3").arg(layer).arg(kindLabel(kind))
                                                     .arg(QString::fromStdString(now.describe()))));
        }
    }
    QVERIFY(plan.input.isFloat);
    saveScreenshot(prepareViewScreenshot(*window_, "precision"), "precision-after-bulk");
    QVERIFY2(model->data(model->indexOf(kDenseLayer, TensorKind::Activations)).toString().startsWith("6-bit"),
             qPrintable(model->data(model->indexOf(kDenseLayer, TensorKind::Activations)).toString()));
}

void TestExperimentEditing::invalidBulkEditAppliesNothing()
{
    const PrecisionPlan before = document()->plan();
    matrix()->view()->selectColumn(LayerTableModel::columnOf(TensorKind::Weights));
    PrecisionDialog* dialog = matrix()->editSelection();
    QVERIFY(dialog);
    QCOMPARE(dialog->targetCells().size(), size_t(2));  // conv1 and dense1

    dialog->findChild<QSpinBox*>("wordBitsEditor")->setValue(40);
    QPushButton* apply = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(!apply->isEnabled());
    QVERIFY2(dialog->problem().contains("conv1 weights: word bits 40 is out of range"), qPrintable(dialog->problem()));

    // A manual fractional length on tensors whose policy chooses it is rejected as well.
    dialog->findChild<QSpinBox*>("wordBitsEditor")->setValue(8);
    dialog->findChild<QSpinBox*>("fractionalLengthEditor")->setValue(4);
    QVERIFY(!apply->isEnabled());
    QVERIFY2(dialog->problem().contains("chosen by the max-abs policy"), qPrintable(dialog->problem()));

    // The model refuses the same change with the reason and applies nothing.
    PrecisionChange change;
    change.wordBits = 40;
    QVERIFY(!matrix()->model()->applyChange(dialog->targetCells(), change));
    QVERIFY2(matrix()->messageText().contains("word bits 40 is out of range"), qPrintable(matrix()->messageText()));
    dialog->reject();
    QVERIFY(document()->plan() == before);
    QCOMPARE(document()->undoStack()->count(), 0);
}

void TestExperimentEditing::pausedPrecisionChangeContinues()
{
    startAndPause();
    const uint32_t pausedStep = window_->latestSnapshot()->step;
    const TensorStatistics& weightsBefore =
        window_->latestSnapshot()->statistics.layers.at(kDenseLayer)[size_t(TensorKind::Weights)];
    QCOMPARE(weightsBefore.format.wordBits, 8);

    LayerTableModel* model = matrix()->model();
    matrix()->view()->setCurrentIndex(model->indexOf(kDenseLayer, TensorKind::Weights));
    PrecisionDialog* dialog = matrix()->editSelection();
    QVERIFY(dialog);
    dialog->findChild<QSpinBox*>("wordBitsEditor")->setValue(6);
    dialog->findChild<QSpinBox*>("fractionalLengthEditor")->setValue(4);
    dialog->accept();

    QTRY_COMPARE_WITH_TIMEOUT(
        window_->latestSnapshot()->experiment.precision.at(kDenseLayer, TensorKind::Weights).spec.format.wordBits, 6,
        kTimeoutMilliseconds);
    QCOMPARE(QString::fromLatin1(toString(window_->latestSnapshot()->state)), QString("paused"));
    QCOMPARE(window_->latestSnapshot()->step, pausedStep);
    QVERIFY(action("startAction")->isEnabled());

    // Resumed, the run continues from the paused step with the new format.
    action("startAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot()->step > pausedStep + 2, kTimeoutMilliseconds);
    const SnapshotPointer latest = window_->latestSnapshot();
    const FixedFormat format = latest->statistics.layers.at(kDenseLayer)[size_t(TensorKind::Weights)].format;
    QCOMPARE(format.wordBits, 6);
    QCOMPARE(format.fractionalLength, 4);
    QVERIFY(std::find(latest->precisionChanges.begin(), latest->precisionChanges.end(), pausedStep)
            != latest->precisionChanges.end());
    QVERIFY(!latest->rows.empty());
    QVERIFY2(latest->rows.front().step < pausedStep, "the history before the change is kept");
}

void TestExperimentEditing::editWhileRunningPauses()
{
    window_->start();
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot()->step >= 2, kTimeoutMilliseconds);
    QCOMPARE(QString::fromLatin1(toString(window_->latestSnapshot()->state)), QString("running"));

    LayerTableModel* model = matrix()->model();
    QVERIFY(model->setData(model->indexOf(kDenseLayer, TensorKind::Weights), "stochastic", LayerTableModel::RoundingRole));
    QTRY_COMPARE_WITH_TIMEOUT(QString::fromLatin1(toString(window_->latestSnapshot()->state)), QString("paused"),
                              kTimeoutMilliseconds);
    QTRY_COMPARE_WITH_TIMEOUT(
        int(window_->latestSnapshot()->experiment.precision.at(kDenseLayer, TensorKind::Weights).spec.rounding),
        int(RoundingMode::Stochastic), kTimeoutMilliseconds);
}

void TestExperimentEditing::networkEditWaitsForRestart()
{
    startAndPause();
    const uint32_t pausedStep = window_->latestSnapshot()->step;
    const NetworkSpec trained = run()->experiment().network;

    builder()->selectLayer(kFlattenLayer);
    builder()->addLayer(LayerType::Dense);
    QVERIFY(editing()->networkPending());
    QVERIFY(builder()->pendingNoticeShown());
    saveScreenshot(prepareViewScreenshot(*window_, "builder"), "builder-pending");
    QVERIFY(run()->experiment().network == trained);
    // The old network can still resume.
    QVERIFY(action("startAction")->isEnabled());

    // Precision edits of the waiting network wait with it.
    PrecisionChange change;
    change.wordBits = 12;
    QVERIFY(!document()->changePrecision({{kFlattenLayer + 1, TensorKind::Weights}}, change));
    QVERIFY(run()->experiment().network == trained);
    QCOMPARE(window_->latestSnapshot()->step, pausedStep);

    // Apply (dialogs are off, so without the question) restarts the run with it.
    QTest::mouseClick(builder()->findChild<QPushButton*>("applyNetworkButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window_->latestSnapshot()->experiment.network == document()->network(),
                             kTimeoutMilliseconds);
    QCOMPARE(window_->latestSnapshot()->step, 0u);
    QCOMPARE(window_->latestSnapshot()->experiment.precision.at(kFlattenLayer + 1, TensorKind::Weights)
                 .spec.format.wordBits,
             12);
    QVERIFY(!editing()->networkPending());
    QVERIFY(!builder()->pendingNoticeShown());

    // After training again, Reset brings a waiting edit in by itself.
    startAndPause();
    builder()->selectLayer(kFlattenLayer + 1);
    builder()->removeSelectedLayer();
    QVERIFY(builder()->pendingNoticeShown());
    action("resetAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(run()->experiment().network == document()->network(), kTimeoutMilliseconds);
    QTRY_VERIFY_WITH_TIMEOUT(!builder()->pendingNoticeShown(), kTimeoutMilliseconds);
}

void TestExperimentEditing::cellShowsIntegerBitsAndRange()
{
    LayerTableModel* model = matrix()->model();
    PrecisionChange change;
    change.wordBits = 8;
    change.fractionalLength = 5;
    QVERIFY(model->applyChange({{kDenseLayer, TensorKind::Weights}}, change));
    QCOMPARE(model->data(model->indexOf(kDenseLayer, TensorKind::Weights)).toString(),
             QString("8-bit fl 5 (2 integer bits)\n[-4, 3.969] nearest-even"));

    // A policy's cell shows the fractional length it chose at the latest step.
    startAndPause();
    const TensorCell convolutionWeights{kConvolutionLayer, TensorKind::Weights};
    const auto chosen = model->currentFractionalLength(convolutionWeights);
    QVERIFY(chosen.has_value());
    const int fractionalLength = window_->latestSnapshot()->fractionalLengths[size_t(kConvolutionLayer) * kTensorKindCount];
    QCOMPARE(*chosen, fractionalLength);
    const QString text = model->data(model->indexOf(kConvolutionLayer, TensorKind::Weights)).toString();
    QVERIFY2(text.startsWith(QString("16-bit fl %1* (%2 integer bits)").arg(fractionalLength).arg(15 - fractionalLength)),
             qPrintable(text));

    // Absent tensors are shown as such and cannot be selected or edited.
    const QModelIndex absent = model->indexOf(1, TensorKind::Weights);
    QCOMPARE(model->flags(absent), Qt::NoItemFlags);
    QCOMPARE(model->data(absent).toString(), QString::fromUtf8("\u2013"));
}

void TestExperimentEditing::experimentFileRoundTrip()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString path = folder.filePath("edited.json");

    builder()->selectLayer(kFlattenLayer);
    builder()->addLayer(LayerType::Dense);
    QVERIFY2(editing()->saveExperimentFile(path), qPrintable(editing()->lastFileError()));
    const Experiment saved = loadExperiment(path);
    QVERIFY(saved.network == document()->network());
    QVERIFY(saved.precision == document()->plan());

    // Opening it in a window with another experiment loads it into the run and the editors.
    window_.reset();
    Experiment other = tinyExperiment();
    other.name = "other";
    window_ = makeWindow(other);
    QTRY_VERIFY_WITH_TIMEOUT(document()->experiment().name == "other", kTimeoutMilliseconds);
    QVERIFY(editing()->openExperimentFile(path));
    QTRY_VERIFY_WITH_TIMEOUT(document()->network() == saved.network, kTimeoutMilliseconds);
    QVERIFY(document()->plan() == saved.precision);
    QCOMPARE(document()->undoStack()->count(), 0);
    QVERIFY(run()->experiment() == saved);

    // An impossible network is not saved.
    QVERIFY(builder()->model()->setData(builder()->model()->index(0, NetworkBuilderModel::KernelColumn), 9));
    QVERIFY(!editing()->saveExperimentFile(folder.filePath("broken.json")));
    QVERIFY2(editing()->lastFileError().contains("kernel 9x9 is larger"), qPrintable(editing()->lastFileError()));
    QVERIFY(!QFile::exists(folder.filePath("broken.json")));
}

void TestExperimentEditing::unreadableExperimentFileReported()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString path = folder.filePath("bad.json");
    QJsonObject json = toJson(tinyExperiment());
    QJsonArray layers = json["layers"].toArray();
    QJsonObject first = layers[0].toObject();
    first["kernel"] = "three";
    layers[0] = first;
    json["layers"] = layers;
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(json).toJson());
    file.close();

    const NetworkSpec before = document()->network();
    QVERIFY(!editing()->openExperimentFile(path));
    const QString error = editing()->lastFileError();
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains("kernel"), qPrintable(error));
    QVERIFY(document()->network() == before);
}

void TestExperimentEditing::lastExperimentSurvivesRestart()
{
    QSettings().remove(settings_key::kLastExperiment);
    editing()->setKeepsLastExperiment(true);
    builder()->selectLayer(kFlattenLayer);
    builder()->addLayer(LayerType::Dense);
    PrecisionChange change;
    change.wordBits = 6;
    QVERIFY(!document()->changePrecision({{kFlattenLayer + 1, TensorKind::Activations}}, change));
    const Experiment edited = run()->experiment();
    QVERIFY(edited.network == document()->network());
    window_.reset();

    // What main() does without --preset or --experiment.
    GuiOptions options;
    const Experiment restored = experimentForStart(options);
    QVERIFY(restored == edited);
    options.dataDirectory = "/tmp/elsewhere";
    QCOMPARE(experimentForStart(options).data.directory, std::string("/tmp/elsewhere"));
    options = {};
    options.preset = "fixed16";
    QCOMPARE(experimentForStart(options).name, std::string("fixed16"));

    window_ = makeWindow(restored);
    QTRY_VERIFY_WITH_TIMEOUT(document()->network() == edited.network, kTimeoutMilliseconds);
    QVERIFY(document()->plan() == edited.precision);
    QCOMPARE(builder()->model()->rowCount(), int(edited.network.layers.size()));

    // A damaged entry falls back to the preset.
    QSettings().setValue(settings_key::kLastExperiment, "{\"network\": 3}");
    QVERIFY(!restoreLastExperiment());
    QCOMPARE(experimentForStart(GuiOptions{}).name, std::string(kDefaultPreset));
}

QTEST_MAIN(TestExperimentEditing)
#include "test_experiment_editing.moc"
