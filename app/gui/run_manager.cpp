#include "run_manager.h"

#include <algorithm>

namespace fxlab::gui {

RunManager::RunManager(QObject* parent) : QObject(parent) {}

RunManager::~RunManager()
{
    shutDownAll();
}

RunController* RunManager::addRun(const QString& name, const Experiment& experiment, const BackendChoice& backend)
{
    auto run = std::make_unique<RunController>(name);
    RunController* added = run.get();
    connect(added, &RunController::snapshotReady, this, [this, added](const SnapshotPointer& snapshot) {
        const auto found = std::find_if(runs_.begin(), runs_.end(), [&](const auto& run) { return run.get() == added; });
        if (found == runs_.end())
            return;
        const int index = int(found - runs_.begin());
        emit runSnapshotChanged(index, snapshot);
        if (index == current_)
            emit currentSnapshotChanged(snapshot);
    });
    runs_.push_back(std::move(run));
    added->loadExperiment(experiment, backend);
    current_ = int(runs_.size()) - 1;
    emit runsChanged();
    return added;
}

void RunManager::removeRun(int index)
{
    if (index < 0 || index >= runCount() || runCount() == 1)
        return;
    runs_[size_t(index)]->shutDown();
    runs_.erase(runs_.begin() + index);
    if (current_ >= runCount())
        current_ = runCount() - 1;
    else if (current_ > index)
        --current_;
    emit runsChanged();
    if (const SnapshotPointer snapshot = currentSnapshot())
        emit currentSnapshotChanged(snapshot);
}

void RunManager::renameRun(int index, const QString& name)
{
    if (index < 0 || index >= runCount() || name.isEmpty() || run(index)->name() == name)
        return;
    run(index)->setName(name);
    emit runsChanged();
}

SnapshotPointer RunManager::currentSnapshot() const
{
    const RunController* run = currentRun();
    return run ? run->latestSnapshot() : nullptr;
}

void RunManager::setCurrent(int index)
{
    if (index < 0 || index >= runCount() || index == current_)
        return;
    current_ = index;
    emit runsChanged();
    if (const SnapshotPointer snapshot = currentSnapshot())
        emit currentSnapshotChanged(snapshot);
}

void RunManager::shutDownAll()
{
    for (const auto& run : runs_)
        run->shutDown();
}

} // namespace fxlab::gui
