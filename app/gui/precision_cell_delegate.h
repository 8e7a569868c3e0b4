// Draws the precision matrix's cells with the longest version of each line that fits the column,
// so that a narrow matrix drops words before it elides numbers.
#pragma once

#include <QStyledItemDelegate>

namespace fxlab::gui {

class PrecisionCellDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace fxlab::gui
