// Creates the backend a user asked for, or the best one available.
#pragma once

#include "backend/backend.h"

#include <memory>
#include <string>

namespace fxlab {

struct BackendChoice {
    // "auto": a discrete or integrated GPU through Vulkan when one is present, otherwise the CPU
    // backend; CPU devices such as lavapipe are slower than the CPU backend and not chosen.
    // "cpu" or "vulkan": that backend, or an error saying why it is not available. "vulkan" runs
    // on a CPU device when there is nothing else.
    std::string name = "auto";
    // Vulkan device index from `fxlab-cli devices`; -1 chooses. With "auto", an index selects
    // the Vulkan backend on that device.
    int device = -1;
    int threads = 0;   // CPU threads; 0 uses every hardware thread
};

// The backend and a sentence for the user saying which one was chosen and why.
struct CreatedBackend {
    std::unique_ptr<Backend> backend;
    std::string explanation;
};

// Throws fxlab::Error for an unknown name or an explicitly requested backend that cannot start,
// naming the cause. "auto" falls back to the CPU backend and gives the reason in the explanation.
CreatedBackend createBackend(const BackendChoice& choice);

std::string backendNames();

// The sentence createBackend() would give for "auto", without starting a backend: which one it
// chooses and why. It reads the Vulkan devices, so it takes as long as listing them.
std::string describeAutomaticChoice();

} // namespace fxlab
