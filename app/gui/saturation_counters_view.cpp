#include "saturation_counters_view.h"

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
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
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

        item(row, SaturatedColumn)->setText(countCell(sum.saturated, sum.elements));
        item(row, SaturatedColumn)->setToolTip(kindBreakdown(events, &QuantEvents::saturated));
        item(row, UnderflowColumn)->setText(countCell(sum.underflowed, sum.elements));
        item(row, UnderflowColumn)->setToolTip(kindBreakdown(events, &QuantEvents::underflowed));
    }
}

} // namespace fxlab::gui
