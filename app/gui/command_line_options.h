// The command line of the fxlab window and the experiment it selects.
#pragma once

#include "backend/backend_factory.h"
#include "model/experiment.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace fxlab::gui {

struct GuiOptions {
    QString preset;            // empty: kDefaultPreset, unless an experiment file is given
    QString experimentFile;
    QString backend = "auto";
    QString dataDirectory;     // empty: the experiment's own folder
    bool autostart = false;
    uint32_t steps = 0;        // 0: no stop; otherwise pause after this many steps
    QString screenshotFile;
    QString view;              // empty: the whole window; otherwise a name from knownViewNames()
    QStringList comparedPresets;  // presets trained as further runs beside the first
    bool presentation = false;
    bool quit = false;
};

// The outcome of parsing: options to run with, or text to print and an exit status.
struct ParsedCommandLine {
    std::optional<GuiOptions> options;
    QString output;     // help or version text for stdout, or an error message for stderr
    int exitStatus = 0; // 0 after --help and --version, 2 for wrong usage
};

// Parses `arguments` (the program name first). Unknown options, positional arguments, a missing
// or non-positive --steps and an unknown preset or backend are usage errors.
ParsedCommandLine parseCommandLine(const QStringList& arguments);

// The experiment the options select. Throws fxlab::Error when the experiment file cannot be read.
Experiment experimentFromOptions(const GuiOptions& options);
BackendChoice backendFromOptions(const GuiOptions& options);

} // namespace fxlab::gui
