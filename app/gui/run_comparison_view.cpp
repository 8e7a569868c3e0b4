#include "run_comparison_view.h"

#include "plot_style.h"
#include "run_controller.h"
#include "run_list_model.h"
#include "run_manager.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace fxlab::gui {

namespace {

// Snapshots arrive at up to 30 a second per run, but redrawing every run's curves 5 times a second
// is enough to follow them.
constexpr int kRedrawIntervalMilliseconds = 200;
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

} // namespace

RunComparisonView::RunComparisonView(RunListModel* runs, QWidget* parent)
    : QWidget(parent), runs_(runs), plot_(new QCustomPlot(this))
{
    plot_->setObjectName("runComparisonPlot");
    plot_->setAutoAddPlottableToLegend(false);

    lossRect_ = plot_->axisRect();
    accuracyRect_ = new QCPAxisRect(plot_);
    plot_->plotLayout()->addElement(1, 0, accuracyRect_);
    auto* margins = new QCPMarginGroup(plot_);
    lossRect_->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    accuracyRect_->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    styleAxisRect(lossRect_, {}, "train loss (cross-entropy)");
    styleAxisRect(accuracyRect_, "training step (one mini-batch each)", "test accuracy (%)");
    accuracyRect_->axis(QCPAxis::atLeft)->setRange(0, 100);

    // The legend gets a row of its own above the loss panel, so that it never covers a curve.
    legend_ = plot_->legend;
    lossRect_->insetLayout()->take(legend_);
    lossRect_->insetLayout()->simplify();
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, legend_);
    plot_->plotLayout()->setRowStretchFactor(0, 0.001);
    legend_->setVisible(true);
    legend_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend_->setWrap(3);
    legend_->setFont(plot_style::labelFont());
    legend_->setBorderPen(Qt::NoPen);
    legend_->setBrush(Qt::NoBrush);

    emptyHint_ = new QCPItemText(plot_);
    emptyHint_->setClipAxisRect(lossRect_);
    emptyHint_->position->setType(QCPItemPosition::ptAxisRectRatio);
    emptyHint_->position->setAxisRect(lossRect_);
    emptyHint_->position->setCoords(0.5, 0.5);
    emptyHint_->setFont(plot_style::labelFont());
    emptyHint_->setColor(plot_style::kGrey);
    emptyHint_->setText("Check runs in the run list to overlay their curves here.");

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    redrawTimer_.setSingleShot(true);
    redrawTimer_.setInterval(kRedrawIntervalMilliseconds);
    connect(&redrawTimer_, &QTimer::timeout, this, [this] {
        if (isVisible())
            rebuild();
    });
    connect(runs_, &RunListModel::comparedRunsChanged, this, &RunComparisonView::invalidate);
    connect(runs_, &QAbstractItemModel::modelReset, this, &RunComparisonView::invalidate);
    connect(runs_->runManager(), &RunManager::runSnapshotChanged, this, [this](int index, const SnapshotPointer&) {
        if (runs_->isCompared(index))
            invalidate();
    });
    rebuild();
}

void RunComparisonView::invalidate()
{
    outOfDate_ = true;
    if (isVisible() && !redrawTimer_.isActive())
        redrawTimer_.start();
}

void RunComparisonView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (outOfDate_)
        rebuild();
}

void RunComparisonView::rebuild()
{
    outOfDate_ = false;
    for (QCPGraph* graph : lossGraphs_)
        plot_->removeGraph(graph);
    for (QCPGraph* graph : accuracyGraphs_)
        plot_->removeGraph(graph);
    lossGraphs_.clear();
    accuracyGraphs_.clear();
    legend_->clearItems();

    double lastStep = kMinimumStepRange;
    double maxLoss = 0;
    for (RunController* run : runs_->comparedRuns()) {
        const QColor colour = runs_->colourOf(run);
        QCPGraph* loss = plot_->addGraph(lossRect_->axis(QCPAxis::atBottom), lossRect_->axis(QCPAxis::atLeft));
        loss->setName(run->name());
        loss->setPen(plot_style::pen(colour));
        loss->addToLegend(legend_);
        QCPGraph* accuracy =
            plot_->addGraph(accuracyRect_->axis(QCPAxis::atBottom), accuracyRect_->axis(QCPAxis::atLeft));
        accuracy->setName(run->name());
        accuracy->setPen(plot_style::pen(colour));
        accuracy->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, plot_style::scaled(7)));
        lossGraphs_.push_back(loss);
        accuracyGraphs_.push_back(accuracy);

        const SnapshotPointer snapshot = run->latestSnapshot();
        if (!snapshot)
            continue;
        QVector<double> steps, losses, testSteps, testAccuracies;
        for (const MetricsRow& row : snapshot->rows) {
            steps.push_back(row.step);
            losses.push_back(row.trainLoss);
            maxLoss = std::max(maxLoss, row.trainLoss);
            if (row.testAccuracy) {
                testSteps.push_back(row.step);
                testAccuracies.push_back(100 * *row.testAccuracy);
            }
        }
        loss->setData(steps, losses, true);
        accuracy->setData(testSteps, testAccuracies, true);
        if (!steps.isEmpty())
            lastStep = std::max(lastStep, steps.back());
    }

    emptyHint_->setVisible(lossGraphs_.empty());
    // A little room right of the last step, so that its accuracy marker is not cut in half.
    for (QCPAxisRect* rect : {lossRect_, accuracyRect_})
        rect->axis(QCPAxis::atBottom)->setRange(0, 1.02 * lastStep);
    lossRect_->axis(QCPAxis::atLeft)->setRange(0, maxLoss > 0 ? 1.08 * maxLoss : 1);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void RunComparisonView::replotNow()
{
    rebuild();
    plot_->replot();
}

QStringList RunComparisonView::legendNames() const
{
    QStringList names;
    for (int item = 0; item < legend_->itemCount(); ++item)
        if (auto* entry = qobject_cast<QCPPlottableLegendItem*>(legend_->item(item)))
            names << entry->plottable()->name();
    return names;
}

int RunComparisonView::lossPointCount(int position) const
{
    return lossGraphs_.at(size_t(position))->dataCount();
}

int RunComparisonView::testAccuracyPointCount(int position) const
{
    return accuracyGraphs_.at(size_t(position))->dataCount();
}

QColor RunComparisonView::colourOf(int position) const
{
    return lossGraphs_.at(size_t(position))->pen().color();
}

} // namespace fxlab::gui
