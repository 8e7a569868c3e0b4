// The object that owns a run on a worker thread. The window sends commands through queued calls
// and receives snapshots through a queued signal, at most about 30 per second, so it never waits
// for training.
#pragma once

#include "backend/backend_factory.h"
#include "data/dataset.h"
#include "train/snapshot.h"
#include "train/trainer.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>
#include <optional>

namespace fxlab {

class TrainingWorker : public QObject {
    Q_OBJECT

public:
    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override;

    // Every function below is meant to run on the worker's thread: call them through
    // QMetaObject::invokeMethod(worker, ..., Qt::QueuedConnection).

    // Replaces the run with a new one of `experiment`, idle until started. Data sets already loaded
    // from the same folder are reused.
    void setExperiment(const Experiment& experiment, const BackendChoice& backend);
    // Uses `data` instead of reading the experiment's folder (tests, demos).
    void setData(std::shared_ptr<const DatasetPair> data);
    void start();
    void pause();
    void stepOnce();
    // Back to step 0 with freshly initialized parameters, idle.
    void reset();
    // Changes precision while paused or idle; training continues from the current parameters.
    void setPrecision(const PrecisionPlan& plan);
    // Pauses by itself once this many steps are done (0: run to the end).
    void setStopAfter(uint32_t steps);
    // Continues the run on another backend from the current parameters, for instance on the CPU
    // after the Vulkan device was lost. Without a run, the next run uses it.
    void switchBackend(const BackendChoice& backend);
    // Trains the same network and seed in float beside the run, for comparison. Turned on in the
    // middle of a run, the twin catches up by taking two steps for each step of the run.
    void setFloatTwin(bool enabled);
    // Emits a snapshot now.
    void publish();

    // How many test images the snapshots carry for the sample view.
    static constexpr int kSampleImages = 32;

signals:
    void snapshotReady(fxlab::SnapshotPointer snapshot);

private:
    void tick();
    bool ensureTrainer();
    // Runs one step of the run and, when enabled, of the float twin; records what the window needs.
    void stepBoth();
    void recordAfterStep(bool rowLogged);
    void stepTwin();
    void fail(const std::string& message);
    // Pauses the run, which keeps its parameters, after its backend lost its device.
    void pauseAfterDeviceLoss(const DeviceLostError& error);
    // Whether the statistics shared by snapshots will be too old `milliseconds` from now.
    bool statisticsDueIn(qint64 milliseconds) const;
    void publishIfDue();

    Experiment experiment_;
    BackendChoice backendChoice_;
    std::shared_ptr<const DatasetPair> data_;
    std::string dataDirectory_;
    std::unique_ptr<Trainer> trainer_;
    RunState state_ = RunState::Idle;
    std::string message_;
    bool deviceLost_ = false;
    uint32_t stopAfter_ = 0;
    std::vector<uint32_t> precisionChanges_;
    std::unique_ptr<Trainer> twin_;
    bool floatTwin_ = false;
    Timeline timeline_;
    std::shared_ptr<const EvaluationDetails> evaluation_;
    std::shared_ptr<const std::vector<SampleImage>> sampleImages_;
    bool tickScheduled_ = false;
    QElapsedTimer sincePublished_;
    qint64 lastStepMilliseconds_ = 0;  // of the latest step, to foresee a tick's last one
    // The statistics that running snapshots share until they are kStatisticsMilliseconds old.
    std::shared_ptr<const Statistics> latestStatistics_;
    QElapsedTimer sinceStatistics_;
};

} // namespace fxlab

Q_DECLARE_METATYPE(fxlab::SnapshotPointer)
