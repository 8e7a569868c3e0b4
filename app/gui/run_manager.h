// The runs of the window. One of them is current: the toolbar commands act on it and the views
// draw its snapshots. Views that compare runs read the others' latest snapshots.
#pragma once

#include "run_controller.h"

#include <QObject>

#include <memory>
#include <vector>

namespace fxlab::gui {

class RunManager : public QObject {
    Q_OBJECT

public:
    explicit RunManager(QObject* parent = nullptr);
    ~RunManager() override;

    // Adds an idle run of `experiment` and makes it current.
    RunController* addRun(const QString& name, const Experiment& experiment, const BackendChoice& backend);
    void removeRun(int index);
    void renameRun(int index, const QString& name);
    int runCount() const { return int(runs_.size()); }
    RunController* run(int index) const { return runs_.at(size_t(index)).get(); }
    int currentIndex() const { return current_; }
    RunController* currentRun() const { return current_ < 0 ? nullptr : runs_[size_t(current_)].get(); }
    SnapshotPointer currentSnapshot() const;
    void setCurrent(int index);
    // Stops every run's thread; used when the window closes.
    void shutDownAll();

signals:
    // The current run published a snapshot, or another run became current.
    void currentSnapshotChanged(fxlab::SnapshotPointer snapshot);
    // Any run published a snapshot; `index` is its position in the list.
    void runSnapshotChanged(int index, fxlab::SnapshotPointer snapshot);
    // Runs were added or removed, renamed, or the current one changed.
    void runsChanged();

private:
    std::vector<std::unique_ptr<RunController>> runs_;
    int current_ = -1;
};

} // namespace fxlab::gui
