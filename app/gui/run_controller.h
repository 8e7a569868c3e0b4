// One run of the window: a TrainingWorker on its own thread, the commands sent to it and the
// latest snapshot it published. Several runs can train side by side.
#pragma once

#include "backend/backend_factory.h"
#include "train/training_worker.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>

namespace fxlab::gui {

class RunController : public QObject {
    Q_OBJECT

public:
    explicit RunController(QString name, QObject* parent = nullptr);
    ~RunController() override;

    const QString& name() const { return name_; }
    void setName(const QString& name) { name_ = name; }
    const Experiment& experiment() const { return experiment_; }
    const BackendChoice& backend() const { return backend_; }
    SnapshotPointer latestSnapshot() const { return latest_; }
    // The data given with setTrainingData, or null when the run reads the experiment's folder.
    std::shared_ptr<const DatasetPair> trainingData() const { return trainingData_; }
    uint32_t stopAfter() const { return stopAfter_; }

    // The test evaluations between epoch ends that loadExperiment() adds to an experiment that
    // sets none: every 100 steps, on the first 1,000 test samples.
    static constexpr int kWindowEvaluateEvery = 100;
    static constexpr int kWindowEvaluationSamples = 1000;

    // Replaces the run with a new, idle one of `experiment`.
    void loadExperiment(const Experiment& experiment, const BackendChoice& backend);
    // Trains on `data` instead of the experiment's data folder (tests, demos). Discards progress.
    void setTrainingData(std::shared_ptr<const DatasetPair> data);
    void setStopAfter(uint32_t steps);
    void start();
    void pause();
    void stepOnce();
    void reset();
    void setPrecision(const PrecisionPlan& plan);
    void setFloatTwin(bool enabled);
    // Moves the run to `backend`, continuing from its current parameters, for instance on the
    // CPU after the Vulkan device was lost. A run that has not started uses it when it starts.
    void switchBackend(const BackendChoice& backend);

    // Pauses the worker, stops its thread and waits for it; nothing is sent afterwards.
    void shutDown();

signals:
    void snapshotReady(fxlab::SnapshotPointer snapshot);

private:
    void send(std::function<void(TrainingWorker&)> command);

    QString name_;
    QThread thread_;
    TrainingWorker* worker_ = nullptr;  // lives on thread_, deleted when the thread finishes
    Experiment experiment_;
    BackendChoice backend_;
    SnapshotPointer latest_;
    std::shared_ptr<const DatasetPair> trainingData_;
    uint32_t stopAfter_ = 0;
};

} // namespace fxlab::gui
