// fxlab-cli train: a whole training run without a window, leaving metrics.csv and summary.json.
#include "arguments.h"
#include "commands.h"

#include "backend/backend_factory.h"
#include "backend/device_lost_error.h"
#include "data/dataset.h"
#include "model/presets.h"
#include "train/run_files.h"
#include "train/trainer.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QLoggingCategory>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace fxlab::cli {

namespace {

const char* kTrainHelp = R"(usage: fxlab-cli train [options]

Trains a network and writes OUT/metrics.csv, OUT/summary.json and OUT/experiment.json.
  --preset NAME          precision preset (default fixed8; see 'fxlab-cli presets')
  --experiment FILE      an experiment JSON file instead of a preset
  --steps N              train for N steps
  --epochs E             train for E passes over the training set (default 1)
  --batch B              samples per step (default 64)
  --learning-rate R      SGD learning rate (default 0.05)
  --seed S               seed of initialization, shuffling and stochastic rounding (default 1)
  --data DIR             data folder: MNIST or Fashion-MNIST IDX files, or CIFAR-10 binaries
                         (default /usr/share/datasets/fashion-mnist)
  --backend NAME         auto, cpu or vulkan (default auto)
  --device N             Vulkan device index from 'fxlab-cli devices'
  --threads N            CPU threads (default: all); results do not depend on it
  --log-every N          steps per metrics row (default 10)
  --evaluate-every N     also evaluate every N steps (the end of each epoch and of the run always are)
  --evaluation-samples N test samples those extra evaluations use (default: all)
  --fixed-master-weights keep weights as fixed-point codes updated with stochastic rounding
  --out DIR              where the files go (default fxlab-runs/NAME-seedS)
  --quiet                no progress lines
)";

Experiment experimentFrom(const Arguments& arguments)
{
    Experiment experiment;
    if (const auto file = arguments.value("experiment")) {
        if (arguments.has("preset"))
            throw UsageError("give either --preset or --experiment, not both");
        experiment = loadExperiment(QString::fromStdString(*file));
    } else {
        const std::string name = arguments.value("preset").value_or(kDefaultPreset);
        const auto preset = presetExperiment(name);
        if (!preset)
            throw UsageError("unknown preset \"" + name + "\": use one of " + presetNames());
        experiment = *preset;
    }

    TrainingSettings& training = experiment.training;
    if (arguments.has("steps") && arguments.has("epochs"))
        throw UsageError("give either --steps or --epochs, not both");
    if (arguments.has("steps")) {
        training.steps = int(arguments.integer("steps", 0, 1, 1'000'000'000));
    } else if (arguments.has("epochs")) {
        training.epochs = int(arguments.integer("epochs", 1, 1, 100000));
        training.steps = 0;
    }
    training.batchSize = int(arguments.integer("batch", training.batchSize, 1, 65536));
    training.logEvery = int(arguments.integer("log-every", training.logEvery, 1, 1'000'000'000));
    training.evaluateEvery = int(arguments.integer("evaluate-every", training.evaluateEvery, 0, 1'000'000'000));
    training.evaluationSamples =
        int(arguments.integer("evaluation-samples", training.evaluationSamples, 0, 1'000'000'000));
    const double rate = arguments.number("learning-rate", training.learningRate);
    if (!(rate > 0 && rate <= 1000))
        throw UsageError("--learning-rate " + arguments.value("learning-rate").value_or("")
                         + " is out of range: use a value above 0 and at most 1000");
    training.learningRate = float(rate);
    if (arguments.has("fixed-master-weights"))
        training.fixedPointMasterWeights = true;
    experiment.seed = uint64_t(arguments.integer("seed", (long long)(experiment.seed), 0, 9'007'199'254'740'991LL));
    if (const auto directory = arguments.value("data"))
        experiment.data.directory = *directory;
    return experiment;
}

void printProgress(const MetricsRow& row, const Trainer& trainer)
{
    uint64_t saturated = row.inputEvents.saturated, underflowed = row.inputEvents.underflowed;
    for (const LayerEvents& layer : row.events)
        for (const QuantEvents& events : layer) {
            saturated += events.saturated;
            underflowed += events.underflowed;
        }
    std::fprintf(stderr, "step %u/%u  epoch %.2f  loss %.4f  train %.1f%%", row.step, trainer.totalSteps(), row.epoch,
                 row.trainLoss, 100 * row.trainAccuracy);
    if (row.testAccuracy)
        std::fprintf(stderr, "  test %.2f%%", 100 * *row.testAccuracy);
    std::fprintf(stderr, "  saturated %llu  underflow %llu  %.0f samples/s\n", (unsigned long long)saturated,
                 (unsigned long long)underflowed, trainer.samplesPerSecond());
}

QJsonObject summaryOf(const Trainer& trainer, const std::string& status, const std::string& message,
                      double elapsedSeconds)
{
    const Experiment& experiment = trainer.experiment();
    QJsonObject summary{
        {"fxlab_version", FXLAB_VERSION},
        {"status", QString::fromStdString(status)},
        {"preset", QString::fromStdString(experiment.name)},
        {"seed", QString::number(experiment.seed)},
        {"steps", int(trainer.stepsDone())},
        {"epochs", trainer.epoch()},
        {"batch_size", experiment.training.batchSize},
        {"backend", QString::fromStdString(trainer.backend().name())},
        {"device", QString::fromStdString(trainer.backend().deviceName())},
        {"data", QString::fromStdString(experiment.data.directory)},
        {"samples_per_second", trainer.samplesPerSecond()},
        {"elapsed_seconds", elapsedSeconds},
    };
    if (trainer.lastTrainLoss())
        summary["final_train_loss"] = *trainer.lastTrainLoss();
    if (trainer.lastTestAccuracy())
        summary["test_accuracy"] = *trainer.lastTestAccuracy();
    if (!message.empty())
        summary["message"] = QString::fromStdString(message);
    return summary;
}

} // namespace

int runTrain(const std::vector<std::string>& argumentList)
{
    const Arguments arguments("train", argumentList,
                              {"preset", "experiment", "steps", "epochs", "batch", "learning-rate", "seed", "data",
                               "backend", "device", "threads", "log-every", "evaluate-every", "evaluation-samples", "out"},
                              {"fixed-master-weights", "quiet", "help"});
    if (arguments.has("help")) {
        std::cout << kTrainHelp;
        return 0;
    }
    if (!arguments.positional().empty())
        throw UsageError("unexpected argument \"" + arguments.positional().front() + "\"; see 'fxlab-cli train --help'");

    const Experiment experiment = experimentFrom(arguments);
    BackendChoice choice;
    choice.name = arguments.value("backend").value_or("auto");
    choice.device = int(arguments.integer("device", -1, 0, 1024));
    if (choice.device >= 0 && choice.name == "cpu")
        throw UsageError("--device chooses a Vulkan device, so it needs --backend vulkan or auto, not cpu");
    choice.threads = int(arguments.integer("threads", 0, 0, 1024));
    const QString out = QString::fromStdString(arguments.value("out").value_or(
        "fxlab-runs/" + experiment.name + "-seed" + std::to_string(experiment.seed)));
    const bool quiet = arguments.has("quiet");
    // Quiet means warnings and errors only, also from the logging categories.
    if (quiet)
        QLoggingCategory::setFilterRules("fxlab.*.info=false\nfxlab.*.debug=false");

    if (!QDir().mkpath(out)) {
        const QFileInfo existing(out);
        const QString reason = existing.exists() && !existing.isDir() ? "a file of that name is in the way"
                                                                       : "check the parent folder's permissions";
        throw Error((out + ": cannot create the output folder: " + reason).toStdString());
    }
    const auto data = std::make_shared<const DatasetPair>(loadDataDirectory(experiment.data.directory));
    CreatedBackend created = createBackend(choice);
    std::fprintf(stderr, "%s\n", created.explanation.c_str());

    const auto started = std::chrono::steady_clock::now();
    Trainer trainer(experiment, data, std::move(created.backend));
    saveExperiment(trainer.experiment(), out + "/experiment.json");
    MetricsCsvWriter metrics(out + "/metrics.csv", experiment.network);

    std::string status = "completed", message;
    try {
        while (!trainer.finished())
            if (const auto row = trainer.step()) {
                metrics.write(*row);
                if (!quiet)
                    printProgress(*row, trainer);
            }
    } catch (const TrainingError& error) {
        status = "failed";
        message = error.what();
        std::fprintf(stderr, "fxlab-cli: training stopped: %s\n", error.what());
    } catch (const DeviceLostError& error) {
        // The parameters of the last completed step survive in the backend, but this process
        // ends here; the metrics so far are kept.
        status = "device-lost";
        message = std::string(error.what()) + "; the run stopped after step " + std::to_string(trainer.stepsDone())
            + " and " + out.toStdString() + "/metrics.csv has its metrics so far; run again with --backend cpu "
            + "to train on the CPU";
        std::fprintf(stderr, "fxlab-cli: %s\n", message.c_str());
    }
    metrics.finish();

    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    writeJsonFile(out + "/summary.json", summaryOf(trainer, status, message, elapsed));
    std::fprintf(stderr, "results: %s/metrics.csv and %s/summary.json\n", qPrintable(out), qPrintable(out));
    if (trainer.lastTestAccuracy())
        std::fprintf(stderr, "test accuracy %.2f%%, %.0f samples/s on %s\n", 100 * *trainer.lastTestAccuracy(),
                     trainer.samplesPerSecond(), trainer.backend().deviceName().c_str());
    return status == "completed" ? 0 : 1;
}

} // namespace fxlab::cli
