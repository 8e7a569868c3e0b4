#include "saturation_heatmap.h"

#include "legend_layout.h"
#include "plot_style.h"
#include "step_axis_items.h"
#include "tensor_labels.h"
#include "view_exposure.h"
#include "view_timing.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QRadioButton>
#include <QScrollArea>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace fxlab::gui {

namespace {

// The colour scale runs logarithmically over 0.01 % to 100 % of a tensor's elements, because a
// tenth of a percent of saturated activations already matters and a whole tensor stuck at the end
// codes must not look like the same shade. Smaller fractions, zero included, take the lowest colour.
constexpr double kLowestPercent = 0.01;
constexpr double kHighestPercent = 100;
// Columns of the colour map at most; a longer run gives each column several steps.
constexpr int kMaxColumns = 1200;

constexpr double kNotQuantized = std::numeric_limits<double>::quiet_NaN();

QCPColorGradient heatGradient()
{
    QCPColorGradient gradient;
    gradient.setColorStopAt(0.0, QColor(255, 255, 255));
    gradient.setColorStopAt(0.25, QColor(255, 237, 160));
    gradient.setColorStopAt(0.5, plot_style::kOrange);
    gradient.setColorStopAt(0.75, plot_style::kVermillion);
    gradient.setColorStopAt(1.0, QColor(90, 20, 10));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(QColor(200, 200, 200));
    return gradient;
}

QString percentText(double fraction)
{
    return QLocale().toString(100 * fraction, 'g', 3) + " %";
}

} // namespace

SaturationHeatmap::SaturationHeatmap(QWidget* parent)
    : QWidget(parent),
      saturatedChoice_(new QRadioButton("&Saturated", this)),
      underflowedChoice_(new QRadioButton("&Underflowed", this)),
      plot_(new QCustomPlot(this))
{
    saturatedChoice_->setObjectName("heatmapSaturated");
    underflowedChoice_->setObjectName("heatmapUnderflowed");
    saturatedChoice_->setToolTip("Values outside the representable range, clamped to the end codes or wrapped");
    underflowedChoice_->setToolTip("Nonzero values that rounded to code 0");
    saturatedChoice_->setChecked(true);
    auto* choices = new QButtonGroup(this);
    choices->addButton(saturatedChoice_);
    choices->addButton(underflowedChoice_);
    connect(underflowedChoice_, &QRadioButton::toggled, this, [this](bool underflowed) {
        setQuantity(underflowed ? Quantity::Underflowed : Quantity::Saturated);
    });

    createPlot();

    auto* choiceRow = new QHBoxLayout;
    choiceRow->setContentsMargins(4, 2, 4, 0);
    choiceRow->addWidget(new QLabel("Fraction of each tensor's elements that:", this));
    choiceRow->addWidget(saturatedChoice_);
    choiceRow->addWidget(underflowedChoice_);
    choiceRow->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(choiceRow);
    // Every row keeps the height of its label; a dock too low for all rows scrolls them.
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(plot_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(scroll, 1);
    redraw();
}

void SaturationHeatmap::createPlot()
{
    plot_->setObjectName("saturationHeatmap");
    ViewTiming::measureReplots(plot_, "heatmap: replot");
    plot_->setAutoAddPlottableToLegend(false);
    QCPAxisRect* rect = plot_->axisRect();
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        axis->setLabelFont(plot_style::labelFont());
        axis->setTickLabelFont(plot_style::tickFont());
        axis->grid()->setVisible(false);
    }
    plot_->xAxis->setLabel("training step");
    // The first layer on top, as in the precision table.
    plot_->yAxis->setRangeReversed(true);
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    plot_->yAxis->setSubTicks(false);
    plot_->yAxis->setTickLength(0, 3);

    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);
    map_->setTightBoundary(true);
    map_->setGradient(heatGradient());
    map_->setDataScaleType(QCPAxis::stLogarithmic);
    map_->setDataRange(QCPRange(kLowestPercent, kHighestPercent));

    scale_ = new QCPColorScale(plot_);
    scale_->setType(QCPAxis::atRight);
    scale_->setGradient(heatGradient());
    scale_->setDataScaleType(QCPAxis::stLogarithmic);
    scale_->setDataRange(QCPRange(kLowestPercent, kHighestPercent));
    scale_->setBarWidth(int(plot_style::scaled(14)));
    QCPAxis* scaleAxis = scale_->axis();
    scaleAxis->setLabelFont(plot_style::labelFont());
    scaleAxis->setTickLabelFont(plot_style::tickFont());
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    ticker->addTick(kLowestPercent, QString::fromUtf8("\u2264 0.01 %"));
    ticker->addTick(0.1, "0.1 %");
    ticker->addTick(1, "1 %");
    ticker->addTick(10, "10 %");
    ticker->addTick(100, "100 %");
    scaleAxis->setTicker(ticker);
    scaleAxis->setSubTicks(false);
    plot_->plotLayout()->addElement(0, 1, scale_);
    // The colour scale keeps its own width and the cells take the rest.
    plot_->plotLayout()->setColumnStretchFactor(1, 0.01);
    auto* margins = new QCPMarginGroup(plot_);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    scale_->setMarginGroup(QCP::msTop | QCP::msBottom, margins);

    floatKey_ = plot_->addGraph();
    floatKey_->setName("grey: float tensor, never quantized");
    floatKey_->setPen(Qt::NoPen);
    floatKey_->setLineStyle(QCPGraph::lsNone);
    floatKey_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, QColor(200, 200, 200),
                                               QColor(200, 200, 200), plot_style::scaled(10)));
    precisionChangeKey_ = plot_->addGraph();
    precisionChangeKey_->setName("precision changed");
    precisionChangeKey_->setPen(precisionChangePen());
    cursorKey_ = plot_->addGraph();
    cursorKey_->setName("step shown by the timeline");
    cursorKey_->setPen(timelineCursorPen());
    cursor_ = addVerticalLine(rect, timelineCursorPen());
    cursor_->setVisible(false);

    // The legend takes a row below the plot, so it never covers a cell.
    rect->insetLayout()->take(plot_->legend);
    rect->insetLayout()->simplify();
    plot_->plotLayout()->addElement(1, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(1, 0.001);
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setFont(plot_style::labelFont());
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->legend->setBrush(Qt::NoBrush);
    plot_->legend->setVisible(true);
    updateLegend();

    plot_->installEventFilter(this);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &SaturationHeatmap::showToolTip);
}

void SaturationHeatmap::showSnapshot(const SnapshotPointer& snapshot)
{
    snapshot_ = snapshot;
    redraw();
}

void SaturationHeatmap::setQuantity(Quantity quantity)
{
    if (quantity == quantity_)
        return;
    quantity_ = quantity;
    {
        const QSignalBlocker blocker(underflowedChoice_);
        underflowedChoice_->setChecked(quantity == Quantity::Underflowed);
        saturatedChoice_->setChecked(quantity == Quantity::Saturated);
    }
    // No rows match this, so the next redraw collects and draws the other quantity.
    shownRows_ = {SIZE_MAX};
    redraw();
}

void SaturationHeatmap::setCursorStep(std::optional<uint32_t> step)
{
    if (step == cursorStep_)
        return;
    cursorStep_ = step;
    cursor_->setVisible(step.has_value());
    if (step)
        setVerticalLineStep(cursor_, *step);
    updateLegend();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void SaturationHeatmap::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    catchUp();
}

void SaturationHeatmap::catchUp()
{
    if (stale_)
        redraw();
}

void SaturationHeatmap::replotNow()
{
    if (stale_)
        redraw();
    plot_->replot();
}

double SaturationHeatmap::fraction(int tensor, int column) const
{
    return fractions_.at(size_t(tensor)).at(size_t(column));
}

QString SaturationHeatmap::tensorLabel(int tensor) const
{
    const Tensor& entry = tensors_.at(size_t(tensor));
    return QString::fromStdString(network_.layers[entry.layer].name) + " " + kindName(entry.kind);
}

double SaturationHeatmap::drawnFractionAt(int tensor, uint32_t step) const
{
    QCPColorMapData* data = map_->data();
    int column = 0, row = 0;
    data->coordToCell(double(step) - 0.5, double(tensor), &column, &row);
    if (column < 0 || column >= data->keySize() || row < 0 || row >= data->valueSize())
        return kNotQuantized;
    const double percent = data->cell(column, row);
    return std::isnan(percent) ? percent : percent / 100;
}

void SaturationHeatmap::rebuildTensors(const NetworkSpec& network)
{
    network_ = network;
    tensors_.clear();
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    for (size_t layer = 0; layer < network.layers.size(); ++layer) {
        for (TensorKind kind : kAllTensorKinds) {
            if (!hasTensor(network, layer, kind))
                continue;
            tensors_.push_back({layer, kind});
            ticker->addTick(double(tensors_.size() - 1), tensorLabel(int(tensors_.size() - 1)));
        }
    }
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(-0.5, std::max<double>(double(tensors_.size()) - 0.5, 0.5));
    plot_->yAxis->setLabel("tensor");
    updateMinimumHeight();
}

// Every row keeps the height of its label.
void SaturationHeatmap::updateMinimumHeight()
{
    const int rowHeight = QFontMetrics(plot_style::tickFont()).height() + 1;
    const int axisAndLegend = 4 * QFontMetrics(plot_style::labelFont()).height() + 40;
    plot_->setMinimumHeight(int(tensors_.size()) * rowHeight + axisAndLegend);
}

void SaturationHeatmap::collectFractions(const std::vector<MetricsRow>& rows)
{
    steps_.clear();
    fractions_.assign(tensors_.size(), {});
    for (const MetricsRow& row : rows) {
        steps_.push_back(row.step);
        for (size_t i = 0; i < tensors_.size(); ++i) {
            const Tensor& tensor = tensors_[i];
            double value = kNotQuantized;
            if (tensor.layer < row.events.size()) {
                const QuantEvents& events = row.events[tensor.layer][size_t(tensor.kind)];
                const uint64_t count = quantity_ == Quantity::Saturated ? events.saturated : events.underflowed;
                if (events.elements > 0)
                    value = double(count) / double(events.elements);
            }
            fractions_[i].push_back(value);
        }
    }
}

// Each metrics row covers the steps since the previous kept row. Where several rows fall into one
// column of the colour map, the column takes the largest fraction, so a burst is never diluted.
// NOTE: rows thinned out of a long history are gone with their events; the next kept row's
// fraction then stands for the whole gap.
void SaturationHeatmap::fillColourMap()
{
    const uint32_t lastStep = steps_.empty() ? 0 : steps_.back();
    const int columns = int(std::clamp<uint32_t>(lastStep, 1, kMaxColumns));
    const double stepsPerColumn = std::max(1.0, double(lastStep)) / columns;
    const int rows = std::max<int>(int(tensors_.size()), 1);
    map_->data()->setSize(columns, rows);
    map_->data()->setRange(QCPRange(0.5 * stepsPerColumn, (columns - 0.5) * stepsPerColumn),
                           QCPRange(0, rows - 1));
    map_->data()->fill(kNotQuantized);

    std::vector<double> cells(size_t(columns) * size_t(rows), -1);
    uint32_t previous = 0;
    for (size_t column = 0; column < steps_.size(); ++column) {
        const int first = std::clamp(int(std::floor(previous / stepsPerColumn)), 0, columns - 1);
        const int last = std::clamp(int(std::ceil(steps_[column] / stepsPerColumn)) - 1, first, columns - 1);
        for (size_t tensor = 0; tensor < tensors_.size(); ++tensor) {
            const double value = fractions_[tensor][column];
            if (std::isnan(value))
                continue;
            for (int cell = first; cell <= last; ++cell) {
                double& slot = cells[size_t(tensor) * size_t(columns) + size_t(cell)];
                slot = std::max(slot, value);
            }
        }
        previous = steps_[column];
    }
    for (int tensor = 0; tensor < int(tensors_.size()); ++tensor) {
        for (int cell = 0; cell < columns; ++cell) {
            const double value = cells[size_t(tensor) * size_t(columns) + size_t(cell)];
            if (value >= 0)
                map_->data()->setCell(cell, tensor, std::max(100 * value, kLowestPercent));
        }
    }
    plot_->xAxis->setRange(0, std::max<double>(lastStep, 10));
}

bool SaturationHeatmap::showPrecisionChanges(const std::vector<uint32_t>& steps)
{
    if (steps == shownPrecisionChanges_)
        return false;
    shownPrecisionChanges_ = steps;
    for (QCPAbstractItem* line : precisionLines_)
        plot_->removeItem(line);
    precisionLines_.clear();
    for (uint32_t step : steps) {
        QCPItemStraightLine* line = addVerticalLine(plot_->axisRect(), precisionChangePen());
        setVerticalLineStep(line, step);
        precisionLines_.push_back(line);
    }
    updateLegend();
    return true;
}

void SaturationHeatmap::updateLegend()
{
    plot_->legend->clearItems();
    floatKey_->addToLegend();
    if (!shownPrecisionChanges_.empty())
        precisionChangeKey_->addToLegend();
    if (cursorStep_)
        cursorKey_->addToLegend();
    fitLegendColumns(plot_->legend, plot_->width());
}

// Presentation mode sets the application font first and rescales the plot's fonts afterwards, so
// the rows and the legend are fitted once both are done.
void SaturationHeatmap::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        QTimer::singleShot(0, this, [this] {
            updateMinimumHeight();
            fitLegendColumns(plot_->legend, plot_->width());
        });
}

bool SaturationHeatmap::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == plot_ && event->type() == QEvent::Resize)
        fitLegendColumns(plot_->legend, plot_->width());
    return QWidget::eventFilter(watched, event);
}

void SaturationHeatmap::redraw()
{
    if (!isOnScreen(this)) {
        stale_ = true;
        return;
    }
    stale_ = false;
    static ViewTiming timing("heatmap: redraw");
    const ScopedViewTimer timer(timing);

    const bool saturated = quantity_ == Quantity::Saturated;
    scale_->axis()->setLabel(saturated ? "saturated (% of the tensor's elements)"
                                       : "underflowed (% of the tensor's elements)");
    if (!snapshot_)
        return;
    const bool newNetwork = !(snapshot_->experiment.network == network_);
    if (newNetwork)
        rebuildTensors(snapshot_->experiment.network);
    bool changed = showPrecisionChanges(snapshot_->precisionChanges) || newNetwork;

    // Rows come every few steps; most snapshots bring none and need no replot.
    const std::vector<MetricsRow>& rows = snapshot_->rows;
    const RowsSignature signature = RowsSignature::of(rows);
    if (!(signature == shownRows_) || newNetwork) {
        shownRows_ = signature;
        collectFractions(rows);
        fillColourMap();
        changed = true;
    }
    if (changed)
        plot_->replot(QCustomPlot::rpQueuedReplot);
}

void SaturationHeatmap::showToolTip(QMouseEvent* event)
{
    if (!plot_->axisRect()->rect().contains(event->pos()) || steps_.empty()) {
        QToolTip::hideText();
        return;
    }
    const double step = plot_->xAxis->pixelToCoord(event->position().x());
    const int tensor = int(std::lround(plot_->yAxis->pixelToCoord(event->position().y())));
    if (tensor < 0 || tensor >= tensorCount() || step < 0) {
        QToolTip::hideText();
        return;
    }
    const auto column = std::lower_bound(steps_.begin(), steps_.end(), uint32_t(std::ceil(step)));
    if (column == steps_.end()) {
        QToolTip::hideText();
        return;
    }
    const size_t index = size_t(column - steps_.begin());
    const uint32_t from = index == 0 ? 0 : steps_[index - 1];
    const double value = fractions_[size_t(tensor)][index];
    const QString quantityName = quantity_ == Quantity::Saturated ? "saturated" : "underflowed";
    const QString text = std::isnan(value)
                             ? QString("%1: float, never quantized").arg(tensorLabel(tensor))
                             : QString("%1, steps %2 to %3: %4 %5")
                                   .arg(tensorLabel(tensor))
                                   .arg(from + 1)
                                   .arg(*column)
                                   .arg(percentText(value), quantityName);
    QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
}

} // namespace fxlab::gui
