#include "backend/vulkan/vulkan_debug_messenger.h"

#include "backend/vulkan/vulkan_error.h"
#include "backend/vulkan/vulkan_log.h"

#include <QString>

#include <utility>

namespace fxlab {

namespace {

// "validation error", "performance warning", or for the loader's and the layers' general
// messages just "error" or "warning".
QString describeKind(bool error, VkDebugUtilsMessageTypeFlagsEXT types)
{
    const QString severity = error ? "error" : "warning";
    if ((types & VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT) != 0)
        return "validation " + severity;
    if ((types & VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT) != 0)
        return "performance " + severity;
    return severity;
}

} // namespace

void ValidationMessageLog::add(VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT types,
                               const char* message)
{
    const std::lock_guard lock(mutex_);
    const bool error = (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) != 0;
    if (error)
        ++received_.errors;
    else
        ++received_.warnings;

    if (received_.messages.size() < kMaxKeptMessages) {
        received_.messages.emplace_back(message != nullptr ? message : "(no message text)");
        qCWarning(lcVulkan).noquote() << "Vulkan" << describeKind(error, types) + ":"
                                      << QString::fromStdString(received_.messages.back());
        if (received_.messages.size() == kMaxKeptMessages)
            qCWarning(lcVulkan) << "further Vulkan validation messages are counted but not logged";
    }
}

ValidationMessageLog::Snapshot ValidationMessageLog::snapshot() const
{
    const std::lock_guard lock(mutex_);
    return received_;
}

void ValidationMessageLog::clear()
{
    const std::lock_guard lock(mutex_);
    received_ = {};
}

VkDebugUtilsMessengerCreateInfoEXT ValidationMessageLog::messengerCreateInfo()
{
    VkDebugUtilsMessengerCreateInfoEXT info{};
    info.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT;
    info.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
        | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    info.pfnUserCallback = &ValidationMessageLog::receive;
    info.pUserData = this;
    return info;
}

VKAPI_ATTR VkBool32 VKAPI_CALL ValidationMessageLog::receive(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                             VkDebugUtilsMessageTypeFlagsEXT types,
                                                             const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                             void* log)
{
    static_cast<ValidationMessageLog*>(log)->add(severity, types, data != nullptr ? data->pMessage : nullptr);
    // VK_FALSE lets the call that triggered the message go on, as the specification requires.
    return VK_FALSE;
}

DebugMessenger::DebugMessenger(VkInstance instance, ValidationMessageLog& log)
{
    const auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance, "vkCreateDebugUtilsMessengerEXT"));
    const auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance, "vkDestroyDebugUtilsMessengerEXT"));
    if (create == nullptr || destroy == nullptr)
        throw VulkanError("vkGetInstanceProcAddr(vkCreateDebugUtilsMessengerEXT)", VK_ERROR_EXTENSION_NOT_PRESENT);

    const VkDebugUtilsMessengerCreateInfoEXT info = log.messengerCreateInfo();
    checkVulkan(create(instance, &info, nullptr, &messenger_), "vkCreateDebugUtilsMessengerEXT");
    instance_ = instance;
    destroy_ = destroy;
}

DebugMessenger::DebugMessenger(DebugMessenger&& other) noexcept
    : instance_(other.instance_),
      messenger_(std::exchange(other.messenger_, VK_NULL_HANDLE)),
      destroy_(other.destroy_)
{
}

DebugMessenger& DebugMessenger::operator=(DebugMessenger&& other) noexcept
{
    if (this != &other) {
        reset();
        instance_ = other.instance_;
        messenger_ = std::exchange(other.messenger_, VK_NULL_HANDLE);
        destroy_ = other.destroy_;
    }
    return *this;
}

DebugMessenger::~DebugMessenger()
{
    reset();
}

void DebugMessenger::reset() noexcept
{
    if (messenger_ != VK_NULL_HANDLE)
        destroy_(instance_, messenger_, nullptr);
    messenger_ = VK_NULL_HANDLE;
}

} // namespace fxlab
