#include "backend_selector.h"

#include "backend/vulkan/vulkan_devices.h"

#include <QStandardItemModel>

namespace fxlab::gui {

namespace {

// Item data: the backend name, and the Vulkan device index (-1 for none).
constexpr int kDeviceRole = Qt::UserRole + 1;

} // namespace

BackendSelector::BackendSelector(QWidget* parent) : QComboBox(parent)
{
    setObjectName("backendChoice");
    setSizeAdjustPolicy(QComboBox::AdjustToContents);

    addItem("Automatic", QString("auto"));
    setItemData(0, -1, kDeviceRole);
    setItemData(0, QString::fromStdString(describeAutomaticChoice()), Qt::ToolTipRole);
    addItem("CPU", QString("cpu"));
    setItemData(1, -1, kDeviceRole);
    setItemData(1, "The CPU reference backend, on every hardware thread", Qt::ToolTipRole);

    std::vector<VulkanDeviceInfo> devices;
    QString unavailable;
    try {
        devices = listVulkanDevices();
    } catch (const VulkanUnavailableError& error) {
        unavailable = QString::fromUtf8(error.what());
    }
    auto* items = qobject_cast<QStandardItemModel*>(model());
    for (const VulkanDeviceInfo& device : devices) {
        const int row = count();
        addItem(QString("Vulkan: %1 (%2)").arg(QString::fromStdString(device.name), toString(device.type).data()),
                QString("vulkan"));
        setItemData(row, int(device.index), kDeviceRole);
        QString tooltip = QString::fromStdString(describe(device));
        if (!device.unsupportedReason.empty()) {
            tooltip += "\nUnusable: " + QString::fromStdString(device.unsupportedReason);
            if (items)
                items->item(row)->setEnabled(false);
        }
        setItemData(row, tooltip, Qt::ToolTipRole);
    }
    setToolTip(unavailable.isEmpty() ? "Training backend: choosing one moves the current run to it, from its "
                                       "current parameters"
                                     : "Training backend. Vulkan is not available: " + unavailable);

    connect(this, &QComboBox::activated, this, [this] { emit backendChosen(choice()); });
}

void BackendSelector::setChoice(const BackendChoice& choice)
{
    const QSignalBlocker blocker(this);
    for (int row = 0; row < count(); ++row) {
        const bool sameName = itemData(row).toString() == QString::fromStdString(choice.name);
        const int device = itemData(row, kDeviceRole).toInt();
        // An explicit "vulkan" without a device index shows the first Vulkan entry.
        if (sameName && (device == choice.device || (choice.name == "vulkan" && choice.device < 0))) {
            setCurrentIndex(row);
            return;
        }
    }
    setCurrentIndex(0);
}

BackendChoice BackendSelector::choice() const
{
    BackendChoice choice;
    choice.name = currentData().toString().toStdString();
    choice.device = currentData(kDeviceRole).toInt();
    return choice;
}

} // namespace fxlab::gui
