// fxlab-cli devices: the Vulkan devices of this machine, whether fxlab can use them, and the
// backend that --backend auto chooses.
#include "arguments.h"
#include "commands.h"

#include "backend/backend_factory.h"
#include "backend/vulkan/vulkan_devices.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <iostream>

namespace fxlab::cli {

namespace {

const char* kDevicesHelp = R"(usage: fxlab-cli devices [--json]

Lists the Vulkan devices with their index (for --device), type, driver, device-local memory and
whether fxlab can run on them, then the backend that --backend auto chooses.
  --json                 print the list as JSON
)";

QJsonObject toJson(const VulkanDeviceInfo& device)
{
    QJsonObject object{
        {"index", int(device.index)},
        {"name", QString::fromStdString(device.name)},
        {"type", QString::fromUtf8(toString(device.type).data())},
        {"driver", QString::fromStdString(device.driverName)},
        {"driver_info", QString::fromStdString(device.driverInfo)},
        {"driver_version", QString::fromStdString(device.driverVersion)},
        {"vulkan_version", QString::fromStdString(device.apiVersion)},
        {"device_local_memory_bytes", double(device.deviceLocalMemoryBytes)},
        {"usable", device.unsupportedReason.empty()},
    };
    if (!device.unsupportedReason.empty())
        object["unusable_reason"] = QString::fromStdString(device.unsupportedReason);
    return object;
}

} // namespace

int runDevices(const std::vector<std::string>& argumentList)
{
    const Arguments arguments("devices", argumentList, {}, {"json", "help"});
    if (arguments.has("help")) {
        std::cout << kDevicesHelp;
        return 0;
    }
    if (!arguments.positional().empty())
        throw UsageError("unexpected argument \"" + arguments.positional().front()
                         + "\"; see 'fxlab-cli devices --help'");

    // A machine without a Vulkan driver has no devices, which is a result, not a failure.
    std::vector<VulkanDeviceInfo> devices;
    std::string unavailable;
    try {
        devices = listVulkanDevices();
    } catch (const VulkanUnavailableError& error) {
        unavailable = error.what();
    }
    const std::string automatic = describeAutomaticChoice();

    if (arguments.has("json")) {
        QJsonArray list;
        for (const VulkanDeviceInfo& device : devices)
            list.append(toJson(device));
        QJsonObject object{{"devices", list}, {"auto", QString::fromStdString(automatic)}};
        if (!unavailable.empty())
            object["vulkan_unavailable"] = QString::fromStdString(unavailable);
        std::cout << QJsonDocument(object).toJson(QJsonDocument::Indented).toStdString();
        return 0;
    }

    if (!unavailable.empty())
        std::cout << "No Vulkan devices: " << unavailable << "\n";
    for (const VulkanDeviceInfo& device : devices) {
        std::cout << describe(device);
        if (device.unsupportedReason.empty())
            std::cout << ", usable\n";
        else
            std::cout << ", unusable: " << device.unsupportedReason << "\n";
    }
    std::cout << "--backend auto: " << automatic << "\n";
    return 0;
}

} // namespace fxlab::cli
