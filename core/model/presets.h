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
// The preset's precision plan for `network`: each tensor kind gets the preset's precision in every
// layer that has that kind. Empty for an unknown name.
std::optional<PrecisionPlan> presetPrecision(const std::string& name, const NetworkSpec& network);
std::string presetNames();
constexpr const char* kDefaultPreset = "fixed8";

} // namespace fxlab
