// The status bar: run state, step, epoch, speed, backend and device, and the worker's latest
// message, in red when the run failed or an edit was rejected.
#pragma once

#include "train/snapshot.h"

#include <QStatusBar>

class QLabel;

namespace fxlab::gui {

class RunStatusBar : public QStatusBar {
    Q_OBJECT

public:
    explicit RunStatusBar(QWidget* parent = nullptr);

    void showSnapshot(const Snapshot& snapshot);
    // Names the current run, which the other fields describe.
    void setRunName(const QString& name);
    QString runText() const;
    // Shows `message` as an error until the worker's message changes.
    void showError(const QString& message);
    QString messageText() const;

private:
    void setMessage(const QString& text, bool isError);

    QLabel* run_;
    QLabel* state_;
    QLabel* step_;
    QLabel* epoch_;
    QLabel* speed_;
    QLabel* device_;
    QLabel* message_;
    QString shownWorkerMessage_;
    RunState shownState_ = RunState::Idle;
};

} // namespace fxlab::gui
