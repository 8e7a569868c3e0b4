// The last experiment of the window's current run, kept in QSettings so that the next start
// without --preset or --experiment continues with it.
#pragma once

#include "command_line_options.h"
#include "model/experiment.h"

#include <QString>

#include <optional>

namespace fxlab::gui {

namespace settings_key {
inline const QString kLastExperiment = "experiment/last";
} // namespace settings_key

// Stores `experiment` as experiment-file JSON under settings_key::kLastExperiment.
void saveLastExperiment(const Experiment& experiment);
// The stored experiment, or empty when none is stored or the stored one cannot be read; the
// reason for an unreadable one is logged.
std::optional<Experiment> restoreLastExperiment();
// The stored experiment when `options` name neither a preset nor an experiment file and one is
// stored, with --data applied; otherwise experimentFromOptions(options). Throws like it.
Experiment experimentForStart(const GuiOptions& options);

} // namespace fxlab::gui
