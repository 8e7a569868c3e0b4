#include "training_plots.h"

#include "legend_layout.h"
#include "plot_style.h"
#include "rows_signature.h"
#include "step_axis_items.h"
#include "view_timing.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLocale>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace fxlab::gui {

namespace {

// The step axis of an empty or very short run still shows whole steps.
constexpr double kMinimumStepRange = 10;

// Each upright axis label, longest first. The longest that fits the plot's height is shown.
const QStringList kLossLabels{"loss (cross-entropy)", "loss"};
const QStringList kAccuracyLabels{"accuracy (%)", "accuracy %", "%"};

void styleAxisRect(QCPAxisRect* rect, const QString& xLabel, const QString& yLabel)
{
    for (QCPAxis* axis : {rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft)}) {
        axis->setLabelFont(plot_style::labelFont());
        axis->setTickLabelFont(plot_style::tickFont());
    }
    rect->axis(QCPAxis::atBottom)->setLabel(xLabel);
    rect->axis(QCPAxis::atLeft)->setLabel(yLabel);
}

QCPGraph* addGraph(QCPAxisRect* rect, const QString& name, const QPen& pen)
{
    QCPGraph* graph = rect->parentPlot()->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    graph->setName(name);
    graph->setPen(pen);
    return graph;
}

// The float twin's curves: the colour of the fixed-point curve, mixed halfway with white.
QColor lighter(const QColor& colour)
{
    return QColor((colour.red() + 255) / 2, (colour.green() + 255) / 2, (colour.blue() + 255) / 2);
}

QString count(int value)
{
    return QLocale().toString(value);
}

// Whether a test point of `row` used only the first evaluationSamples test samples: the
// evaluations between epoch ends do, when the setting is below the size of the test set.
bool usedPartOfTestSet(const MetricsRow& row, const TrainingSettings& training)
{
    return training.evaluateEvery > 0 && training.evaluationSamples > 0
           && row.testSamples == training.evaluationSamples;
}

} // namespace

TrainingPlots::TrainingPlots(QWidget* parent)
    : QWidget(parent), floatTwinToggle_(new QCheckBox("&Float twin", this)), plot_(new QCustomPlot(this))
{
    floatTwinToggle_->setObjectName("floatTwinToggle");
    floatTwinToggle_->setToolTip("Train the same network from the same seed in float beside this run, and draw "
                                 "its curves dashed. Turned on in the middle of a run, the twin catches up "
                                 "by taking two steps for each step of the run.");
    connect(floatTwinToggle_, &QCheckBox::toggled, this, [this](bool enabled) {
        requestedFloatTwin_ = enabled;
        emit floatTwinToggled(enabled);
    });

    plot_->setObjectName("trainingPlot");
    // Each curve as one polyline: a replot takes about a third less time, and 2-pixel lines keep
    // their joins clean enough.
    plot_->setPlottingHint(QCP::phFastPolylines, true);
    ViewTiming::measureReplots(plot_, "curves: replot");
    plot_->setAutoAddPlottableToLegend(false);

    lossRect_ = plot_->axisRect();
    accuracyRect_ = new QCPAxisRect(plot_);
    plot_->plotLayout()->addElement(1, 0, accuracyRect_);
    auto* margins = new QCPMarginGroup(plot_);
    lossRect_->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    accuracyRect_->setMarginGroup(QCP::msLeft | QCP::msRight, margins);

    styleAxisRect(lossRect_, {}, kLossLabels.front());
    styleAxisRect(accuracyRect_, "training step (one mini-batch each)", kAccuracyLabels.front());
    // A short plot, such as in presentation mode, turns its upright axis label into a shorter one
    // instead of letting it run into the other plot's label.
    connect(plot_, &QCustomPlot::beforeReplot, this, &TrainingPlots::fitAxisLabels);
    accuracyRect_->axis(QCPAxis::atLeft)->setRange(0, 100);

    fixed_ = addCurves(false);
    twin_ = addCurves(true);
    const auto ring = [](const QColor& colour) {
        QCPScatterStyle style(QCPScatterStyle::ssCircle, plot_style::scaled(11));
        style.setPen(plot_style::pen(colour, 2));
        return style;
    };
    wholeSetLoss_ = addGraph(lossRect_, "test on the whole test set", Qt::NoPen);
    wholeSetLoss_->setLineStyle(QCPGraph::lsNone);
    wholeSetLoss_->setScatterStyle(ring(plot_style::kGreen));
    wholeSetAccuracy_ = addGraph(accuracyRect_, wholeSetLoss_->name(), Qt::NoPen);
    wholeSetAccuracy_->setLineStyle(QCPGraph::lsNone);
    wholeSetAccuracy_->setScatterStyle(ring(plot_style::kGreen));

    precisionChangeKey_ = addGraph(lossRect_, "precision changed", precisionChangePen());
    cursorKey_ = addGraph(lossRect_, "step shown by the timeline", timelineCursorPen());
    createLegend();
    createCursor();

    emptyHint_ = new QCPItemText(plot_);
    emptyHint_->setClipAxisRect(lossRect_);
    emptyHint_->position->setType(QCPItemPosition::ptAxisRectRatio);
    emptyHint_->position->setAxisRect(lossRect_);
    emptyHint_->position->setCoords(0.5, 0.5);
    emptyHint_->setFont(plot_style::labelFont());
    emptyHint_->setColor(plot_style::kGrey);
    emptyHint_->setText("No training steps yet: press Start.");

    auto* toggleRow = new QHBoxLayout;
    toggleRow->setContentsMargins(6, 0, 6, 0);
    toggleRow->addWidget(floatTwinToggle_);
    toggleRow->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(toggleRow);
    layout->addWidget(plot_, 1);
    updateRanges();
}

TrainingPlots::Curves TrainingPlots::addCurves(bool floatTwin)
{
    const auto curvePen = [floatTwin](const QColor& colour) {
        return floatTwin ? plot_style::pen(lighter(colour), 2, Qt::DashLine) : plot_style::pen(colour, 2);
    };
    const QString prefix = floatTwin ? "float twin: " : "";
    Curves curves{};
    curves.trainLoss = addGraph(lossRect_, prefix + "train", curvePen(plot_style::kBlue));
    curves.testLoss = addGraph(lossRect_, prefix + "test", curvePen(plot_style::kGreen));
    curves.trainAccuracy = addGraph(accuracyRect_, prefix + "train", curvePen(plot_style::kBlue));
    curves.testAccuracy = addGraph(accuracyRect_, prefix + "test", curvePen(plot_style::kGreen));
    const QColor testColour = floatTwin ? lighter(plot_style::kGreen) : plot_style::kGreen;
    for (QCPGraph* test : {curves.testLoss, curves.testAccuracy})
        test->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, testColour, plot_style::scaled(6)));
    return curves;
}

// One legend row above both panels: the colours mean the same in each, so one key serves both.
void TrainingPlots::createLegend()
{
    lossRect_->insetLayout()->take(plot_->legend);
    lossRect_->insetLayout()->simplify();
    legend_ = plot_->legend;
    // The legend keeps its own width at the left; an empty element takes the rest of the row.
    auto* legendRow = new QCPLayoutGrid;
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, legendRow);
    plot_->plotLayout()->setRowStretchFactor(0, 0.001);
    legendRow->addElement(0, 0, legend_);
    legendRow->addElement(0, 1, new QCPLayoutGrid);
    legendRow->setColumnStretchFactors({0.001, 1});
    legend_->setVisible(true);
    legend_->setLayer("legend");
    legend_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend_->setFont(plot_style::labelFont());
    legend_->setBorderPen(Qt::NoPen);
    legend_->setBrush(Qt::NoBrush);
    legend_->setMargins(QMargins(0, 2, 0, 0));
    updateLegend();
}

void TrainingPlots::createCursor()
{
    lossCursor_ = addVerticalLine(lossRect_, timelineCursorPen());
    accuracyCursor_ = addVerticalLine(accuracyRect_, timelineCursorPen());
    cursorLabel_ = new QCPItemText(plot_);
    cursorLabel_->setClipAxisRect(lossRect_);
    cursorLabel_->position->setTypeX(QCPItemPosition::ptPlotCoords);
    cursorLabel_->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    cursorLabel_->position->setAxes(lossRect_->axis(QCPAxis::atBottom), lossRect_->axis(QCPAxis::atLeft));
    cursorLabel_->position->setAxisRect(lossRect_);
    cursorLabel_->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    cursorLabel_->setPadding(QMargins(4, 2, 4, 2));
    cursorLabel_->setFont(plot_style::labelFont());
    cursorLabel_->setBrush(QColor(255, 255, 255, 220));
    for (QCPAbstractItem* item : {static_cast<QCPAbstractItem*>(lossCursor_),
                                  static_cast<QCPAbstractItem*>(accuracyCursor_),
                                  static_cast<QCPAbstractItem*>(cursorLabel_)})
        item->setVisible(false);
}

int TrainingPlots::trainLossPointCount() const
{
    return fixed_.trainLoss->dataCount();
}

int TrainingPlots::trainAccuracyPointCount() const
{
    return fixed_.trainAccuracy->dataCount();
}

int TrainingPlots::testAccuracyPointCount() const
{
    return fixed_.testAccuracy->dataCount();
}

int TrainingPlots::testLossPointCount() const
{
    return fixed_.testLoss->dataCount();
}

int TrainingPlots::floatTrainLossPointCount() const
{
    return twin_.trainLoss->dataCount();
}

int TrainingPlots::floatTestAccuracyPointCount() const
{
    return twin_.testAccuracy->dataCount();
}

void TrainingPlots::showSnapshot(const Snapshot& snapshot)
{
    static ViewTiming timing("curves: showSnapshot");
    const ScopedViewTimer timer(timing);
    followFloatTwin(snapshot);
    // Start is disabled once a run has failed, so the hint must not point to it then.
    const QString hint = snapshot.state == RunState::Failed
                             ? "The run failed before its first step: the status bar says why."
                             : "No training steps yet: press Start.";
    if (emptyHint_->text() != hint) {
        emptyHint_->setText(hint);
        plot_->replot(QCustomPlot::rpQueuedReplot);
    }

    const std::vector<MetricsRow>& rows = snapshot.rows;
    const std::vector<MetricsRow>& floatRows = snapshot.floatRows;
    const RowsSignature signature = RowsSignature::of(rows);
    const RowsSignature floatSignature = RowsSignature::of(floatRows);
    if (signature == shownRows_ && floatSignature == shownFloatRows_
        && snapshot.precisionChanges == shownPrecisionChanges_)
        return;
    shownRows_ = signature;
    shownFloatRows_ = floatSignature;
    const uint32_t lastStep = signature.lastStep;
    const uint32_t floatLastStep = floatSignature.lastStep;

    const TrainingSettings& training = snapshot.experiment.training;
    maxLoss_ = 0;
    fillCurves(fixed_, rows);
    fillCurves(twin_, floatRows);
    fillWholeSetPoints(rows, training);
    nameTestCurves(rows, training);
    lastStep_ = std::max(lastStep, floatLastStep);

    emptyHint_->setVisible(rows.empty());
    showPrecisionChanges(snapshot.precisionChanges);
    updateLegend();
    updateRanges();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

// The toggle follows the worker, which turns the twin off by itself when the twin fails, except
// while a request of the user is still on its way.
void TrainingPlots::followFloatTwin(const Snapshot& snapshot)
{
    if (requestedFloatTwin_) {
        if (snapshot.floatTwin != *requestedFloatTwin_)
            return;
        requestedFloatTwin_.reset();
    }
    if (floatTwinToggle_->isChecked() == snapshot.floatTwin)
        return;
    const QSignalBlocker blocker(floatTwinToggle_);
    floatTwinToggle_->setChecked(snapshot.floatTwin);
}

void TrainingPlots::fillCurves(const Curves& curves, const std::vector<MetricsRow>& rows)
{
    QVector<double> steps, losses, accuracies, testSteps, testLosses, testAccuracies;
    steps.reserve(qsizetype(rows.size()));
    losses.reserve(qsizetype(rows.size()));
    accuracies.reserve(qsizetype(rows.size()));
    for (const MetricsRow& row : rows) {
        steps.push_back(row.step);
        losses.push_back(row.trainLoss);
        accuracies.push_back(100 * row.trainAccuracy);
        maxLoss_ = std::max(maxLoss_, row.trainLoss);
        if (row.testAccuracy && row.testLoss) {
            testSteps.push_back(row.step);
            testLosses.push_back(*row.testLoss);
            testAccuracies.push_back(100 * *row.testAccuracy);
            maxLoss_ = std::max(maxLoss_, *row.testLoss);
        }
    }
    curves.trainLoss->setData(steps, losses, true);
    curves.trainAccuracy->setData(steps, accuracies, true);
    curves.testLoss->setData(testSteps, testLosses, true);
    curves.testAccuracy->setData(testSteps, testAccuracies, true);
}

// Rings mark the test points that used the whole test set, but only in a run that also has points
// on part of it. Where every point used the whole set, rings would add nothing.
void TrainingPlots::fillWholeSetPoints(const std::vector<MetricsRow>& rows, const TrainingSettings& training)
{
    const bool anyPartial = std::any_of(rows.begin(), rows.end(), [&](const MetricsRow& row) {
        return row.testAccuracy && usedPartOfTestSet(row, training);
    });
    QVector<double> steps, losses, accuracies;
    for (const MetricsRow& row : rows) {
        if (!anyPartial || !row.testAccuracy || !row.testLoss || usedPartOfTestSet(row, training))
            continue;
        steps.push_back(row.step);
        losses.push_back(*row.testLoss);
        accuracies.push_back(100 * *row.testAccuracy);
    }
    wholeSetLoss_->setData(steps, losses, true);
    wholeSetAccuracy_->setData(steps, accuracies, true);
}

// Names the test curves with the number of test samples behind each kind of point, from the rows.
void TrainingPlots::nameTestCurves(const std::vector<MetricsRow>& rows, const TrainingSettings& training)
{
    int wholeSet = 0;
    bool anyPartial = false;
    for (const MetricsRow& row : rows) {
        if (!row.testAccuracy)
            continue;
        if (usedPartOfTestSet(row, training))
            anyPartial = true;
        else
            wholeSet = std::max(wholeSet, row.testSamples);
    }

    QString test = "test, each epoch";
    if (anyPartial)
        test = QString("test, every %1 steps on the first %2 test samples")
                   .arg(count(training.evaluateEvery), count(training.evaluationSamples));
    else if (training.evaluateEvery > 0)
        test = QString("test, every %1 steps").arg(count(training.evaluateEvery));
    for (QCPGraph* graph : {fixed_.testLoss, fixed_.testAccuracy})
        graph->setName(test);

    const QString whole = QString("test on all %1 test samples (epoch ends, run end)").arg(count(wholeSet));
    for (QCPGraph* graph : {wholeSetLoss_, wholeSetAccuracy_})
        graph->setName(whole);
}

void TrainingPlots::showPrecisionChanges(const std::vector<uint32_t>& steps)
{
    if (steps == shownPrecisionChanges_)
        return;
    shownPrecisionChanges_ = steps;

    for (QCPAbstractItem* line : precisionLines_)
        plot_->removeItem(line);
    precisionLines_.clear();
    for (uint32_t step : steps) {
        for (QCPAxisRect* rect : {lossRect_, accuracyRect_}) {
            QCPItemStraightLine* line = addVerticalLine(rect, precisionChangePen());
            setVerticalLineStep(line, step);
            precisionLines_.push_back(line);
        }
    }
}

void TrainingPlots::setCursorStep(std::optional<uint32_t> step)
{
    if (step == cursorStep_)
        return;
    cursorStep_ = step;
    for (QCPItemStraightLine* line : {lossCursor_, accuracyCursor_}) {
        line->setVisible(step.has_value());
        if (step)
            setVerticalLineStep(line, *step);
    }
    cursorLabel_->setVisible(step.has_value());
    if (step) {
        cursorLabel_->position->setCoords(double(*step), 0.0);
        cursorLabel_->setText(QString("step %1").arg(QLocale().toString(*step)));
    }
    updateLegend();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

// Entries appear only for what is drawn: no float twin entries before the twin has a point, no
// precision change entry before the first change.
void TrainingPlots::updateLegend()
{
    std::vector<QCPGraph*> entries{fixed_.trainLoss, fixed_.testLoss};
    if (wholeSetLoss_->dataCount() > 0)
        entries.push_back(wholeSetLoss_);
    if (twin_.trainLoss->dataCount() > 0) {
        entries.push_back(twin_.trainLoss);
        entries.push_back(twin_.testLoss);
    }
    if (!shownPrecisionChanges_.empty())
        entries.push_back(precisionChangeKey_);
    if (cursorStep_)
        entries.push_back(cursorKey_);

    bool same = legend_->itemCount() == int(entries.size());
    for (int i = 0; same && i < legend_->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend_->item(i));
        same = item && item->plottable() == entries[size_t(i)];
    }
    if (same)
        return;
    legend_->clearItems();
    for (QCPGraph* entry : entries)
        entry->addToLegend(legend_);
    fitLegendColumns(legend_, plot_->width());
}

// Presentation mode sets the application font first and rescales the plot's fonts afterwards, so
// the legend is fitted once both are done.
void TrainingPlots::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        QTimer::singleShot(0, this, [this] { fitLegendColumns(legend_, plot_->width()); });
}

void TrainingPlots::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitLegendColumns(legend_, plot_->width());
}

void TrainingPlots::fitAxisLabels()
{
    const auto fit = [](QCPAxisRect* rect, const QStringList& labels) {
        QCPAxis* axis = rect->axis(QCPAxis::atLeft);
        const int height = rect->rect().height();
        const QFontMetrics metrics(axis->labelFont());
        QString label = labels.back();
        for (const QString& candidate : labels) {
            // Before the first layout the plot has no height yet: keep the full label.
            if (height <= 0 || metrics.horizontalAdvance(candidate) <= height) {
                label = candidate;
                break;
            }
        }
        if (axis->label() != label)
            axis->setLabel(label);
    };
    fit(lossRect_, kLossLabels);
    fit(accuracyRect_, kAccuracyLabels);
}

void TrainingPlots::updateRanges()
{
    // A little room after the last step keeps its test point, ring included, inside the plot.
    const double lastStep = std::max(lastStep_, kMinimumStepRange);
    for (QCPAxisRect* rect : {lossRect_, accuracyRect_})
        rect->axis(QCPAxis::atBottom)->setRange(0, 1.015 * lastStep);
    lossRect_->axis(QCPAxis::atLeft)->setRange(0, 1.08 * (maxLoss_ > 0 ? maxLoss_ : 1));
}

void TrainingPlots::replotNow()
{
    plot_->replot();
}

} // namespace fxlab::gui
