#include "precision_delegate.h"

#include "layer_table_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QSpinBox>

#include <algorithm>

namespace fxlab::gui {

namespace {

// The spin boxes accept values outside the valid formats on purpose: the model rejects them with
// the reason and the valid range, where a clamped spin box would change the value silently.
constexpr int kWordBitsInputLimit = 64;
constexpr int kFractionalLengthInputLimit = 128;

constexpr RoundingMode kRoundingModes[] = {RoundingMode::NearestEven, RoundingMode::NearestAway, RoundingMode::Floor,
                                           RoundingMode::TowardZero, RoundingMode::Stochastic};

} // namespace

PrecisionEditor::PrecisionEditor(QWidget* parent)
    : QWidget(parent), wordBits_(new QSpinBox(this)), fractionalLength_(new QSpinBox(this)), rounding_(new QComboBox(this))
{
    setAutoFillBackground(true);
    wordBits_->setObjectName("wordBitsEditor");
    wordBits_->setRange(0, kWordBitsInputLimit);
    wordBits_->setSuffix("-bit");
    wordBits_->setToolTip("Word bits, sign included");

    fractionalLength_->setObjectName("fractionalLengthEditor");
    fractionalLength_->setRange(-kFractionalLengthInputLimit, kFractionalLengthInputLimit);
    fractionalLength_->setPrefix("fl ");

    rounding_->setObjectName("roundingEditor");
    for (RoundingMode mode : kRoundingModes)
        rounding_->addItem(QString::fromLatin1(toString(mode)), int(mode));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(wordBits_);
    layout->addWidget(fractionalLength_);
    layout->addWidget(rounding_);
    setFocusProxy(wordBits_);
}

void PrecisionEditor::setPrecision(const TensorPrecision& precision, int currentFractionalLength)
{
    original_ = precision;
    wordBits_->setValue(precision.spec.format.wordBits);
    rounding_->setCurrentIndex(rounding_->findData(int(precision.spec.rounding)));

    const bool manual = precision.policy == FractionalLengthPolicy::Manual;
    fractionalLength_->setValue(manual ? precision.spec.format.fractionalLength : currentFractionalLength);
    fractionalLength_->setEnabled(manual);
    fractionalLength_->setToolTip(manual ? QString("Fractional length: the step is 2^-fl")
                                         : "Fractional length, chosen from the data by the "
                                               + QString::fromLatin1(toString(precision.policy)) + " policy");
    initialized_ = true;
}

TensorPrecision PrecisionEditor::precision() const
{
    TensorPrecision edited = original_;
    edited.spec.format.wordBits = wordBits_->value();
    edited.spec.rounding = RoundingMode(rounding_->currentData().toInt());
    if (edited.policy == FractionalLengthPolicy::Manual)
        edited.spec.format.fractionalLength = fractionalLength_->value();
    return edited;
}

QWidget* PrecisionDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                                         const QModelIndex& index) const
{
    if (!LayerTableModel::kindOfColumn(index.column()))
        return QStyledItemDelegate::createEditor(parent, option, index);
    return new PrecisionEditor(parent);
}

void PrecisionDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    auto* precisionEditor = qobject_cast<PrecisionEditor*>(editor);
    if (!precisionEditor) {
        QStyledItemDelegate::setEditorData(editor, index);
        return;
    }
    // Snapshots keep arriving while the editor is open; only the first call may fill it, or the
    // user's input would be overwritten.
    if (precisionEditor->initialized())
        return;
    precisionEditor->setPrecision(index.data(LayerTableModel::PrecisionRole).value<TensorPrecision>(),
                                  index.data(LayerTableModel::FractionalLengthRole).toInt());
}

void PrecisionDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    auto* precisionEditor = qobject_cast<PrecisionEditor*>(editor);
    if (!precisionEditor) {
        QStyledItemDelegate::setModelData(editor, model, index);
        return;
    }
    model->setData(index, QVariant::fromValue(precisionEditor->precision()), Qt::EditRole);
}

void PrecisionDelegate::updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                                             const QModelIndex& index) const
{
    if (!qobject_cast<PrecisionEditor*>(editor)) {
        QStyledItemDelegate::updateEditorGeometry(editor, option, index);
        return;
    }
    // The editor is wider than its cell; keep it inside the viewport so no field is cut off.
    QRect rectangle = option.rect;
    rectangle.setWidth(std::max(rectangle.width(), editor->sizeHint().width()));
    rectangle.setHeight(std::max(rectangle.height(), editor->sizeHint().height()));
    if (const QWidget* viewport = editor->parentWidget()) {
        const int overhang = rectangle.right() - viewport->rect().right();
        if (overhang > 0)
            rectangle.translate(-std::min(overhang, rectangle.left()), 0);
    }
    editor->setGeometry(rectangle);
}

} // namespace fxlab::gui
