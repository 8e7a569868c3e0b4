#include "training_plots.h"

#include "plot_style.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace fxlab::gui {

namespace {

// The step axis of an empty or very short run still shows whole steps.
constexpr double kMinimumStepRange = 10;

void styleAxisRect(QCPAxisRect* rect, const QString& xLabel, const QString& yLabel)
{
    for (QCPAxis* axis : {rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft)}) {
        axis->setLabelFont(plot_style::labelFont());
        axis->setTickLabelFont(plot_style::tickFont());
    }
    rect->axis(QCPAxis::atBottom)->setLabel(xLabel);
    rect->axis(QCPAxis::atLeft)->setLabel(yLabel);
}

QCPGraph* addGraph(QCPAxisRect* rect, const QString& name, const QColor& colour, QCPLegend* legend)
{
    QCPGraph* graph = rect->parentPlot()->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    graph->setName(name);
    graph->setPen(QPen(colour, 2));
    graph->addToLegend(legend);
    return graph;
}

// A one-line legend in its own layout row above a panel, so that it never covers a curve.
QCPLegend* legendRowAbove(QCustomPlot* plot, QCPLegend* legend, int row)
{
    plot->plotLayout()->insertRow(row);
    plot->plotLayout()->addElement(row, 0, legend);
    plot->plotLayout()->setRowStretchFactor(row, 0.001);
    legend->setVisible(true);
    legend->setLayer("legend");
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(0);
    legend->setFont(plot_style::labelFont());
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setMargins(QMargins(0, 2, 0, 0));
    return legend;
}

} // namespace

TrainingPlots::TrainingPlots(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this))
{
    plot_->setObjectName("trainingPlot");
    plot_->setAutoAddPlottableToLegend(false);

    lossRect_ = plot_->axisRect();
    accuracyRect_ = new QCPAxisRect(plot_);
    plot_->plotLayout()->addElement(1, 0, accuracyRect_);
    auto* margins = new QCPMarginGroup(plot_);
    lossRect_->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    accuracyRect_->setMarginGroup(QCP::msLeft | QCP::msRight, margins);

    styleAxisRect(lossRect_, {}, "loss (cross-entropy)");
    styleAxisRect(accuracyRect_, "training step (one mini-batch each)", "accuracy (%)");
    accuracyRect_->axis(QCPAxis::atLeft)->setRange(0, 100);

    // The plot's own legend moves out of the loss panel's inset; the accuracy panel gets a second
    // one. Rows from the top: loss legend, loss panel, accuracy legend, accuracy panel.
    lossRect_->insetLayout()->take(plot_->legend);
    lossRect_->insetLayout()->simplify();
    lossLegend_ = legendRowAbove(plot_, plot_->legend, 0);
    accuracyLegend_ = legendRowAbove(plot_, new QCPLegend, 2);

    trainLoss_ = addGraph(lossRect_, "train loss (mean since the previous point)", plot_style::kBlue, lossLegend_);
    trainAccuracy_ = addGraph(accuracyRect_, "train accuracy", plot_style::kOrange, accuracyLegend_);
    testAccuracy_ = addGraph(accuracyRect_, "test accuracy", plot_style::kGreen, accuracyLegend_);
    testAccuracy_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 7));

    precisionChangeKey_ = addGraph(lossRect_, "precision changed", plot_style::kGrey, lossLegend_);
    precisionChangeKey_->setPen(QPen(plot_style::kGrey, 1.5, Qt::DashLine));
    precisionChangeKey_->removeFromLegend(lossLegend_);

    emptyHint_ = new QCPItemText(plot_);
    emptyHint_->setClipAxisRect(lossRect_);
    emptyHint_->position->setType(QCPItemPosition::ptAxisRectRatio);
    emptyHint_->position->setAxisRect(lossRect_);
    emptyHint_->position->setCoords(0.5, 0.5);
    emptyHint_->setFont(plot_style::labelFont());
    emptyHint_->setColor(plot_style::kGrey);
    emptyHint_->setText("No training steps yet: press Start.");

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    updateRanges(kMinimumStepRange, 1);
}

int TrainingPlots::trainLossPointCount() const
{
    return trainLoss_->dataCount();
}

int TrainingPlots::trainAccuracyPointCount() const
{
    return trainAccuracy_->dataCount();
}

int TrainingPlots::testAccuracyPointCount() const
{
    return testAccuracy_->dataCount();
}

bool TrainingPlots::setTestAccuracyName(const TrainingSettings& training)
{
    const QString when = training.evaluateEvery > 0 ? QString("every %1 steps").arg(training.evaluateEvery)
                                                    : QString("each epoch");
    const QString name = "test accuracy (" + when + ")";
    if (name == testAccuracy_->name())
        return false;
    testAccuracy_->setName(name);
    return true;
}

void TrainingPlots::showSnapshot(const Snapshot& snapshot)
{
    const std::vector<MetricsRow>& rows = snapshot.rows;
    const uint32_t lastStep = rows.empty() ? 0 : rows.back().step;
    const bool renamed = setTestAccuracyName(snapshot.experiment.training);
    if (!renamed && rows.size() == shownRows_ && lastStep == shownLastStep_
        && snapshot.precisionChanges == shownPrecisionChanges_)
        return;
    shownRows_ = rows.size();
    shownLastStep_ = lastStep;

    QVector<double> steps, losses, accuracies, testSteps, testAccuracies;
    steps.reserve(qsizetype(rows.size()));
    losses.reserve(qsizetype(rows.size()));
    accuracies.reserve(qsizetype(rows.size()));
    double maxLoss = 0;
    for (const MetricsRow& row : rows) {
        steps.push_back(row.step);
        losses.push_back(row.trainLoss);
        accuracies.push_back(100 * row.trainAccuracy);
        maxLoss = std::max(maxLoss, row.trainLoss);
        if (row.testAccuracy) {
            testSteps.push_back(row.step);
            testAccuracies.push_back(100 * *row.testAccuracy);
        }
    }
    trainLoss_->setData(steps, losses, true);
    trainAccuracy_->setData(steps, accuracies, true);
    testAccuracy_->setData(testSteps, testAccuracies, true);

    emptyHint_->setVisible(rows.empty());
    showPrecisionChanges(snapshot.precisionChanges);
    updateRanges(std::max<double>(lastStep, kMinimumStepRange), maxLoss > 0 ? maxLoss : 1);
    plot_->replot(QCustomPlot::rpQueuedReplot);
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
            auto* line = new QCPItemStraightLine(plot_);
            line->setPen(precisionChangeKey_->pen());
            line->setClipAxisRect(rect);
            for (QCPItemPosition* point : {line->point1, line->point2})
                point->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            line->point1->setCoords(step, 0);
            line->point2->setCoords(step, 1);
            precisionLines_.push_back(line);
        }
    }

    if (steps.empty())
        precisionChangeKey_->removeFromLegend(lossLegend_);
    else if (!lossLegend_->hasItemWithPlottable(precisionChangeKey_))
        precisionChangeKey_->addToLegend(lossLegend_);
}

void TrainingPlots::updateRanges(double lastStep, double maxLoss)
{
    for (QCPAxisRect* rect : {lossRect_, accuracyRect_})
        rect->axis(QCPAxis::atBottom)->setRange(0, lastStep);
    lossRect_->axis(QCPAxis::atLeft)->setRange(0, 1.08 * maxLoss);
}

void TrainingPlots::replotNow()
{
    plot_->replot();
}

} // namespace fxlab::gui
