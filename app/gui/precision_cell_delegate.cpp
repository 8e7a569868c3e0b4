#include "precision_cell_delegate.h"

#include "layer_table_model.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace fxlab::gui {

void PrecisionCellDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                  const QModelIndex& index) const
{
    const QVariantList lines = index.data(LayerTableModel::LineVariantsRole).toList();
    if (lines.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }

    QStyleOptionViewItem item = option;
    initStyleOption(&item, index);
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    // The item view draws text inside a margin of the focus frame width plus one on each side.
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const int width = style->subElementRect(QStyle::SE_ItemViewItemText, &item, widget).width() - 2 * margin;

    QStringList chosen;
    for (const QVariant& line : lines) {
        const QStringList variants = line.toStringList();
        QString text = item.fontMetrics.elidedText(variants.last(), Qt::ElideRight, width);
        for (const QString& variant : variants) {
            if (item.fontMetrics.horizontalAdvance(variant) <= width) {
                text = variant;
                break;
            }
        }
        chosen << text;
    }
    item.text = chosen.join(QChar::LineSeparator);
    style->drawControl(QStyle::CE_ItemViewItem, &item, painter, widget);
}

} // namespace fxlab::gui
