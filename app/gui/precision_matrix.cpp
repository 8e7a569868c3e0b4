#include "precision_matrix.h"

#include "layer_table_model.h"
#include "precision_dialog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace fxlab::gui {

PrecisionMatrix::PrecisionMatrix(ExperimentDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), model_(new LayerTableModel(document, this))
{
    editButton_ = new QPushButton("Edit selected\u2026");
    editButton_->setObjectName("editPrecisionButton");
    editButton_->setToolTip("Edit the selected tensors: every field for one, chosen fields for several (Enter)");
    connect(editButton_, &QPushButton::clicked, this, [this] { editSelection(); });
    selectionLabel_ = new QLabel;
    selectionLabel_->setObjectName("selectionLabel");

    auto* hint = new QLabel("Select cells, a column (click its header) or a row (click the layer name); "
                            "Shift and Ctrl extend the selection.");
    hint->setWordWrap(true);
    auto* top = new QHBoxLayout;
    top->addWidget(editButton_);
    top->addWidget(selectionLabel_);
    top->addWidget(hint, 1);

    view_ = new QTableView;
    view_->setObjectName("layerTable");
    view_->setModel(model_);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setSelectionBehavior(QAbstractItemView::SelectItems);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->setWordWrap(false);
    view_->setTextElideMode(Qt::ElideRight);
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    // Narrow enough for five columns beside the histograms; longer lines are elided, and each
    // cell's tooltip gives its whole description.
    view_->horizontalHeader()->setMinimumSectionSize(fontMetrics().horizontalAdvance("8-bit fl 6* (1 integer bit)") + 12);
    view_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (const auto cell = model_->cellAt(index); cell && model_->data(index, LayerTableModel::PresentRole).toBool())
            openEditor({*cell});
    });
    view_->installEventFilter(this);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PrecisionMatrix::updateEditButton);
    connect(model_, &QAbstractItemModel::modelReset, this, &PrecisionMatrix::updateEditButton);

    auto* legend = new QLabel(
        "fl: fractional length; the step between codes is 2<sup>-fl</sup> and the integer bits are word bits "
        "\u2212 1 \u2212 fl. The range in brackets is the smallest and largest value. *: fl chosen from the "
        "data by the tensor's policy, shown at the latest step. Grey: float, not quantized. \u2013: the layer "
        "has no such tensor.");
    legend->setObjectName("precisionLegend");
    legend->setWordWrap(true);

    message_ = new QLabel;
    message_->setObjectName("precisionMessage");
    message_->setWordWrap(true);
    message_->setStyleSheet("QLabel { color: #b00020; font-weight: bold; }");
    message_->hide();
    connect(model_, &LayerTableModel::editRejected, this, &PrecisionMatrix::showRejection);
    connect(model_, &LayerTableModel::precisionEdited, message_, &QLabel::hide);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(view_, 1);
    layout->addWidget(message_);
    layout->addWidget(legend);
    updateEditButton();
}

std::vector<TensorCell> PrecisionMatrix::selectedCells() const
{
    QModelIndexList indexes = view_->selectionModel()->selectedIndexes();
    std::sort(indexes.begin(), indexes.end(), [](const QModelIndex& a, const QModelIndex& b) {
        return a.row() != b.row() ? a.row() < b.row() : a.column() < b.column();
    });
    std::vector<TensorCell> cells;
    for (const QModelIndex& index : indexes) {
        if (!model_->data(index, LayerTableModel::PresentRole).toBool())
            continue;
        if (const auto cell = model_->cellAt(index))
            cells.push_back(*cell);
    }
    return cells;
}

bool PrecisionMatrix::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == view_ && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            editSelection();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

PrecisionDialog* PrecisionMatrix::editSelection()
{
    return openEditor(selectedCells());
}

PrecisionDialog* PrecisionMatrix::openEditor(const std::vector<TensorCell>& cells)
{
    if (cells.empty())
        return nullptr;
    const std::optional<int> current = cells.size() == 1 ? model_->currentFractionalLength(cells.front())
                                                          : std::nullopt;
    auto* dialog = new PrecisionDialog(document_, cells, current, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        model_->applyChange(dialog->targetCells(), dialog->change());
    });
    dialog->open();
    return dialog;
}

void PrecisionMatrix::showRejection(const QString& reason)
{
    message_->setText("Rejected: " + reason);
    message_->show();
}

QString PrecisionMatrix::messageText() const
{
    return message_->isHidden() ? QString() : message_->text();
}

void PrecisionMatrix::updateEditButton()
{
    const size_t count = selectedCells().size();
    editButton_->setEnabled(count > 0);
    selectionLabel_->setText(count == 0 ? QString("no tensor selected")
                                        : count == 1 ? QString("1 tensor selected")
                                                     : QString("%1 tensors selected").arg(count));
}

} // namespace fxlab::gui
