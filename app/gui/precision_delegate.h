// In-place editing of one tensor's fixed-point format in the layer table: word bits, fractional
// length (only under the manual policy) and rounding, committed together with Enter.
#pragma once

#include "model/precision.h"

#include <QStyledItemDelegate>
#include <QWidget>

class QComboBox;
class QSpinBox;

namespace fxlab::gui {

class PrecisionEditor : public QWidget {
    Q_OBJECT

public:
    explicit PrecisionEditor(QWidget* parent = nullptr);

    // Shows `precision`; `currentFractionalLength` is the value a data-driven policy chose.
    void setPrecision(const TensorPrecision& precision, int currentFractionalLength);
    TensorPrecision precision() const;
    bool initialized() const { return initialized_; }

private:
    TensorPrecision original_;
    QSpinBox* wordBits_;
    QSpinBox* fractionalLength_;
    QComboBox* rounding_;
    bool initialized_ = false;
};

class PrecisionDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
    void updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const override;
};

} // namespace fxlab::gui
