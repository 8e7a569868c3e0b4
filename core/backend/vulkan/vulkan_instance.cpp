#include "backend/vulkan/vulkan_instance.h"

#include "backend/vulkan/vulkan_debug_messenger.h"
#include "backend/vulkan/vulkan_devices.h"
#include "backend/vulkan/vulkan_error.h"

#include <cstring>
#include <string>

namespace fxlab {

namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool hasInstanceLayer(const char* name)
{
    uint32_t count = 0;
    checkVulkan(vkEnumerateInstanceLayerProperties(&count, nullptr), "vkEnumerateInstanceLayerProperties");
    std::vector<VkLayerProperties> layers(count);
    checkVulkan(vkEnumerateInstanceLayerProperties(&count, layers.data()), "vkEnumerateInstanceLayerProperties");
    for (const VkLayerProperties& layer : layers)
        if (std::strcmp(layer.layerName, name) == 0)
            return true;
    return false;
}

// Whether the loader and its drivers (`layer` null) or the layer `layer` offer an instance extension.
bool hasInstanceExtension(const char* layer, const char* name)
{
    uint32_t count = 0;
    checkVulkan(vkEnumerateInstanceExtensionProperties(layer, &count, nullptr), "vkEnumerateInstanceExtensionProperties");
    std::vector<VkExtensionProperties> extensions(count);
    checkVulkan(vkEnumerateInstanceExtensionProperties(layer, &count, extensions.data()),
                "vkEnumerateInstanceExtensionProperties");
    for (const VkExtensionProperties& extension : extensions)
        if (std::strcmp(extension.extensionName, name) == 0)
            return true;
    return false;
}

std::string versionText(uint32_t version)
{
    return std::to_string(VK_API_VERSION_MAJOR(version)) + "." + std::to_string(VK_API_VERSION_MINOR(version));
}

} // namespace

std::string noDriverMessage(const std::string& reason)
{
    return "no Vulkan driver found: " + reason
        + ". Install a Vulkan 1.2 driver (on Debian, mesa-vulkan-drivers includes lavapipe, which runs on "
          "the CPU) or use the CPU backend";
}

Instance createInstance(ValidationMessageLog* messageLog)
{
    uint32_t loaderVersion = VK_API_VERSION_1_0;
    checkVulkan(vkEnumerateInstanceVersion(&loaderVersion), "vkEnumerateInstanceVersion");
    if (loaderVersion < VK_API_VERSION_1_2)
        throw VulkanUnavailableError(noDriverMessage("the Vulkan loader supports only Vulkan "
                                                     + versionText(loaderVersion) + ", and fxlab needs 1.2"));

    VkApplicationInfo application{};
    application.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
    application.pApplicationName = "fxlab";
    application.pEngineName = "fxlab";
    application.apiVersion = VK_API_VERSION_1_2;

    std::vector<const char*> layers;
    std::vector<const char*> extensions;
    const void* next = nullptr;
    VkDebugUtilsMessengerCreateInfoEXT messengerInfo{};
    // Synchronization validation finds missing barriers, which the default checks do not.
    const VkValidationFeatureEnableEXT enabledChecks[] = {VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
    VkValidationFeaturesEXT validationFeatures{};

    if (messageLog != nullptr) {
        if (!hasInstanceLayer(kValidationLayer))
            throw Error("Vulkan validation was requested, but the layer VK_LAYER_KHRONOS_validation is not "
                        "installed: install it (Debian package vulkan-validationlayers) or turn validation off "
                        "(unset FXLAB_VULKAN_VALIDATION)");
        layers.push_back(kValidationLayer);
        if (!hasInstanceExtension(nullptr, VK_EXT_DEBUG_UTILS_EXTENSION_NAME)
            && !hasInstanceExtension(kValidationLayer, VK_EXT_DEBUG_UTILS_EXTENSION_NAME))
            throw Error("Vulkan validation was requested, but the instance extension VK_EXT_debug_utils that "
                        "reports its messages is missing: update the Vulkan loader or turn validation off");
        extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);

        // Chained to the instance, the messenger also reports on instance creation and destruction.
        messengerInfo = messageLog->messengerCreateInfo();
        next = &messengerInfo;
        if (hasInstanceExtension(kValidationLayer, VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME)) {
            extensions.push_back(VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
            validationFeatures.sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT;
            validationFeatures.pNext = &messengerInfo;
            validationFeatures.enabledValidationFeatureCount = uint32_t(std::size(enabledChecks));
            validationFeatures.pEnabledValidationFeatures = enabledChecks;
            next = &validationFeatures;
        }
    }

    VkInstanceCreateInfo info{};
    info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
    info.pNext = next;
    info.pApplicationInfo = &application;
    info.enabledLayerCount = uint32_t(layers.size());
    info.ppEnabledLayerNames = layers.data();
    info.enabledExtensionCount = uint32_t(extensions.size());
    info.ppEnabledExtensionNames = extensions.data();

    VkInstance instance = VK_NULL_HANDLE;
    const VkResult result = vkCreateInstance(&info, nullptr, &instance);
    if (result == VK_ERROR_INCOMPATIBLE_DRIVER)
        throw VulkanUnavailableError(noDriverMessage("vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER, "
                                                     "so no installed driver supports Vulkan 1.2"));
    checkVulkan(result, "vkCreateInstance");
    return Instance(instance);
}

std::vector<VkPhysicalDevice> enumeratePhysicalDevices(VkInstance instance)
{
    uint32_t count = 0;
    checkVulkan(vkEnumeratePhysicalDevices(instance, &count, nullptr), "vkEnumeratePhysicalDevices");
    std::vector<VkPhysicalDevice> devices(count);
    checkVulkan(vkEnumeratePhysicalDevices(instance, &count, devices.data()), "vkEnumeratePhysicalDevices");
    devices.resize(count);
    if (devices.empty())
        throw VulkanUnavailableError(noDriverMessage("the Vulkan loader reports no physical device"));
    return devices;
}

} // namespace fxlab
