// The precision matrix panel: the table of every tensor's precision, with single and bulk edits
// through PrecisionDialog, a legend, and the reason for the last rejected edit.
#pragma once

#include "experiment_document.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace fxlab::gui {

class LayerTableModel;
class PrecisionDialog;

class PrecisionMatrix : public QWidget {
    Q_OBJECT

public:
    explicit PrecisionMatrix(ExperimentDocument* document, QWidget* parent = nullptr);

    LayerTableModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    // The tensors of the selected cells that exist, top to bottom and left to right.
    std::vector<TensorCell> selectedCells() const;
    // Opens the editor for the selected cells: every field for one tensor, a bulk edit for
    // several. Returns the open dialog, or nullptr when nothing editable is selected.
    PrecisionDialog* editSelection();
    // The message line below the matrix: the reason for the last rejected edit, if any.
    QString messageText() const;

protected:
    // Opens the editor on Return or Enter in the matrix.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    PrecisionDialog* openEditor(const std::vector<TensorCell>& cells);
    void showRejection(const QString& reason);
    void updateEditButton();
    // Sets the column widths at the next event loop turn; several requests make one fit.
    void scheduleColumnFit();
    // Gives the columns the longest versions of their lines that fit the view in every column,
    // and shares out the rest of the width.
    void fitColumns();

    ExperimentDocument* document_;
    LayerTableModel* model_ = nullptr;
    QTableView* view_ = nullptr;
    QPushButton* editButton_ = nullptr;
    QLabel* selectionLabel_ = nullptr;
    QLabel* message_ = nullptr;
    bool columnFitScheduled_ = false;
};

} // namespace fxlab::gui
