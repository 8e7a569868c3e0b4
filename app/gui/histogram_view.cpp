#include "histogram_view.h"

#include "plot_style.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace fxlab::gui {

namespace {

// The singular noun for one element of a tensor kind, for axis labels: "weight value".
QString elementNoun(TensorKind kind)
{
    switch (kind) {
    case TensorKind::Weights:
        return "weight";
    case TensorKind::Biases:
        return "bias";
    case TensorKind::Activations:
        return "activation";
    case TensorKind::ActivationGradients:
        return "activation gradient";
    case TensorKind::WeightGradients:
        return "weight gradient";
    }
    return "element";
}

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

} // namespace

HistogramView::HistogramView(QWidget* parent)
    : QWidget(parent), kindChoice_(new QComboBox(this)), plot_(new QCustomPlot(this))
{
    kindChoice_->setObjectName("histogramKind");
    for (TensorKind kind : kAllTensorKinds)
        kindChoice_->addItem(QString::fromLatin1(toString(kind)).replace('-', ' '), int(kind));
    connect(kindChoice_, &QComboBox::currentIndexChanged, this,
            [this] { setKind(TensorKind(kindChoice_->currentData().toInt())); });

    plot_->setObjectName("histogramPlot");
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

    bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars_->setPen(Qt::NoPen);
    bars_->setBrush(plot_style::kBlue);

    endBars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    endBars_->setPen(Qt::NoPen);
    endBars_->setBrush(plot_style::kVermillion);

    const QPen rangePen(plot_style::kGrey, 1.5, Qt::DashLine);
    rangeKey_ = plot_->addGraph();
    rangeKey_->setPen(rangePen);
    underflowKey_ = plot_->addGraph();
    underflowKey_->setPen(Qt::NoPen);
    // An empty QCPLegend has a maximum width of 0 and squeezes its whole layout column. So the
    // legend always keeps its entries, and showMessage() hides it instead of emptying it.
    fillLegend({bars_, endBars_, rangeKey_, underflowKey_});
    minimumLine_ = makeRangeLine(plot_, rangePen);
    maximumLine_ = makeRangeLine(plot_, rangePen);

    message_ = new QCPItemText(plot_);
    message_->position->setType(QCPItemPosition::ptAxisRectRatio);
    message_->position->setCoords(0.5, 0.5);
    message_->setFont(plot_style::labelFont());
    message_->setColor(plot_style::kGrey);

    auto* choiceRow = new QHBoxLayout;
    auto* choiceLabel = new QLabel("&Tensor:", this);
    choiceLabel->setBuddy(kindChoice_);
    choiceRow->addWidget(choiceLabel);
    choiceRow->addWidget(kindChoice_);
    choiceRow->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(choiceRow);
    layout->addWidget(plot_, 1);
    redraw();
}

void HistogramView::setLayer(int layer)
{
    if (layer == layer_)
        return;
    layer_ = layer;
    redraw();
}

void HistogramView::setKind(TensorKind kind)
{
    if (kind == kind_)
        return;
    kind_ = kind;
    kindChoice_->setCurrentIndex(kindChoice_->findData(int(kind)));
    redraw();
}

void HistogramView::showSnapshot(const SnapshotPointer& snapshot)
{
    snapshot_ = snapshot;
    redraw();
}

int HistogramView::barCount() const
{
    return bars_->dataCount() + endBars_->dataCount();
}

QString HistogramView::xAxisLabel() const
{
    return plot_->xAxis->label();
}

void HistogramView::replotNow()
{
    plot_->replot();
}

void HistogramView::showMessage(const QString& title, const QString& message)
{
    title_->setText(title);
    message_->setText(message);
    message_->setVisible(true);
    bars_->data()->clear();
    endBars_->data()->clear();
    setRangeLines(0, 0, false);
    plot_->legend->setVisible(false);
    plot_->xAxis->setLabel({});
    plot_->xAxis->setRange(0, 1);
    plot_->yAxis->setRange(0, 1);
}

void HistogramView::fillLegend(std::initializer_list<QCPAbstractPlottable*> entries)
{
    plot_->legend->setVisible(true);
    plot_->legend->clearItems();
    for (QCPAbstractPlottable* entry : entries)
        entry->addToLegend();
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

void HistogramView::redraw()
{
    const QString kindName = QString::fromLatin1(toString(kind_)).replace('-', ' ');
    if (!snapshot_ || size_t(layer_) >= snapshot_->experiment.network.layers.size()) {
        showMessage("Tensor histogram", "Select a layer in the table.");
    } else {
        const LayerSpec& layer = snapshot_->experiment.network.layers[size_t(layer_)];
        const QString what = QString::fromStdString(layer.name) + " " + kindName;
        const Statistics& statistics = snapshot_->statistics;
        if (!hasTensor(snapshot_->experiment.network, size_t(layer_), kind_)) {
            showMessage(what, QString::fromStdString(layer.name) + " has no " + kindName
                                  + ": select another layer or tensor.");
        } else if (size_t(layer_) >= statistics.layers.size() || !statistics.layers[size_t(layer_)][size_t(kind_)].present) {
            showMessage(what, "The histogram appears after the first training step.");
        } else {
            const TensorStatistics& tensor = statistics.layers[size_t(layer_)][size_t(kind_)];
            // Statistics::step is the index of the latest step, counted from 0; the status bar
            // counts steps done, so the same step is shown as index + 1.
            const QString title = what + " after step " + QString::number(statistics.step + 1);
            message_->setVisible(false);
            if (tensor.isFixed)
                drawCodes(tensor, snapshot_->experiment.precision.at(size_t(layer_), kind_), title);
            else
                drawValues(tensor, title);
        }
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HistogramView::drawCodes(const TensorStatistics& statistics, const TensorPrecision& precision,
                              const QString& what)
{
    const CodeHistogram& histogram = statistics.codes;
    const FixedFormat& format = histogram.format;
    const double step = format.step();
    const int codesPerBar = 1 << histogram.binShift;
    const int64_t lowestCode = precision.spec.overflow == OverflowMode::SymmetricSaturate ? -format.maxCode()
                                                                                          : format.minCode();
    const size_t lowestBin = histogram.binOf(int32_t(lowestCode));
    const size_t highestBin = histogram.binOf(int32_t(format.maxCode()));

    QVector<double> keys, counts, endKeys, endCounts;
    double maxCount = 1;
    for (size_t bin = 0; bin < histogram.counts.size(); ++bin) {
        const double centre = 0.5 * double(histogram.firstCodeOf(bin) + histogram.lastCodeOf(bin)) * step;
        const double count = double(histogram.counts[bin]);
        maxCount = std::max(maxCount, count);
        const bool end = bin == lowestBin || bin == highestBin;
        (end ? endKeys : keys).push_back(centre);
        (end ? endCounts : counts).push_back(count);
    }
    bars_->setData(keys, counts, true);
    endBars_->setData(endKeys, endCounts, true);
    for (QCPBars* bars : {bars_, endBars_})
        bars->setWidth(0.9 * codesPerBar * step);

    const double minimum = double(lowestCode) * step;
    const double maximum = format.maxValue();
    setRangeLines(minimum, maximum, true);

    title_->setText(QString("%1: %2-bit, fl %3, %4")
                        .arg(what)
                        .arg(format.wordBits)
                        .arg(format.fractionalLength)
                        .arg(QString::fromLatin1(toString(precision.spec.rounding))));
    const QString stepText = QString("step 2^%1 = %2").arg(-format.fractionalLength).arg(number(step));
    const QString binning = codesPerBar == 1 ? QString("one bar per code") : QString("each bar: %1 codes").arg(codesPerBar);
    plot_->xAxis->setLabel(elementNoun(kind_) + " value (" + binning + ", " + stepText + ")");

    const uint64_t total = histogram.total();
    bars_->setName(QString("codes in use (%1 values)").arg(countText(total)));
    endBars_->setName(QString("end codes: %1 saturated high, %2 low")
                          .arg(countText(histogram.saturatedHigh), countText(histogram.saturatedLow)));
    rangeKey_->setName("representable: " + number(minimum) + " to " + number(maximum));
    underflowKey_->setName("underflowed to 0: " + countText(histogram.underflowed));
    fillLegend({bars_, endBars_, rangeKey_, underflowKey_});

    const double margin = 0.04 * (maximum - minimum) + codesPerBar * step;
    plot_->xAxis->setRange(minimum - margin, maximum + margin);
    plot_->yAxis->setRange(0, 1.1 * maxCount);
}

void HistogramView::drawValues(const TensorStatistics& statistics, const QString& what)
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
    endBars_->data()->clear();
    setRangeLines(0, 0, false);

    title_->setText(what + ": float");
    plot_->xAxis->setLabel(elementNoun(kind_) + " value (float, each bar " + number(width) + " wide)");
    bars_->setName(QString("values (%1)").arg(countText(histogram.total())));
    underflowKey_->setName(QString("not finite: %1").arg(countText(histogram.notFinite)));
    fillLegend({bars_, underflowKey_});

    const double span = std::max(histogram.maximum - histogram.minimum, 1e-12);
    plot_->xAxis->setRange(histogram.minimum - 0.04 * span, histogram.maximum + 0.04 * span);
    plot_->yAxis->setRange(0, 1.1 * maxCount);
}

} // namespace fxlab::gui
