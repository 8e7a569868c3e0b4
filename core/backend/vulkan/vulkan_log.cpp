#include "backend/vulkan/vulkan_log.h"

namespace fxlab {

Q_LOGGING_CATEGORY(lcVulkan, "fxlab.vulkan", QtInfoMsg)

} // namespace fxlab
