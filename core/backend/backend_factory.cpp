#include "backend/backend_factory.h"

#include "backend/cpu/cpu_backend.h"
#include "error.h"

namespace fxlab {

std::string backendNames()
{
    return "auto, cpu";
}

CreatedBackend createBackend(const BackendChoice& choice)
{
    if (choice.name == "cpu")
        return {std::make_unique<CpuBackend>(choice.threads), "CPU backend, as requested"};
    if (choice.name == "auto")
        return {std::make_unique<CpuBackend>(choice.threads), "CPU backend: this build has no GPU backend yet"};
    throw Error("unknown backend \"" + choice.name + "\": use one of " + backendNames());
}

} // namespace fxlab
