#include "run_list_view.h"

#include "run_list_model.h"
#include "run_manager.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace fxlab::gui {

RunListView::RunListView(RunListModel* model, QWidget* parent) : QWidget(parent), model_(model)
{
    table_ = new QTableView;
    table_->setObjectName("runTable");
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    table_->setWordWrap(false);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QHeaderView* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RunListModel::NameColumn, QHeaderView::Stretch);

    duplicate_ = new QPushButton("&Duplicate with one change\u2026");
    duplicate_->setObjectName("duplicateRunButton");
    duplicate_->setToolTip("Copy the current run with one setting changed and train both side by side");
    rename_ = new QPushButton("Re&name\u2026");
    rename_->setObjectName("renameRunButton");
    remove_ = new QPushButton("Re&move");
    remove_->setObjectName("removeRunButton");
    remove_->setToolTip("Stop the current run and remove it from the list; the last run cannot be removed");
    connect(duplicate_, &QPushButton::clicked, this, &RunListView::duplicateRequested);
    connect(rename_, &QPushButton::clicked, this, &RunListView::renameRequested);
    connect(remove_, &QPushButton::clicked, this, &RunListView::removeRequested);

    auto* hint = new QLabel("Select a run to show it in every view; check runs to overlay them in the run "
                            "comparison.");
    hint->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(duplicate_);
    buttons->addWidget(rename_);
    buttons->addWidget(remove_);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(table_, 1);
    layout->addWidget(hint);
    layout->addLayout(buttons);

    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    model_->runManager()->setCurrent(current.row());
            });
    connect(model_->runManager(), &RunManager::runsChanged, this, &RunListView::selectCurrentRun);
    connect(model_, &QAbstractItemModel::modelReset, this, &RunListView::selectCurrentRun);
    selectCurrentRun();
}

void RunListView::selectCurrentRun()
{
    const int current = model_->runManager()->currentIndex();
    if (current >= 0 && table_->currentIndex().row() != current)
        table_->setCurrentIndex(model_->index(current, RunListModel::NameColumn));
    updateButtons();
}

void RunListView::updateButtons()
{
    const RunManager* runs = model_->runManager();
    duplicate_->setEnabled(runs->currentRun() != nullptr);
    rename_->setEnabled(runs->currentRun() != nullptr);
    remove_->setEnabled(runs->runCount() > 1);
}

} // namespace fxlab::gui
