// The window's backend selector: its entries on this machine and without a Vulkan driver, and
// the choices it shows and reports.
#include "backend_selector.h"

#include "backend/vulkan/vulkan_devices.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>

using namespace fxlab;
using namespace fxlab::gui;

Q_DECLARE_METATYPE(fxlab::BackendChoice)

namespace {

// Sets an environment variable for the lifetime of the object, then restores it.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const QByteArray& value)
        : name_(name), wasSet_(qEnvironmentVariableIsSet(name)), previous_(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnvironment()
    {
        if (wasSet_)
            qputenv(name_, previous_);
        else
            qunsetenv(name_);
    }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    const char* name_;
    bool wasSet_;
    QByteArray previous_;
};

} // namespace

class BackendSelectorTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<BackendChoice>(); }
    void listsEveryDevice();
    void showsChoiceSilently();
    void reportsUserChoice();
    void offersCpuWithoutDriver();
};

void BackendSelectorTest::listsEveryDevice()
{
    const std::vector<VulkanDeviceInfo> devices = listVulkanDevices();
    BackendSelector selector;
    QCOMPARE(selector.count(), 2 + int(devices.size()));
    QCOMPARE(selector.itemText(0), QString("Automatic"));
    QCOMPARE(selector.itemText(1), QString("CPU"));
    QVERIFY2(selector.itemData(0, Qt::ToolTipRole).toString().contains("backend"),
             qPrintable(selector.itemData(0, Qt::ToolTipRole).toString()));
    for (size_t i = 0; i < devices.size(); ++i) {
        const QString text = selector.itemText(2 + int(i));
        QVERIFY2(text.startsWith("Vulkan: ") && text.contains(QString::fromStdString(devices[i].name)), qPrintable(text));
    }
}

void BackendSelectorTest::showsChoiceSilently()
{
    BackendSelector selector;
    QSignalSpy chosen(&selector, &BackendSelector::backendChosen);
    BackendChoice vulkan;
    vulkan.name = "vulkan";
    vulkan.device = 0;
    selector.setChoice(vulkan);
    QVERIFY2(selector.currentText().startsWith("Vulkan: "), qPrintable(selector.currentText()));
    QCOMPARE(selector.choice().name, std::string("vulkan"));
    QCOMPARE(selector.choice().device, 0);

    // "vulkan" without a device shows the first Vulkan device; an unknown device shows automatic.
    vulkan.device = -1;
    selector.setChoice(vulkan);
    QVERIFY(selector.currentText().startsWith("Vulkan: "));
    vulkan.device = 99;
    selector.setChoice(vulkan);
    QCOMPARE(selector.choice().name, std::string("auto"));
    BackendChoice cpu;
    cpu.name = "cpu";
    selector.setChoice(cpu);
    QCOMPARE(selector.currentText(), QString("CPU"));
    QCOMPARE(chosen.count(), 0);
}

void BackendSelectorTest::reportsUserChoice()
{
    BackendSelector selector;
    QSignalSpy chosen(&selector, &BackendSelector::backendChosen);
    selector.setCurrentIndex(1);
    emit selector.activated(1);
    QCOMPARE(chosen.count(), 1);
    const BackendChoice choice = chosen.front().front().value<BackendChoice>();
    QCOMPARE(choice.name, std::string("cpu"));
    QCOMPARE(choice.device, -1);
}

void BackendSelectorTest::offersCpuWithoutDriver()
{
    const QByteArray missingDriver = "/nonexistent/fxlab-test-no-driver.json";
    const ScopedEnvironment driverFiles("VK_DRIVER_FILES", missingDriver);
    const ScopedEnvironment icdFiles("VK_ICD_FILENAMES", missingDriver);
    BackendSelector selector;
    QCOMPARE(selector.count(), 2);
    QVERIFY2(selector.toolTip().contains("Vulkan is not available"), qPrintable(selector.toolTip()));
    QVERIFY2(selector.itemData(0, Qt::ToolTipRole).toString().contains("CPU backend"),
             qPrintable(selector.itemData(0, Qt::ToolTipRole).toString()));
}

QTEST_MAIN(BackendSelectorTest)
#include "test_backend_selector.moc"
