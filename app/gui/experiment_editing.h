// The editing side of the window: the network builder and precision matrix docks, undo and redo in
// the Edit menu, opening and saving experiment files in the File menu, and the link between the
// edited experiment and the current run.
//
// Precision edits go to the run at once. A running run pauses first, and resuming continues from
// there with the new precision. Network edits go to the run at once while it has trained nothing.
// After that they wait until the user applies them, which restarts the run, or until the run is
// reset. While the edited network cannot train, Start stays disabled.
#pragma once

#include "experiment_document.h"
#include "train/snapshot.h"

#include <QObject>
#include <QPointer>
#include <QString>

class QAction;
class QDockWidget;

namespace fxlab::gui {

class MainWindow;
class NetworkBuilder;
class PrecisionMatrix;
class RunController;

class ExperimentEditing : public QObject {
    Q_OBJECT

public:
    explicit ExperimentEditing(MainWindow* window);
    ~ExperimentEditing() override;

    ExperimentDocument* document() const { return document_; }
    NetworkBuilder* builder() const { return builder_; }
    PrecisionMatrix* precisionMatrix() const { return matrix_; }
    QAction* undoAction() const { return undoAction_; }
    QAction* redoAction() const { return redoAction_; }

    // Whether message boxes ask before a restart and report file errors. Tests turn them off, so
    // that a restart happens at once and file errors are only logged.
    void setDialogsEnabled(bool enabled) { dialogsEnabled_ = enabled; }
    // Whether the current run's experiment is stored in QSettings whenever it changes. Off by
    // default, so that tests and screenshots leave the user's settings alone.
    void setKeepsLastExperiment(bool keeps);

    // Loads the experiment file at `path` into the current run. Returns false and reports the
    // error, which names the file and the field, when it cannot be read.
    bool openExperimentFile(const QString& path);
    // Writes the edited experiment to `path`. Returns false and reports why when the network
    // cannot train or the file cannot be written.
    bool saveExperimentFile(const QString& path);
    // The last error of opening or saving a file.
    const QString& lastFileError() const { return lastFileError_; }

    // Whether the edited network differs from the one the current run trains.
    bool networkPending() const;
    // Restarts the current run with the edited network and plan, without asking.
    void applyEditedNetwork();

private:
    void createMenuEntries();
    void followSnapshot(const SnapshotPointer& snapshot);
    void followDocument();
    void updateClassCount(const RunController& run, const Snapshot* snapshot);
    void updatePendingNotice();
    bool runHasProgress(const RunController& run) const;
    void requestApply();
    void discardEditedNetwork();
    void chooseFileToOpen();
    void chooseFileToSave();
    void reportFileError(const QString& title, const QString& message);
    void noteRunExperiment(const RunController& run);

    MainWindow* window_;
    ExperimentDocument* document_;
    NetworkBuilder* builder_ = nullptr;
    PrecisionMatrix* matrix_ = nullptr;
    // The window deletes its children in the order they were made, which is this object first.
    // The destructor deletes the docks itself, so that no view outlives the document it shows.
    QPointer<QDockWidget> builderDock_;
    QPointer<QDockWidget> precisionDock_;
    QAction* undoAction_ = nullptr;
    QAction* redoAction_ = nullptr;

    // The run the editors follow and its experiment as last seen, to tell edits made here from
    // an experiment replaced elsewhere (a preset, a file, another run made current).
    const RunController* trackedRun_ = nullptr;
    Experiment knownRunExperiment_;
    bool dialogsEnabled_ = true;
    bool keepsLastExperiment_ = false;
    QString lastFileError_;
};

} // namespace fxlab::gui
