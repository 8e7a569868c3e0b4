// The logging category of the Vulkan backend, "fxlab.vulkan". The backend logs the device and its
// capabilities once when a context is created, and validation messages, but nothing per call.
#pragma once

#include <QLoggingCategory>

namespace fxlab {

Q_DECLARE_LOGGING_CATEGORY(lcVulkan)

} // namespace fxlab
