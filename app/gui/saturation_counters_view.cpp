#include "saturation_counters_view.h"

#include <QEvent>
#include <QHeaderView>

namespace fxlab::gui {

namespace {

QString percentOf(uint64_t count, uint64_t elements)
{
    return QLocale().toString(100.0 * double(count) / double(elements), 'f', 2) + " %";
}

// "1,234 (0.05 %)" of the elements quantized, or a dash when the layer quantized nothing.
QString countCell(uint64_t count, uint64_t elements)
{
    if (elements == 0)
        return QString::fromUtf8("\u2013");
    return QLocale().toString(qulonglong(count)) + " (" + percentOf(count, elements) + ")";
}

QString kindBreakdown(const LayerEvents& events, uint64_t QuantEvents::*counter)
{
    QStringList lines;
    for (TensorKind kind : kAllTensorKinds) {
        const QuantEvents& kindEvents = events[size_t(kind)];
        if (kindEvents.elements == 0)
            continue;
        lines << QString::fromLatin1(toString(kind)).replace('-', ' ') + ": "
                + countCell(kindEvents.*counter, kindEvents.elements) + " of "
                + QLocale().toString(qulonglong(kindEvents.elements));
    }
    return lines.isEmpty() ? QString("No fixed-point tensors in this layer.") : lines.join('\n');
}

} // namespace

SaturationCountersView::SaturationCountersView(QWidget* parent) : QTableWidget(0, 3, parent)
{
    setObjectName("saturationCounters");
    setHorizontalHeaderLabels({"Layer", "Saturated", "Underflowed"});
    horizontalHeaderItem(SaturatedColumn)->setToolTip("Values outside the representable range, clamped to the "
                                                      "lowest or highest code (or wrapped), in every tensor of "
                                                      "the layer since step 0");
    horizontalHeaderItem(UnderflowColumn)->setToolTip("Nonzero values that rounded to code 0, in every tensor of "
                                                      "the layer since step 0");
    verticalHeader()->setVisible(false);
    // Sized once per snapshot rather than by the header at every changed cell, which measured
    // every row again for each of the 44 cells and took about 2 ms a snapshot.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    horizontalHeader()->setStretchLastSection(false);
    setWordWrap(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::NoFocus);
}

void SaturationCountersView::setLayers(const NetworkSpec& network)
{
    network_ = network;
    shownEvents_.clear();
    setRowCount(int(network.layers.size()));
    for (int row = 0; row < rowCount(); ++row) {
        setItem(row, LayerColumn, new QTableWidgetItem(QString::fromStdString(network.layers[size_t(row)].name)));
        for (int column : {SaturatedColumn, UnderflowColumn}) {
            auto* item = new QTableWidgetItem(QString::fromUtf8("\u2013"));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            setItem(row, column, item);
        }
    }
    fitColumns();
}

void SaturationCountersView::showSnapshot(const Snapshot& snapshot)
{
    if (!(snapshot.experiment.network == network_))
        setLayers(snapshot.experiment.network);
    if (snapshot.totalEvents == shownEvents_)
        return;
    shownEvents_ = snapshot.totalEvents;

    for (int row = 0; row < rowCount(); ++row) {
        LayerEvents events{};
        if (size_t(row) < snapshot.totalEvents.size())
            events = snapshot.totalEvents[size_t(row)];
        QuantEvents sum;
        for (const QuantEvents& kindEvents : events)
            sum += kindEvents;

        setCell(item(row, SaturatedColumn), countCell(sum.saturated, sum.elements),
                kindBreakdown(events, &QuantEvents::saturated));
        setCell(item(row, UnderflowColumn), countCell(sum.underflowed, sum.elements),
                kindBreakdown(events, &QuantEvents::underflowed));
    }
    fitColumns();
}

void SaturationCountersView::setCell(QTableWidgetItem* cell, const QString& text, const QString& toolTip)
{
    if (cell->text() != text)
        cell->setText(text);
    if (cell->toolTip() != toolTip)
        cell->setToolTip(toolTip);
}

void SaturationCountersView::fitColumns()
{
    resizeColumnToContents(LayerColumn);
    resizeColumnToContents(SaturatedColumn);
    resizeColumnToContents(UnderflowColumn);
}

void SaturationCountersView::changeEvent(QEvent* event)
{
    QTableWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
        fitColumns();
    }
}

} // namespace fxlab::gui
