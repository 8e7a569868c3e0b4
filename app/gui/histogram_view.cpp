#include "histogram_view.h"

#include "adaptive_splitter.h"
#include "histogram_bars.h"
#include "histogram_grid.h"
#include "legend_layout.h"
#include "plot_style.h"
#include "replot_throttle.h"
#include "tensor_labels.h"
#include "view_exposure.h"
#include "view_timing.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace fxlab::gui {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 4);
}

QString countText(uint64_t count)
{
    return QLocale().toString(qulonglong(count));
}

QCPItemStraightLine* makeRangeLine(QCustomPlot* plot, const QPen& pen)
{
    auto* line = new QCPItemStraightLine(plot);
    line->setPen(pen);
    line->setClipToAxisRect(true);
    return line;
}

QCPBars* makeBars(QCustomPlot* plot, const QColor& colour)
{
    auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setPen(Qt::NoPen);
    bars->setBrush(colour);
    bars->setWidthType(QCPBars::wtPlotCoords);
    return bars;
}

} // namespace

HistogramView::HistogramView(QWidget* parent)
    : QWidget(parent),
      logarithmicToggle_(new QCheckBox("&Logarithmic counts", this)),
      grid_(new HistogramGrid),
      plot_(new QCustomPlot)
{
    logarithmicToggle_->setObjectName("logarithmicCounts");
    logarithmicToggle_->setToolTip("Draw counts on a logarithmic axis, so that rare codes and a few saturated "
                                   "values stay visible beside a tall peak");
    connect(logarithmicToggle_, &QCheckBox::toggled, this, &HistogramView::setLogarithmic);
    connect(grid_, &HistogramGrid::cellSelected, this, [this](int layer, TensorKind kind) {
        layer_ = layer;
        kind_ = kind;
        redraw();
    });
    createPlot();

    auto* hint = new QLabel("Red-orange: saturated. Yellow: underflowed to 0. Click a tensor to enlarge it.", this);
    hint->setToolTip("Each small histogram is one tensor. Click one, or move with the arrow keys, to see it below.");
    hint->setWordWrap(true);
    hint->setObjectName("histogramHint");
    auto* topRow = new QHBoxLayout;
    topRow->setContentsMargins(4, 2, 4, 0);
    topRow->addWidget(hint, 1);
    topRow->addWidget(logarithmicToggle_);

    // Side by side from 800 pixels, where the grid and the histogram each get about 400.
    auto* splitter = new AdaptiveSplitter(0.45, 800, this);
    splitter->addWidget(grid_);
    splitter->addWidget(plot_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(topRow);
    layout->addWidget(splitter, 1);
    grid_->select(layer_, kind_);
    redraw();
}

void HistogramView::createPlot()
{
    plot_->setObjectName("histogramPlot");
    throttle_ = new ReplotThrottle(plot_, kSnapshotReplotMilliseconds);
    plot_->installEventFilter(this);
    ViewTiming::measureReplots(plot_, "histogram: replot");
    plot_->setAutoAddPlottableToLegend(false);
    plot_->plotLayout()->insertRow(0);
    QFont titleFont = plot_style::labelFont();
    titleFont.setBold(true);
    title_ = new QCPTextElement(plot_, QString(), titleFont);
    plot_->plotLayout()->addElement(0, 0, title_);

    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        axis->setLabelFont(plot_style::labelFont());
        axis->setTickLabelFont(plot_style::tickFont());
    }
    plot_->yAxis->setLabel("count");
    // The legend gets its own rows below the axes, one entry a row, so it never covers a bar
    // and no entry is cut however long its counts grow.
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    plot_->axisRect()->insetLayout()->simplify();
    plot_->plotLayout()->addElement(2, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(2, 0.001);
    plot_->legend->setVisible(true);
    plot_->legend->setFont(plot_style::labelFont());
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->legend->setBrush(Qt::NoBrush);
    plot_->legend->setRowSpacing(0);

    bars_ = makeBars(plot_, plot_style::kBlue);
    saturatedBars_ = makeBars(plot_, plot_style::kVermillion);
    underflowBars_ = makeBars(plot_, plot_style::kOrange);
    notANumberBars_ = makeBars(plot_, plot_style::kGrey);
    // The parts sit on top of the counts in range of the same bin.
    saturatedBars_->moveAbove(bars_);
    underflowBars_->moveAbove(saturatedBars_);
    notANumberBars_->moveAbove(underflowBars_);

    const QPen rangePen = plot_style::pen(plot_style::kGrey, 1.5, Qt::DashLine);
    rangeKey_ = plot_->addGraph();
    rangeKey_->setPen(rangePen);
    noteKey_ = plot_->addGraph();
    noteKey_->setPen(Qt::NoPen);
    // An empty QCPLegend has a maximum width of 0 and squeezes its whole layout column. So the
    // legend always keeps its entries, and showMessage() hides it instead of emptying it.
    fillLegend({bars_, saturatedBars_, underflowBars_, rangeKey_});
    minimumLine_ = makeRangeLine(plot_, rangePen);
    maximumLine_ = makeRangeLine(plot_, rangePen);

    message_ = new QCPItemText(plot_);
    message_->position->setType(QCPItemPosition::ptAxisRectRatio);
    message_->position->setCoords(0.5, 0.5);
    message_->setFont(plot_style::labelFont());
    message_->setColor(plot_style::kGrey);
}

void HistogramView::setLayer(int layer)
{
    if (layer == layer_)
        return;
    layer_ = layer;
    grid_->select(layer_, kind_);
    redraw();
}

void HistogramView::setKind(TensorKind kind)
{
    if (kind == kind_)
        return;
    kind_ = kind;
    grid_->select(layer_, kind_);
    redraw();
}

void HistogramView::showSnapshot(const SnapshotPointer& snapshot)
{
    snapshot_ = snapshot;
    // A reset or a new experiment empties the timeline; its old point no longer belongs here.
    if (point_ && snapshot_ && snapshot_->timeline.empty())
        point_.reset();
    redraw(Pace::Throttled);
}

void HistogramView::setShownPoint(TimelinePointer point)
{
    if (point == point_)
        return;
    point_ = std::move(point);
    redraw();
}

void HistogramView::setLogarithmic(bool logarithmic)
{
    if (logarithmic == logarithmic_)
        return;
    logarithmic_ = logarithmic;
    if (logarithmicToggle_->isChecked() != logarithmic) {
        const QSignalBlocker blocker(logarithmicToggle_);
        logarithmicToggle_->setChecked(logarithmic);
    }
    grid_->setLogarithmic(logarithmic);
    redraw();
}

int HistogramView::barCount() const
{
    return bars_->dataCount();
}

std::vector<double> HistogramView::barTotals() const
{
    std::vector<double> totals;
    for (auto bar = bars_->data()->constBegin(); bar != bars_->data()->constEnd(); ++bar) {
        double total = bar->value;
        for (QCPBars* part : {saturatedBars_, underflowBars_, notANumberBars_})
            for (auto stacked = part->data()->constBegin(); stacked != part->data()->constEnd(); ++stacked)
                if (stacked->key == bar->key)
                    total += stacked->value;
        totals.push_back(total);
    }
    return totals;
}

namespace {

double sumOf(const QCPBars* bars)
{
    double sum = 0;
    for (auto bar = bars->data()->constBegin(); bar != bars->data()->constEnd(); ++bar)
        sum += bar->value;
    return sum;
}

} // namespace

double HistogramView::drawnSaturated() const
{
    return sumOf(saturatedBars_);
}

double HistogramView::drawnUnderflowed() const
{
    return sumOf(underflowBars_);
}

QString HistogramView::xAxisLabel() const
{
    return plot_->xAxis->label();
}

QStringList HistogramView::legendEntries() const
{
    QStringList entries;
    for (int i = 0; i < plot_->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot_->legend->item(i)))
            entries << item->plottable()->name();
    return entries;
}

bool HistogramView::valueAxisIsLogarithmic() const
{
    return plot_->yAxis->scaleType() == QCPAxis::stLogarithmic;
}

void HistogramView::replotNow()
{
    if (stale_)
        redraw();
    plot_->replot();
}

void HistogramView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    catchUp();
}

void HistogramView::catchUp()
{
    if (stale_)
        redraw();
}

const Statistics* HistogramView::shownStatistics() const
{
    if (point_)
        return &point_->statistics;
    return snapshot_ ? &snapshot_->statistics : nullptr;
}

void HistogramView::showMessage(const QString& title, const QString& message)
{
    title_->setText(title);
    message_->setText(message);
    message_->setVisible(true);
    for (QCPBars* bars : {bars_, saturatedBars_, underflowBars_, notANumberBars_})
        bars->data()->clear();
    setRangeLines(0, 0, false);
    plot_->legend->setVisible(false);
    plot_->xAxis->setLabel({});
    plot_->xAxis->setRange(0, 1);
    plot_->yAxis->setScaleType(QCPAxis::stLinear);
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot_->yAxis->setRange(0, 1);
}

// Legend items read their plottable's name when drawn, so new counts need no new items. The
// items are made again only when the entries change, which spares a layout of the legend.
void HistogramView::fillLegend(std::initializer_list<QCPAbstractPlottable*> entries)
{
    plot_->legend->setVisible(true);
    bool same = plot_->legend->itemCount() == int(entries.size());
    for (int i = 0; same && i < plot_->legend->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(plot_->legend->item(i));
        same = item && item->plottable() == *(entries.begin() + i);
    }
    if (same)
        return;
    plot_->legend->clearItems();
    for (QCPAbstractPlottable* entry : entries)
        entry->addToLegend();
    fitLegendColumns(plot_->legend, plot_->width());
}

// Presentation mode sets the application font first and rescales the plot's fonts afterwards, so
// the legend is fitted once both are done.
void HistogramView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        QTimer::singleShot(0, this, [this] { fitLegendColumns(plot_->legend, plot_->width()); });
}

// The plot's width changes with the dock and with the splitter beside the grid.
bool HistogramView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == plot_ && event->type() == QEvent::Resize)
        fitLegendColumns(plot_->legend, plot_->width());
    return QWidget::eventFilter(watched, event);
}

void HistogramView::setRangeLines(double minimum, double maximum, bool visible)
{
    minimumLine_->point1->setCoords(minimum, 0);
    minimumLine_->point2->setCoords(minimum, 1);
    maximumLine_->point1->setCoords(maximum, 0);
    maximumLine_->point2->setCoords(maximum, 1);
    minimumLine_->setVisible(visible);
    maximumLine_->setVisible(visible);
}

// Linear counts start at 0; logarithmic ones at 0.5, so that a bin of one value is a visible bar.
void HistogramView::setValueRange(double maxCount)
{
    if (logarithmic_) {
        plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
        if (!plot_->yAxis->ticker().dynamicCast<QCPAxisTickerLog>())
            plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog));
        plot_->yAxis->setRange(0.5, 2 * std::max(maxCount, 1.0));
    } else {
        plot_->yAxis->setScaleType(QCPAxis::stLinear);
        if (plot_->yAxis->ticker().dynamicCast<QCPAxisTickerLog>())
            plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        plot_->yAxis->setRange(0, 1.1 * std::max(maxCount, 1.0));
    }
    plot_->yAxis->setLabel(logarithmic_ ? "count (logarithmic)" : "count");
}

void HistogramView::redraw(Pace pace)
{
    // A hidden view, such as a dock behind another tab, draws when it is shown again.
    if (!isOnScreen(this)) {
        stale_ = true;
        return;
    }
    stale_ = false;
    static ViewTiming timing("histograms: redraw");
    const ScopedViewTimer timer(timing);
    grid_->setSource(snapshot_, point_);

    const Statistics* statistics = shownStatistics();
    if (!snapshot_ || size_t(layer_) >= snapshot_->experiment.network.layers.size()) {
        showMessage("Tensor histogram", "Select a tensor above.");
    } else {
        const LayerSpec& layer = snapshot_->experiment.network.layers[size_t(layer_)];
        const QString tensorName = QString::fromStdString(layer.name) + " " + kindName(kind_);
        if (!hasTensor(snapshot_->experiment.network, size_t(layer_), kind_)) {
            showMessage(tensorName, QString::fromStdString(layer.name) + " has no " + kindName(kind_)
                                  + ": select another tensor.");
        } else if (size_t(layer_) >= statistics->layers.size() || !statistics->layers[size_t(layer_)][size_t(kind_)].present) {
            showMessage(tensorName, "The histogram appears after the first training step.");
        } else {
            const TensorStatistics& tensor = statistics->layers[size_t(layer_)][size_t(kind_)];
            // Statistics::step is the index of the latest step, counted from 0; the status bar and
            // the timeline count steps done, so the same step is shown as index + 1.
            shownStep_ = statistics->step + 1;
            QString title = tensorName + " after step " + QLocale().toString(shownStep_);
            if (point_)
                title += " (timeline)";
            message_->setVisible(false);
            if (tensor.isFixed) {
                // NOTE: the rounding and overflow mode come from the precision in force now. A step
                // before a precision change may have used others; the format itself is the one
                // recorded with the histogram.
                const TensorPrecision& precision = snapshot_->experiment.precision.at(size_t(layer_), kind_);
                const bool changedSince = point_ && !snapshot_->precisionChanges.empty()
                                          && point_->step < snapshot_->precisionChanges.back();
                const QString rounding = changedSince ? QString() : QString::fromLatin1(toString(precision.spec.rounding));
                drawCodes(tensor, precision.spec.overflow, title, rounding);
            } else {
                drawValues(tensor, title);
            }
        }
    }
    if (pace == Pace::Throttled)
        throttle_->request();
    else
        plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HistogramView::drawCodes(const TensorStatistics& statistics, OverflowMode overflow, const QString& heading,
                              const QString& rounding)
{
    const CodeHistogram& histogram = statistics.codes;
    const FixedFormat& format = histogram.format;
    const double step = format.step();
    const int codesPerBar = 1 << histogram.binShift;
    const CodeBars bars = splitCodeBars(histogram, statistics.events, overflow);
    fillCodeBars(bars, histogram);

    const double minimum = format.valueOf(overflow == OverflowMode::SymmetricSaturate ? -format.maxCode() : format.minCode());
    const double maximum = format.maxValue();
    setRangeLines(minimum, maximum, true);

    QString title = QString("%1: %2-bit, fl %3").arg(heading).arg(format.wordBits).arg(format.fractionalLength);
    if (!rounding.isEmpty())
        title += ", " + rounding;
    title_->setText(title);
    const QString stepText = QString("step 2^%1 = %2").arg(-format.fractionalLength).arg(number(step));
    const QString binning = codesPerBar == 1 ? QString("one bar per code") : QString("each bar: %1 codes").arg(codesPerBar);
    plot_->xAxis->setLabel(elementNoun(kind_) + " value (" + binning + ", " + stepText + ")");
    nameCodeParts(bars, minimum, maximum);

    const double margin = 0.04 * (maximum - minimum) + codesPerBar * step;
    plot_->xAxis->setRange(minimum - margin, maximum + margin);
}

void HistogramView::fillCodeBars(const CodeBars& bars, const CodeHistogram& histogram)
{
    const double step = histogram.format.step();
    const auto centre = [&](size_t bin) {
        return 0.5 * double(histogram.firstCodeOf(bin) + histogram.lastCodeOf(bin)) * step;
    };

    QVector<double> keys, counts;
    keys.reserve(qsizetype(bars.binCount()));
    counts.reserve(qsizetype(bars.binCount()));
    double maxCount = 1;
    for (size_t bin = 0; bin < bars.binCount(); ++bin) {
        keys.push_back(centre(bin));
        counts.push_back(double(bars.inRange[bin]));
        maxCount = std::max(maxCount, double(bars.total(bin)));
    }
    bars_->setData(keys, counts, true);

    const auto setPart = [&](QCPBars* part, std::initializer_list<std::pair<size_t, uint64_t>> entries) {
        QVector<double> partKeys, partCounts;
        for (const auto& [bin, count] : entries) {
            if (count == 0)
                continue;
            partKeys.push_back(centre(bin));
            partCounts.push_back(double(count));
        }
        part->setData(partKeys, partCounts);
    };
    setPart(saturatedBars_, {{bars.lowestBin, bars.saturatedLow}, {bars.highestBin, bars.saturatedHigh}});
    setPart(underflowBars_, {{bars.zeroBin, bars.underflowed}});
    setPart(notANumberBars_, {{bars.zeroBin, bars.notANumber}});

    const double width = 0.9 * double(int64_t{1} << histogram.binShift) * step;
    for (QCPBars* part : {bars_, saturatedBars_, underflowBars_, notANumberBars_})
        part->setWidth(width);
    setValueRange(maxCount);
}

void HistogramView::nameCodeParts(const CodeBars& bars, double minimum, double maximum)
{
    uint64_t inRange = 0;
    for (uint64_t count : bars.inRange)
        inRange += count;
    bars_->setName("values in range: " + countText(inRange));
    saturatedBars_->setName(saturationText(bars));
    // Hatched when the bars show the most each end can hold rather than a known split.
    saturatedBars_->setBrush(bars.splitKnown ? QBrush(plot_style::kVermillion)
                                             : QBrush(plot_style::kVermillion, Qt::BDiagPattern));
    saturatedBars_->setPen(bars.splitKnown ? QPen(Qt::NoPen) : plot_style::pen(plot_style::kVermillion, 1));
    underflowBars_->setName("underflowed to 0: " + countText(bars.underflowed));
    notANumberBars_->setName("not a number, stored as 0: " + countText(bars.notANumber));
    rangeKey_->setName("representable range: " + number(minimum) + " to " + number(maximum));
    noteKey_->setName(saturationText(bars));

    if (bars.wraps && bars.notANumber > 0)
        fillLegend({bars_, noteKey_, underflowBars_, notANumberBars_, rangeKey_});
    else if (bars.wraps)
        fillLegend({bars_, noteKey_, underflowBars_, rangeKey_});
    else if (bars.notANumber > 0)
        fillLegend({bars_, saturatedBars_, underflowBars_, notANumberBars_, rangeKey_});
    else
        fillLegend({bars_, saturatedBars_, underflowBars_, rangeKey_});
    // The counts in the names change the entries' widths.
    fitLegendColumns(plot_->legend, plot_->width());
}

void HistogramView::drawValues(const TensorStatistics& statistics, const QString& heading)
{
    const ValueHistogram& histogram = statistics.values;
    const double width = histogram.binWidth();
    QVector<double> keys, counts;
    double maxCount = 1;
    for (size_t bin = 0; bin < histogram.counts.size(); ++bin) {
        keys.push_back(histogram.minimum + (double(bin) + 0.5) * width);
        counts.push_back(double(histogram.counts[bin]));
        maxCount = std::max(maxCount, counts.back());
    }
    bars_->setData(keys, counts, true);
    bars_->setWidth(0.9 * (width > 0 ? width : 1));
    for (QCPBars* part : {saturatedBars_, underflowBars_, notANumberBars_})
        part->data()->clear();
    setRangeLines(0, 0, false);

    title_->setText(heading + ": float");
    plot_->xAxis->setLabel(elementNoun(kind_) + " value (float, " + QString::number(histogram.counts.size())
                           + " equal bins, each " + number(width) + " wide)");
    bars_->setName(QString("values: %1").arg(countText(histogram.total())));
    noteKey_->setName(QString("not finite: %1").arg(countText(histogram.notFinite)));
    fillLegend({bars_, noteKey_});

    const double span = std::max(histogram.maximum - histogram.minimum, 1e-12);
    plot_->xAxis->setRange(histogram.minimum - 0.04 * span, histogram.maximum + 0.04 * span);
    setValueRange(maxCount);
}

} // namespace fxlab::gui
