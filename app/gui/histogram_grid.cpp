#include "histogram_grid.h"

#include "histogram_bars.h"
#include "plot_style.h"
#include "tensor_labels.h"
#include "view_timing.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace fxlab::gui {

namespace {

// Saturation and underflow parts are drawn at least this tall, so that a single saturated value
// still marks its cell. The tooltip and the large histogram give the true counts.
constexpr double kMinimumMarkHeight = 2.5;
constexpr int kGap = 3;

const QColor kUnderflowColour = plot_style::kOrange;
const QColor kSaturationColour = plot_style::kVermillion;

QString countText(uint64_t count)
{
    return QLocale().toString(qulonglong(count));
}

QFont smallFont()
{
    QFont font = plot_style::tickFont();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    return font;
}

} // namespace

HistogramGrid::HistogramGrid(QWidget* parent) : QWidget(parent)
{
    setObjectName("histogramGrid");
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName("Histograms of every tensor");
    repaintTimer_.setSingleShot(true);
    connect(&repaintTimer_, &QTimer::timeout, this, [this] {
        sinceRepaint_.restart();
        update();
    });
    sinceRepaint_.start();
}

QSize HistogramGrid::sizeHint() const
{
    return {420, 260};
}

QSize HistogramGrid::minimumSizeHint() const
{
    return {200, 120};
}

void HistogramGrid::setSource(SnapshotPointer snapshot, TimelinePointer point)
{
    snapshot_ = std::move(snapshot);
    point_ = std::move(point);
    if (snapshot_ && !(snapshot_->experiment.network == network_))
        rebuildCells(snapshot_->experiment.network);
    scheduleRepaint();
}

void HistogramGrid::setLogarithmic(bool logarithmic)
{
    logarithmic_ = logarithmic;
    update();
}

void HistogramGrid::select(int layer, TensorKind kind)
{
    requested_ = {layer, kind};
    selected_.reset();
    for (size_t i = 0; i < cells_.size(); ++i)
        if (cells_[i].layer == layer && cells_[i].kind == kind)
            selected_ = i;
    update();
}

void HistogramGrid::rebuildCells(const NetworkSpec& network)
{
    network_ = network;
    rowLayers_.clear();
    cells_.clear();
    for (size_t layer = 0; layer < network.layers.size(); ++layer) {
        bool any = false;
        for (TensorKind kind : kAllTensorKinds) {
            if (!hasTensor(network, layer, kind))
                continue;
            cells_.push_back({int(layer), kind, int(rowLayers_.size()), {}});
            any = true;
        }
        if (any)
            rowLayers_.push_back(int(layer));
    }
    select(requested_.first, requested_.second);
    layOut();
}

HistogramGrid::Geometry HistogramGrid::geometryFor(bool layersAcross) const
{
    const QFontMetrics metrics(plot_style::tickFont());
    Geometry geometry;
    if (layersAcross) {
        for (TensorKind kind : kAllTensorKinds)
            geometry.labelWidth = std::max(geometry.labelWidth, metrics.horizontalAdvance(kindName(kind)));
        geometry.headerHeight = metrics.height() + kGap;
        geometry.cellWidth = double(width() - geometry.labelWidth - kGap) / std::max<size_t>(rowLayers_.size(), 1);
        geometry.cellHeight = double(height() - geometry.headerHeight) / kTensorKindCount;
    } else {
        for (int layer : rowLayers_)
            geometry.labelWidth = std::max(
                geometry.labelWidth, metrics.horizontalAdvance(QString::fromStdString(network_.layers[size_t(layer)].name)));
        // Kind names take two lines: "activation" over "gradients".
        geometry.headerHeight = 2 * metrics.height() + kGap;
        geometry.cellWidth = double(width() - geometry.labelWidth - kGap) / kTensorKindCount;
        geometry.cellHeight = double(height() - geometry.headerHeight) / std::max<size_t>(rowLayers_.size(), 1);
    }
    geometry.labelWidth += kGap;
    return geometry;
}

// Chooses the orientation whose cells come closest to a 2:1 aspect ratio, a shape in which a
// histogram of up to 256 bars stays readable, and places the cells.
void HistogramGrid::layOut()
{
    const auto score = [](const Geometry& geometry) {
        return std::min(geometry.cellWidth, 2 * geometry.cellHeight);
    };
    const Geometry down = geometryFor(false);
    const Geometry across = geometryFor(true);
    layersAcross_ = score(across) > score(down);
    geometry_ = layersAcross_ ? across : down;

    for (Cell& cell : cells_) {
        const int column = layersAcross_ ? cell.row : int(cell.kind);
        const int row = layersAcross_ ? int(cell.kind) : cell.row;
        const QPointF topLeft(geometry_.labelWidth + column * geometry_.cellWidth,
                              geometry_.headerHeight + row * geometry_.cellHeight);
        cell.rect = QRectF(topLeft, QSizeF(geometry_.cellWidth, geometry_.cellHeight))
                        .toAlignedRect()
                        .adjusted(1, 1, -2, -2);
    }
    update();
}

void HistogramGrid::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layOut();
}

// Presentation mode changes the application font, and with it the room the labels take.
void HistogramGrid::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        layOut();
}

void HistogramGrid::scheduleRepaint()
{
    if (repaintTimer_.isActive())
        return;
    const qint64 wait = kRepaintMilliseconds - sinceRepaint_.elapsed();
    repaintTimer_.start(int(std::max<qint64>(wait, 0)));
}

const TensorStatistics* HistogramGrid::tensorAt(int layer, TensorKind kind) const
{
    if (!snapshot_)
        return nullptr;
    const Statistics& statistics = point_ ? point_->statistics : snapshot_->statistics;
    if (size_t(layer) >= statistics.layers.size())
        return nullptr;
    const TensorStatistics& tensor = statistics.layers[size_t(layer)][size_t(kind)];
    return tensor.present ? &tensor : nullptr;
}

void HistogramGrid::paintEvent(QPaintEvent*)
{
    static ViewTiming timing("histogram grid: paint");
    const ScopedViewTimer timer(timing);
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    paintLabels(painter, geometry_);
    for (const Cell& cell : cells_)
        paintCell(painter, cell);

    if (selected_) {
        const QRect frame = cells_[*selected_].rect.adjusted(-1, -1, 1, 1);
        painter.setPen(plot_style::pen(hasFocus() ? palette().highlight().color() : plot_style::kBlue, 2.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(frame);
    }
}

void HistogramGrid::paintLabels(QPainter& painter, const Geometry& geometry)
{
    painter.setFont(plot_style::tickFont());
    painter.setPen(palette().text().color());
    const int kindFlags = Qt::AlignCenter | Qt::TextWordWrap;

    // Layer names across the top shrink, down to three quarters of their size, to fit a cell.
    QFont layerFont = plot_style::tickFont();
    if (layersAcross_) {
        int widest = 1;
        for (int layer : rowLayers_)
            widest = std::max(widest, painter.fontMetrics().horizontalAdvance(
                                          QString::fromStdString(network_.layers[size_t(layer)].name)));
        const double shrink = std::clamp((geometry.cellWidth - 4) / widest, 0.75, 1.0);
        layerFont.setPointSizeF(layerFont.pointSizeF() * shrink);
    }
    painter.setFont(layerFont);
    for (size_t i = 0; i < rowLayers_.size(); ++i) {
        const QString name = QString::fromStdString(network_.layers[size_t(rowLayers_[i])].name);
        QRectF box;
        if (layersAcross_)
            box = QRectF(geometry.labelWidth + double(i) * geometry.cellWidth, 0, geometry.cellWidth, geometry.headerHeight);
        else
            box = QRectF(0, geometry.headerHeight + double(i) * geometry.cellHeight, geometry.labelWidth - kGap,
                         geometry.cellHeight);
        const QString elided = painter.fontMetrics().elidedText(name, Qt::ElideRight, int(box.width()));
        painter.drawText(box, layersAcross_ ? Qt::AlignCenter : Qt::AlignRight | Qt::AlignVCenter, elided);
    }
    painter.setFont(plot_style::tickFont());
    for (TensorKind kind : kAllTensorKinds) {
        const int index = int(kind);
        if (layersAcross_) {
            const QRectF box(0, geometry.headerHeight + index * geometry.cellHeight, geometry.labelWidth - kGap,
                             geometry.cellHeight);
            painter.drawText(box, Qt::AlignRight | Qt::AlignVCenter, kindName(kind));
        } else {
            const QRectF box(geometry.labelWidth + index * geometry.cellWidth, 0, geometry.cellWidth, geometry.headerHeight);
            painter.drawText(box, kindFlags, kindName(kind));
        }
    }
}

void HistogramGrid::paintCell(QPainter& painter, const Cell& cell)
{
    painter.setPen(QPen(palette().mid().color(), 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(cell.rect);

    const QRectF area = QRectF(cell.rect).adjusted(3, 3, -3, -2);
    const TensorStatistics* tensor = tensorAt(cell.layer, cell.kind);
    if (!tensor || area.width() < 4 || area.height() < 4)
        return;
    if (tensor->isFixed) {
        const OverflowMode overflow = snapshot_->experiment.precision.at(size_t(cell.layer), cell.kind).spec.overflow;
        paintCodes(painter, area, *tensor, overflow);
    } else {
        paintValues(painter, area, tensor->values);
    }
}

double HistogramGrid::barHeight(double count, double maxCount, double height) const
{
    if (count <= 0 || maxCount <= 0)
        return 0;
    if (logarithmic_)
        return height * std::log10(1 + count) / std::log10(1 + maxCount);
    return height * count / maxCount;
}

// Every bin gets its own rectangle, even when several share a pixel column: the tallest then
// covers the others, so a spike is never averaged away.
void HistogramGrid::paintCodes(QPainter& painter, const QRectF& area, const TensorStatistics& tensor,
                               OverflowMode overflow)
{
    const CodeBars bars = splitCodeBars(tensor.codes, tensor.events, overflow);
    const size_t bins = bars.binCount();
    if (bins == 0)
        return;
    double maxCount = 0;
    for (size_t bin = 0; bin < bins; ++bin)
        maxCount = std::max(maxCount, double(bars.total(bin)));

    const double binWidth = area.width() / double(bins);
    const double drawnWidth = binWidth >= 3 ? binWidth - 1 : std::max(binWidth, 1.0);
    const auto binRect = [&](size_t bin, double bottom, double height) {
        return QRectF(area.left() + double(bin) * binWidth, bottom - height, drawnWidth, height);
    };

    painter.setPen(Qt::NoPen);
    for (size_t bin = 0; bin < bins; ++bin) {
        const double height = barHeight(double(bars.total(bin)), maxCount, area.height());
        if (height > 0)
            painter.fillRect(binRect(bin, area.bottom(), height), plot_style::kBlue);
    }

    // The parts go on top of their bins' bars, in their own colours.
    const auto mark = [&](size_t bin, uint64_t part, const QColor& colour) {
        if (part == 0)
            return;
        const double total = barHeight(double(bars.total(bin)), maxCount, area.height());
        const double partHeight = std::max(kMinimumMarkHeight, total * double(part) / double(bars.total(bin)));
        const double top = area.bottom() - std::max(total, partHeight);
        painter.fillRect(QRectF(area.left() + double(bin) * binWidth, top, std::max(drawnWidth, 2.0), partHeight),
                         colour);
    };
    mark(bars.highestBin, bars.saturatedHigh, kSaturationColour);
    mark(bars.lowestBin, bars.saturatedLow, kSaturationColour);
    mark(bars.zeroBin, bars.underflowed + bars.notANumber, kUnderflowColour);

    // A tick under code 0 shows where zero sits in the range.
    const double zero = area.left() + (double(bars.zeroBin) + 0.5) * binWidth;
    painter.setPen(QPen(plot_style::kGrey, 1));
    painter.drawLine(QPointF(zero, area.bottom() + 1), QPointF(zero, area.bottom() + 3));
}

void HistogramGrid::paintValues(QPainter& painter, const QRectF& area, const ValueHistogram& histogram)
{
    const size_t bins = histogram.counts.size();
    if (bins == 0)
        return;
    const double maxCount = double(*std::max_element(histogram.counts.begin(), histogram.counts.end()));
    const double binWidth = area.width() / double(bins);
    for (size_t bin = 0; bin < bins; ++bin) {
        const double height = barHeight(double(histogram.counts[bin]), maxCount, area.height());
        if (height > 0)
            painter.fillRect(QRectF(area.left() + double(bin) * binWidth, area.bottom() - height,
                                    std::max(binWidth - (binWidth >= 3 ? 1 : 0), 1.0), height),
                             plot_style::kGrey);
    }
    painter.setFont(smallFont());
    painter.setPen(palette().text().color());
    painter.drawText(area, Qt::AlignLeft | Qt::AlignTop, "float");
}

std::optional<size_t> HistogramGrid::cellAt(const QPoint& position) const
{
    for (size_t i = 0; i < cells_.size(); ++i)
        if (cells_[i].rect.adjusted(-1, -1, 2, 2).contains(position))
            return i;
    return std::nullopt;
}

void HistogramGrid::mousePressEvent(QMouseEvent* event)
{
    const std::optional<size_t> cell = cellAt(event->position().toPoint());
    if (!cell)
        return;
    selected_ = cell;
    requested_ = {cells_[*cell].layer, cells_[*cell].kind};
    update();
    emit cellSelected(cells_[*cell].layer, cells_[*cell].kind);
}

// Arrow keys move to the next cell that exists in that direction, skipping kinds a layer lacks.
void HistogramGrid::moveSelection(int dRow, int dColumn)
{
    if (cells_.empty())
        return;
    if (!selected_) {
        selected_ = 0;
    } else {
        const auto position = [this](const Cell& cell) {
            return layersAcross_ ? std::make_pair(int(cell.kind), cell.row) : std::make_pair(cell.row, int(cell.kind));
        };
        auto [row, column] = position(cells_[*selected_]);
        const int rows = layersAcross_ ? kTensorKindCount : int(rowLayers_.size());
        const int columns = layersAcross_ ? int(rowLayers_.size()) : kTensorKindCount;
        for (row += dRow, column += dColumn; row >= 0 && row < rows && column >= 0 && column < columns;
             row += dRow, column += dColumn) {
            const auto found = std::find_if(cells_.begin(), cells_.end(), [&](const Cell& cell) {
                return position(cell) == std::make_pair(row, column);
            });
            if (found != cells_.end()) {
                selected_ = size_t(found - cells_.begin());
                break;
            }
        }
    }
    requested_ = {cells_[*selected_].layer, cells_[*selected_].kind};
    update();
    emit cellSelected(cells_[*selected_].layer, cells_[*selected_].kind);
}

void HistogramGrid::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Left:
        moveSelection(0, -1);
        break;
    case Qt::Key_Right:
        moveSelection(0, 1);
        break;
    case Qt::Key_Up:
        moveSelection(-1, 0);
        break;
    case Qt::Key_Down:
        moveSelection(1, 0);
        break;
    default:
        QWidget::keyPressEvent(event);
    }
}

bool HistogramGrid::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);

    auto* help = static_cast<QHelpEvent*>(event);
    const std::optional<size_t> index = cellAt(help->pos());
    if (!index) {
        QToolTip::hideText();
        return true;
    }
    const Cell& cell = cells_[*index];
    QString text = QString::fromStdString(network_.layers[size_t(cell.layer)].name) + " " + kindName(cell.kind);
    const TensorStatistics* tensor = tensorAt(cell.layer, cell.kind);
    if (!tensor) {
        text += ": no histogram before the first step";
    } else if (!tensor->isFixed) {
        text += QString(": float, %1 values").arg(countText(tensor->values.total()));
    } else {
        const CodeHistogram& codes = tensor->codes;
        const OverflowMode overflow = snapshot_->experiment.precision.at(size_t(cell.layer), cell.kind).spec.overflow;
        const CodeBars bars = splitCodeBars(codes, tensor->events, overflow);
        text += QString(": %1-bit, fl %2\n%3 values\n%4\nunderflowed to 0: %5")
                    .arg(codes.format.wordBits)
                    .arg(codes.format.fractionalLength)
                    .arg(countText(codes.total()), saturationText(bars), countText(bars.underflowed));
    }
    QToolTip::showText(help->globalPos(), text, this);
    return true;
}

} // namespace fxlab::gui
