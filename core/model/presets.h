// Named experiments that users start from.
#pragma once

#include "model/experiment.h"

#include <optional>
#include <string>
#include <vector>

namespace fxlab {

struct Preset {
    std::string name;
    std::string summary;      // one line for lists
    std::string explanation;  // a few sentences for a classroom
};

std::vector<Preset> presets();
// The default network with the preset's precision plan and the default training settings.
std::optional<Experiment> presetExperiment(const std::string& name);
std::string presetNames();
constexpr const char* kDefaultPreset = "fixed8";

} // namespace fxlab
