// The network builder panel. It lists the layers of the edited network with their parameters,
// output shapes and parameter counts, and has buttons to add, move and remove layers and to undo
// and redo. A notice appears while the edited network differs from the one the run trains.
#pragma once

#include "experiment_document.h"

#include <QWidget>

#include <cstdint>

class QAction;
class QLabel;
class QFrame;
class QHBoxLayout;
class QPushButton;
class QTableView;
class QToolButton;

namespace fxlab::gui {

class NetworkBuilderModel;

class NetworkBuilder : public QWidget {
    Q_OBJECT

public:
    explicit NetworkBuilder(ExperimentDocument* document, QWidget* parent = nullptr);

    NetworkBuilderModel* model() const { return model_; }
    QTableView* view() const { return view_; }

    // The selected layer, or -1.
    int currentLayer() const;
    void selectLayer(int layer);
    // Inserts a layer of `type` below the selected one (above the output when none is selected)
    // and selects it.
    void addLayer(LayerType type);
    void removeSelectedLayer();
    // Moves the selected layer up (-1) or down (+1).
    void moveSelectedLayer(int offset);

    // Shows or hides the notice that the edited network waits, because the run has trained
    // `runStep` steps of the previous one. Its Apply button is enabled only with `canApply`.
    void showPendingNetwork(bool pending, uint32_t runStep, bool canApply);
    bool pendingNoticeShown() const;
    // The problem of the whole network shown below the table, if any.
    QString networkProblemText() const;

signals:
    // The user asks to restart the run with the edited network.
    void applyRequested();
    // The user asks to go back to the network the run trains.
    void discardRequested();

private:
    void createToolBar(QHBoxLayout* layout);
    void updateSummary();
    void updateButtons();

    ExperimentDocument* document_;
    NetworkBuilderModel* model_ = nullptr;
    QTableView* view_ = nullptr;
    QToolButton* addButton_ = nullptr;
    QAction* moveUpAction_ = nullptr;
    QAction* moveDownAction_ = nullptr;
    QAction* removeAction_ = nullptr;
    QLabel* inputLabel_ = nullptr;
    QLabel* totalLabel_ = nullptr;
    QLabel* networkProblem_ = nullptr;
    QFrame* pendingNotice_ = nullptr;
    QLabel* pendingText_ = nullptr;
    QPushButton* applyButton_ = nullptr;
};

} // namespace fxlab::gui
