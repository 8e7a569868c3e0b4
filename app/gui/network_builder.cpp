#include "network_builder.h"

#include "network_builder_model.h"

#include <QAction>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace fxlab::gui {

namespace {

// Spin boxes for the numeric parameters that commit every value as it is typed, so that output
// shapes, parameter counts and problems follow each keystroke.
class LayerParameterDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const int column = index.column();
        if (column == NetworkBuilderModel::NameColumn)
            return QStyledItemDelegate::createEditor(parent, option, index);

        const auto* model = static_cast<const NetworkBuilderModel*>(index.model());
        const LayerType type = model->document()->network().layers.at(size_t(index.row())).type;
        const auto [minimum, maximum] = NetworkBuilderModel::valueRange(column, type);
        auto* spinBox = new QSpinBox(parent);
        spinBox->setObjectName("layerParameterEditor");
        spinBox->setRange(minimum, maximum);
        spinBox->setKeyboardTracking(true);
        if (column == NetworkBuilderModel::KernelColumn)
            spinBox->setSuffix(" px");
        auto* self = const_cast<LayerParameterDelegate*>(this);
        connect(spinBox, &QSpinBox::valueChanged, self, [self, spinBox] { emit self->commitData(spinBox); });
        return spinBox;
    }

    void setEditorData(QWidget* editor, const QModelIndex& index) const override
    {
        auto* spinBox = qobject_cast<QSpinBox*>(editor);
        if (!spinBox) {
            QStyledItemDelegate::setEditorData(editor, index);
            return;
        }
        // Setting an equal value would move the cursor while the user types.
        const int value = index.data(Qt::EditRole).toInt();
        if (spinBox->value() != value) {
            const QSignalBlocker blocker(spinBox);
            spinBox->setValue(value);
        }
    }

    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override
    {
        if (auto* spinBox = qobject_cast<QSpinBox*>(editor)) {
            model->setData(index, spinBox->value(), Qt::EditRole);
            return;
        }
        QStyledItemDelegate::setModelData(editor, model, index);
    }
};

struct LayerChoice {
    LayerType type;
    const char* label;
    const char* objectName;
    const char* toolTip;
};

constexpr LayerChoice kLayerChoices[] = {
    {LayerType::Convolution, "Convolution", "addConvolutionAction", "3x3 kernel, 8 filters, padding 1"},
    {LayerType::MaxPool, "Max-pool", "addMaxPoolAction", "2x2 window, stride 2: halves height and width"},
    {LayerType::AveragePool, "Average-pool", "addAveragePoolAction", "2x2 window, stride 2: halves height and width"},
    {LayerType::Dense, "Dense", "addDenseAction", "32 units; needs a vector input, so flatten first"},
    {LayerType::ReLU, "ReLU", "addReluAction", "max(0, x), element by element"},
    {LayerType::Flatten, "Flatten", "addFlattenAction", "Turns a map into a vector for dense layers"},
};

} // namespace

NetworkBuilder::NetworkBuilder(ExperimentDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), model_(new NetworkBuilderModel(document, this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto* top = new QHBoxLayout;
    createToolBar(top);
    layout->addLayout(top);

    inputLabel_ = new QLabel;
    inputLabel_->setObjectName("builderInputLabel");
    inputLabel_->setWordWrap(true);
    layout->addWidget(inputLabel_);

    pendingNotice_ = new QFrame;
    pendingNotice_->setObjectName("pendingNetworkNotice");
    pendingNotice_->setFrameShape(QFrame::StyledPanel);
    pendingNotice_->setStyleSheet("#pendingNetworkNotice { background: #fff4cc; border: 1px solid #d9a400; }");
    pendingText_ = new QLabel;
    pendingText_->setWordWrap(true);
    applyButton_ = new QPushButton("Apply and restart the run\u2026");
    applyButton_->setObjectName("applyNetworkButton");
    auto* discardButton = new QPushButton("Discard changes");
    discardButton->setObjectName("discardNetworkButton");
    connect(applyButton_, &QPushButton::clicked, this, &NetworkBuilder::applyRequested);
    connect(discardButton, &QPushButton::clicked, this, &NetworkBuilder::discardRequested);
    auto* noticeLayout = new QHBoxLayout(pendingNotice_);
    noticeLayout->addWidget(pendingText_, 1);
    noticeLayout->addWidget(applyButton_);
    noticeLayout->addWidget(discardButton);
    pendingNotice_->hide();
    layout->addWidget(pendingNotice_);

    view_ = new QTableView;
    view_->setObjectName("networkBuilderTable");
    view_->setModel(model_);
    view_->setItemDelegate(new LayerParameterDelegate(view_));
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                           | QAbstractItemView::AnyKeyPressed);
    view_->setWordWrap(true);
    QHeaderView* header = view_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(NetworkBuilderModel::OutputColumn, QHeaderView::Stretch);
    view_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(view_, 1);

    networkProblem_ = new QLabel;
    networkProblem_->setObjectName("networkProblemLabel");
    networkProblem_->setWordWrap(true);
    networkProblem_->setStyleSheet("QLabel { color: #b00020; font-weight: bold; }");
    networkProblem_->hide();
    layout->addWidget(networkProblem_);

    totalLabel_ = new QLabel;
    totalLabel_->setObjectName("parameterTotalLabel");
    layout->addWidget(totalLabel_);

    connect(document_, &ExperimentDocument::networkChanged, this, &NetworkBuilder::updateSummary);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &NetworkBuilder::updateButtons);
    connect(model_, &QAbstractItemModel::modelReset, this, &NetworkBuilder::updateButtons);
    updateSummary();
}

void NetworkBuilder::createToolBar(QHBoxLayout* layout)
{
    auto* menu = new QMenu(this);
    menu->setObjectName("addLayerMenu");
    for (const LayerChoice& choice : kLayerChoices) {
        QAction* action = menu->addAction(choice.label);
        action->setObjectName(choice.objectName);
        action->setToolTip(choice.toolTip);
        const LayerType type = choice.type;
        connect(action, &QAction::triggered, this, [this, type] { addLayer(type); });
    }
    menu->setToolTipsVisible(true);
    menu->addSeparator();
    QAction* output = menu->addAction("Softmax cross-entropy output");
    output->setObjectName("addOutputAction");
    output->setToolTip("Only when the network has no output layer");
    connect(menu, &QMenu::aboutToShow, this, [this, output] {
        const auto& layers = document_->network().layers;
        output->setEnabled(layers.empty() || layers.back().type != LayerType::SoftmaxCrossEntropy);
    });
    connect(output, &QAction::triggered, this, [this] {
        document_->addOutputLayer();
        selectLayer(int(document_->network().layers.size()) - 1);
    });

    addButton_ = new QToolButton;
    addButton_->setObjectName("addLayerButton");
    addButton_->setText("Add layer");
    addButton_->setIcon(style()->standardIcon(QStyle::SP_FileDialogNewFolder));
    addButton_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    addButton_->setPopupMode(QToolButton::InstantPopup);
    addButton_->setMenu(menu);
    addButton_->setToolTip("Insert a layer below the selected one, or above the output");
    layout->addWidget(addButton_);

    auto makeButton = [this, layout](QAction* action) {
        auto* button = new QToolButton;
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        layout->addWidget(button);
        addAction(action);
    };

    moveUpAction_ = new QAction(style()->standardIcon(QStyle::SP_ArrowUp), "Move up", this);
    moveUpAction_->setObjectName("moveLayerUpAction");
    moveUpAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Up));
    moveUpAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(moveUpAction_, &QAction::triggered, this, [this] { moveSelectedLayer(-1); });
    makeButton(moveUpAction_);

    moveDownAction_ = new QAction(style()->standardIcon(QStyle::SP_ArrowDown), "Move down", this);
    moveDownAction_->setObjectName("moveLayerDownAction");
    moveDownAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Down));
    moveDownAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(moveDownAction_, &QAction::triggered, this, [this] { moveSelectedLayer(1); });
    makeButton(moveDownAction_);

    removeAction_ = new QAction(style()->standardIcon(QStyle::SP_TrashIcon), "Remove", this);
    removeAction_->setObjectName("removeLayerAction");
    removeAction_->setShortcut(QKeySequence::Delete);
    removeAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(removeAction_, &QAction::triggered, this, &NetworkBuilder::removeSelectedLayer);
    makeButton(removeAction_);

    // Buttons beside the Edit menu's actions; they carry no shortcut, which the menu owns.
    QUndoStack* stack = document_->undoStack();
    auto* undo = new QAction(style()->standardIcon(QStyle::SP_ArrowBack), "Undo", this);
    undo->setObjectName("builderUndoAction");
    undo->setEnabled(stack->canUndo());
    connect(undo, &QAction::triggered, stack, &QUndoStack::undo);
    connect(stack, &QUndoStack::canUndoChanged, undo, &QAction::setEnabled);
    connect(stack, &QUndoStack::undoTextChanged, undo, [undo](const QString& text) {
        undo->setToolTip(text.isEmpty() ? QString("Nothing to undo") : "Undo " + text + " (Ctrl+Z)");
    });
    auto* redo = new QAction(style()->standardIcon(QStyle::SP_ArrowForward), "Redo", this);
    redo->setObjectName("builderRedoAction");
    redo->setEnabled(stack->canRedo());
    connect(redo, &QAction::triggered, stack, &QUndoStack::redo);
    connect(stack, &QUndoStack::canRedoChanged, redo, &QAction::setEnabled);
    connect(stack, &QUndoStack::redoTextChanged, redo, [redo](const QString& text) {
        redo->setToolTip(text.isEmpty() ? QString("Nothing to redo") : "Redo " + text + " (Ctrl+Shift+Z)");
    });
    layout->addSpacing(12);
    for (QAction* action : {undo, redo}) {
        auto* button = new QToolButton;
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        layout->addWidget(button);
    }
    layout->addStretch(1);
}

int NetworkBuilder::currentLayer() const
{
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void NetworkBuilder::selectLayer(int layer)
{
    if (layer < 0 || layer >= model_->rowCount()) {
        view_->clearSelection();
        return;
    }
    view_->selectRow(layer);
    view_->setCurrentIndex(model_->index(layer, NetworkBuilderModel::NameColumn));
}

void NetworkBuilder::addLayer(LayerType type)
{
    const int selected = currentLayer();
    const int position = selected >= 0 ? selected + 1 : int(document_->network().layers.size());
    selectLayer(document_->addLayer(type, position));
}

void NetworkBuilder::removeSelectedLayer()
{
    const int selected = currentLayer();
    if (!document_->canRemove(selected))
        return;
    document_->removeLayer(selected);
    selectLayer(std::min(selected, model_->rowCount() - 1));
}

void NetworkBuilder::moveSelectedLayer(int offset)
{
    const int selected = currentLayer();
    if (!document_->canMove(selected, selected + offset))
        return;
    document_->moveLayer(selected, selected + offset);
    selectLayer(selected + offset);
}

void NetworkBuilder::showPendingNetwork(bool pending, uint32_t runStep, bool canApply)
{
    applyButton_->setEnabled(canApply);
    pendingText_->setText(
        QString("<b>Not applied yet.</b> The run has trained %1 steps of the previous network and keeps "
                "training it. Applying the edited network restarts the run from step 0.")
            .arg(runStep));
    pendingNotice_->setVisible(pending);
}

bool NetworkBuilder::pendingNoticeShown() const
{
    return !pendingNotice_->isHidden();
}

QString NetworkBuilder::networkProblemText() const
{
    return networkProblem_->isHidden() ? QString() : networkProblem_->text();
}

void NetworkBuilder::updateSummary()
{
    const NetworkSpec& network = document_->network();
    inputLabel_->setText(QString("Input: %1 (channels x height x width, from the experiment).  Classes: %2 (from "
                                 "the data; the last layer gives one score per class).  Double-click a value or "
                                 "start typing to change it: shapes and parameter counts follow as you type.")
                             .arg(QString::fromStdString(toString(network.input)))
                             .arg(document_->classCount()));
    totalLabel_->setText(QString("Total: %1 trainable parameters").arg(groupedNumber(model_->totalParameters())));

    const QString problem = document_->networkProblem();
    networkProblem_->setText(problem.isEmpty() ? QString() : "The network cannot train: " + problem + ".");
    networkProblem_->setVisible(!problem.isEmpty());
    updateButtons();
}

void NetworkBuilder::updateButtons()
{
    const int selected = currentLayer();
    moveUpAction_->setEnabled(document_->canMove(selected, selected - 1));
    moveDownAction_->setEnabled(document_->canMove(selected, selected + 1));
    removeAction_->setEnabled(document_->canRemove(selected));
}

} // namespace fxlab::gui
