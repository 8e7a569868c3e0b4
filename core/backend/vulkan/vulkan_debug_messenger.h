// The VK_EXT_debug_utils messenger of a context with validation: it counts the warning and error
// messages of the validation layers and the loader and keeps their text, so that a test can fail
// on any message.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace fxlab {

// The warning and error messages a messenger received. Drivers may call the messenger from any
// thread, so every member function locks.
class ValidationMessageLog {
public:
    // At most this many message texts are kept and logged. Later messages are only counted.
    static constexpr size_t kMaxKeptMessages = 100;

    struct Snapshot {
        uint64_t warnings = 0;
        uint64_t errors = 0;
        std::vector<std::string> messages;  // the first kMaxKeptMessages, oldest first

        uint64_t total() const { return warnings + errors; }
    };

    void add(VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT types,
             const char* message);
    Snapshot snapshot() const;
    void clear();

    // Settings that route warnings and errors to this log: for the messenger and for the pNext
    // chain of VkInstanceCreateInfo, which covers instance creation and destruction too.
    VkDebugUtilsMessengerCreateInfoEXT messengerCreateInfo();

private:
    static VKAPI_ATTR VkBool32 VKAPI_CALL receive(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                  VkDebugUtilsMessageTypeFlagsEXT types,
                                                  const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                  void* log);

    mutable std::mutex mutex_;
    Snapshot received_;
};

// Owns a VkDebugUtilsMessengerEXT that sends to a ValidationMessageLog. The log and the instance
// must outlive it.
class DebugMessenger {
public:
    DebugMessenger() = default;
    DebugMessenger(VkInstance instance, ValidationMessageLog& log);
    DebugMessenger(DebugMessenger&& other) noexcept;
    DebugMessenger& operator=(DebugMessenger&& other) noexcept;
    DebugMessenger(const DebugMessenger&) = delete;
    DebugMessenger& operator=(const DebugMessenger&) = delete;
    ~DebugMessenger();

    void reset() noexcept;

private:
    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    // An extension function, so the loader hands it out through vkGetInstanceProcAddr.
    PFN_vkDestroyDebugUtilsMessengerEXT destroy_ = nullptr;
};

} // namespace fxlab
