#include "precision_matrix.h"

#include "layer_table_model.h"
#include "precision_cell_delegate.h"
#include "precision_dialog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <numeric>

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

    auto* top = new QHBoxLayout;
    top->addWidget(editButton_);
    top->addWidget(selectionLabel_);

    view_ = new QTableView;
    view_->setObjectName("layerTable");
    view_->setModel(model_);
    view_->setItemDelegate(new PrecisionCellDelegate(view_));
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setSelectionBehavior(QAbstractItemView::SelectItems);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->setWordWrap(false);
    view_->setTextElideMode(Qt::ElideRight);
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view_->horizontalHeader()->setStretchLastSection(false);
    view_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (const auto cell = model_->cellAt(index); cell && model_->data(index, LayerTableModel::PresentRole).toBool())
            openEditor({*cell});
    });
    view_->installEventFilter(this);
    view_->viewport()->installEventFilter(this);
    connect(model_, &QAbstractItemModel::dataChanged, this, &PrecisionMatrix::scheduleColumnFit);
    connect(model_, &QAbstractItemModel::modelReset, this, &PrecisionMatrix::scheduleColumnFit);
    connect(model_, &QAbstractItemModel::headerDataChanged, this, &PrecisionMatrix::scheduleColumnFit);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PrecisionMatrix::updateEditButton);
    connect(model_, &QAbstractItemModel::modelReset, this, &PrecisionMatrix::updateEditButton);

    // A short legend beside the button keeps the rows in view on a projector. Its tooltip
    // explains the rest.
    auto* legend = new QLabel(
        "fl: fractional length, step 2<sup>\u2212fl</sup>. *: chosen by the policy. Blue: stochastic rounding. "
        "Grey: float.");
    legend->setObjectName("precisionLegend");
    legend->setWordWrap(true);
    legend->setToolTip(
        "\u2013: the layer has no such tensor.\n"
        "Each cell shows word bits, fractional length (fl), integer bits (word bits \u2212 1 \u2212 fl), the "
        "range [min, max] and the rounding. Narrow columns leave out the integer bits and the rounding; a "
        "cell's tooltip has everything.\n*: the fractional length is chosen from the data by the tensor's "
        "policy and shown at the latest step.\nSelect several cells, or a column or row by clicking its "
        "header, and press Edit selected (or Enter) to change chosen fields of all of them. Double-click a "
        "cell to edit it alone.");
    top->addSpacing(16);
    top->addWidget(legend, 1);

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
    if (watched == view_->viewport() && event->type() == QEvent::Resize)
        scheduleColumnFit();
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

void PrecisionMatrix::scheduleColumnFit()
{
    if (columnFitScheduled_)
        return;
    columnFitScheduled_ = true;
    QMetaObject::invokeMethod(this, &PrecisionMatrix::fitColumns, Qt::QueuedConnection);
}

void PrecisionMatrix::fitColumns()
{
    columnFitScheduled_ = false;
    // The item view's text margins and the grid line, with a little air.
    const int padding = 2 * (style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view_) + 1) + 8;
    const QFontMetrics cellMetrics = view_->fontMetrics();
    const QFontMetrics headerMetrics = view_->horizontalHeader()->fontMetrics();
    const int columns = model_->columnCount();

    // widths[level][column]: the column's width when every line uses its version number `level`
    // (or its shortest, where it has fewer), level 0 being the longest.
    constexpr int kLevels = 3;
    std::array<std::vector<int>, kLevels> widths;
    for (std::vector<int>& levelWidths : widths)
        levelWidths.assign(size_t(columns), 0);
    for (int column = 0; column < columns; ++column) {
        const QString title = model_->headerData(column, Qt::Horizontal).toString();
        for (std::vector<int>& levelWidths : widths)
            levelWidths[size_t(column)] = headerMetrics.horizontalAdvance(title) + padding;
        for (int row = 0; row < model_->rowCount(); ++row) {
            const QVariantList lines = model_->data(model_->index(row, column), LayerTableModel::LineVariantsRole).toList();
            for (const QVariant& line : lines) {
                const QStringList variants = line.toStringList();
                for (int level = 0; level < kLevels; ++level) {
                    const QString& text = variants.at(std::min(level, int(variants.size()) - 1));
                    int& width = widths[size_t(level)][size_t(column)];
                    width = std::max(width, cellMetrics.horizontalAdvance(text) + padding);
                }
            }
        }
    }

    // Take the longest versions that fit in every column and share out the remaining width. When
    // even the shortest versions do not fit, the view scrolls.
    const int available = view_->viewport()->width();
    const std::vector<int>* chosen = &widths.back();
    for (const std::vector<int>& levelWidths : widths) {
        if (std::accumulate(levelWidths.begin(), levelWidths.end(), 0) <= available) {
            chosen = &levelWidths;
            break;
        }
    }
    const int spare = std::max(0, available - std::accumulate(chosen->begin(), chosen->end(), 0));
    for (int column = 0; column < columns; ++column)
        view_->horizontalHeader()->resizeSection(column, (*chosen)[size_t(column)] + spare / std::max(1, columns));
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
