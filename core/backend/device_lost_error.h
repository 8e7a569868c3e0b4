// The error of a backend whose device stopped working in the middle of a run. The run itself is
// not lost: the backend's state() still returns the parameters of the last step that completed,
// so the caller can pause and continue on another backend.
#pragma once

#include "error.h"

#include <cstdint>

namespace fxlab {

class DeviceLostError : public Error {
public:
    // `step` is the 0-based index of the training step that was running, as StepControl::step.
    DeviceLostError(const std::string& message, uint32_t step) : Error(message), step_(step) {}

    uint32_t step() const { return step_; }

private:
    uint32_t step_;
};

} // namespace fxlab
