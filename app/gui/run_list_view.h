// The run list: every run with its settings, state, step and latest test accuracy. Selecting a
// row makes that run current, so that every view shows it. The buttons duplicate the current run
// with one change, rename it or remove it.
#pragma once

#include <QWidget>

class QPushButton;
class QTableView;

namespace fxlab::gui {

class RunListModel;

class RunListView : public QWidget {
    Q_OBJECT

public:
    explicit RunListView(RunListModel* model, QWidget* parent = nullptr);

    QTableView* table() const { return table_; }

signals:
    void duplicateRequested();
    void renameRequested();
    void removeRequested();

private:
    void selectCurrentRun();
    void updateButtons();

    RunListModel* model_;
    QTableView* table_;
    QPushButton* duplicate_;
    QPushButton* rename_;
    QPushButton* remove_;
};

} // namespace fxlab::gui
