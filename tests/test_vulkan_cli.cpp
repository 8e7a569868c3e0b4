// fxlab-cli with the Vulkan backend. A 200-step fixed8 run writes the same metrics.csv bytes as the
// CPU backend, and a float run agrees within a stated tolerance. The devices command lists the
// devices, and a lost device or a missing driver is explained. CTest runs it with validation on.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

namespace {

struct Result {
    int status = -1;
    QString output;
    QString errors;
};

Result runCli(const QStringList& arguments, const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(FXLAB_CLI_PATH, arguments);
    if (!process.waitForFinished(900000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList trainArguments(const QString& preset, int steps, const QString& backend, const QString& out)
{
    return {"train", "--preset", preset, "--steps", QString::number(steps), "--seed", "5", "--backend", backend,
            "--out", out, "--quiet"};
}

// Rows of metrics.csv, each split into its fields, without the header.
QList<QStringList> metricsRows(const QString& path)
{
    QList<QStringList> rows;
    const QList<QByteArray> lines = readAll(path).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i)
        if (!lines[i].isEmpty())
            rows.append(QString::fromUtf8(lines[i]).split(','));
    return rows;
}

QProcessEnvironment withoutVulkanDriver()
{
    // A driver list that names only a missing file leaves the loader without any driver.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("VK_DRIVER_FILES", "/nonexistent/fxlab-test-no-driver.json");
    environment.insert("VK_ICD_FILENAMES", "/nonexistent/fxlab-test-no-driver.json");
    return environment;
}

} // namespace

class VulkanCliTest : public QObject {
    Q_OBJECT

private slots:
    void fixed8MetricsIdenticalToCpu();
    void floatMetricsWithinTolerance();
    void devicesListed();
    void devicesWithoutDriver();
    void lostDeviceStopsRun();
    void missingDriverExplained();
};

void VulkanCliTest::fixed8MetricsIdenticalToCpu()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString cpuOut = directory.filePath("cpu"), vulkanOut = directory.filePath("vulkan");

    const Result cpu = runCli(trainArguments("fixed8", 200, "cpu", cpuOut));
    QVERIFY2(cpu.status == 0, qPrintable(cpu.errors));
    const Result vulkan = runCli(trainArguments("fixed8", 200, "vulkan", vulkanOut));
    QVERIFY2(vulkan.status == 0, qPrintable(vulkan.errors));
    QVERIFY2(vulkan.errors.contains("Vulkan backend on"), qPrintable(vulkan.errors));
    // Validation and loader messages are logged as warnings of the fxlab.vulkan category.
    const QRegularExpression validationMessage("fxlab\\.vulkan: Vulkan (validation |performance )?(error|warning):");
    QVERIFY2(!vulkan.errors.contains(validationMessage), qPrintable(vulkan.errors));

    const QByteArray cpuMetrics = readAll(cpuOut + "/metrics.csv");
    const QByteArray vulkanMetrics = readAll(vulkanOut + "/metrics.csv");
    QVERIFY(!cpuMetrics.isEmpty());
    QCOMPARE(metricsRows(cpuOut + "/metrics.csv").size(), 20);
    if (cpuMetrics != vulkanMetrics) {
        const QList<QStringList> cpuRows = metricsRows(cpuOut + "/metrics.csv");
        const QList<QStringList> vulkanRows = metricsRows(vulkanOut + "/metrics.csv");
        for (qsizetype i = 0; i < std::min(cpuRows.size(), vulkanRows.size()); ++i)
            QVERIFY2(cpuRows[i] == vulkanRows[i],
                     qPrintable("first different row:\n" + cpuRows[i].join(',') + "\n" + vulkanRows[i].join(',')));
        QFAIL("the metrics files differ in length");
    }
}

void VulkanCliTest::floatMetricsWithinTolerance()
{
    // The float kernels add in the CPU's order with separately rounded operations, so only a
    // device that flushes denormals can differ. Losses must agree to 1e-4 relative, and they are
    // printed with 6 decimals. Train accuracies may differ by two samples of a 10-step row of
    // 64-sample batches, the test accuracy by two of the 10000 test images.
    constexpr double kLossTolerance = 1e-4;
    constexpr double kTrainAccuracyTolerance = 2.0 / 640;
    constexpr double kTestAccuracyTolerance = 2.0 / 10000;
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString cpuOut = directory.filePath("cpu"), vulkanOut = directory.filePath("vulkan");
    const Result cpu = runCli(trainArguments("float", 30, "cpu", cpuOut));
    QVERIFY2(cpu.status == 0, qPrintable(cpu.errors));
    const Result vulkan = runCli(trainArguments("float", 30, "vulkan", vulkanOut));
    QVERIFY2(vulkan.status == 0, qPrintable(vulkan.errors));

    const QList<QStringList> cpuRows = metricsRows(cpuOut + "/metrics.csv");
    const QList<QStringList> vulkanRows = metricsRows(vulkanOut + "/metrics.csv");
    QCOMPARE(vulkanRows.size(), cpuRows.size());
    QCOMPARE(cpuRows.size(), 3);
    for (qsizetype row = 0; row < cpuRows.size(); ++row) {
        // Columns: step, epoch, train_loss, train_accuracy, test_loss, test_accuracy.
        QCOMPARE(vulkanRows[row][0], cpuRows[row][0]);
        const auto near = [&](int column, double tolerance, bool relative) {
            if (cpuRows[row][column].isEmpty())
                return vulkanRows[row][column].isEmpty();
            const double expected = cpuRows[row][column].toDouble(), actual = vulkanRows[row][column].toDouble();
            return std::abs(expected - actual) <= tolerance * (relative ? std::max(1.0, std::abs(expected)) : 1.0);
        };
        const QString rows = "\n" + cpuRows[row].mid(0, 6).join(',') + "\n" + vulkanRows[row].mid(0, 6).join(',');
        QVERIFY2(near(2, kLossTolerance, true), qPrintable("train loss" + rows));
        QVERIFY2(near(3, kTrainAccuracyTolerance, false), qPrintable("train accuracy" + rows));
        QVERIFY2(near(4, kLossTolerance, true), qPrintable("test loss" + rows));
        QVERIFY2(near(5, kTestAccuracyTolerance, false), qPrintable("test accuracy" + rows));
    }
}

void VulkanCliTest::devicesListed()
{
    const Result text = runCli({"devices"});
    QCOMPARE(text.status, 0);
    QVERIFY2(text.output.contains("0: "), qPrintable(text.output));
    QVERIFY2(text.output.contains("device-local memory"), qPrintable(text.output));
    QVERIFY2(text.output.contains("--backend auto: "), qPrintable(text.output));

    const Result json = runCli({"devices", "--json"});
    QCOMPARE(json.status, 0);
    const QJsonObject object = QJsonDocument::fromJson(json.output.toUtf8()).object();
    const QJsonArray devices = object["devices"].toArray();
    QVERIFY(!devices.isEmpty());
    const QJsonObject first = devices.first().toObject();
    for (const char* key : {"index", "name", "type", "driver", "device_local_memory_bytes", "usable"})
        QVERIFY2(first.contains(key), key);
    QVERIFY(object["auto"].toString().contains("backend"));
}

void VulkanCliTest::devicesWithoutDriver()
{
    const Result result = runCli({"devices"}, withoutVulkanDriver());
    QCOMPARE(result.status, 0);
    QVERIFY2(result.output.contains("No Vulkan devices: no Vulkan driver found"), qPrintable(result.output));
    QVERIFY2(result.output.contains("--backend auto: CPU backend"), qPrintable(result.output));
}

void VulkanCliTest::lostDeviceStopsRun()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("FXLAB_VULKAN_FAULT", "device-lost:3");
    QStringList arguments = trainArguments("fixed8", 10, "vulkan", directory.path());
    arguments << "--log-every" << "1";
    const Result result = runCli(arguments, environment);

    QCOMPARE(result.status, 1);
    QVERIFY2(result.errors.contains("the Vulkan device was lost during training step 3"), qPrintable(result.errors));
    QVERIFY2(result.errors.contains("stopped after step 2"), qPrintable(result.errors));
    QVERIFY2(result.errors.contains("--backend cpu"), qPrintable(result.errors));
    QCOMPARE(metricsRows(directory.filePath("metrics.csv")).size(), 2);
    const QJsonObject summary = QJsonDocument::fromJson(readAll(directory.filePath("summary.json"))).object();
    QCOMPARE(summary["status"].toString(), QString("device-lost"));
    QCOMPARE(summary["steps"].toInt(), 2);
}

void VulkanCliTest::missingDriverExplained()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const Result vulkan = runCli(trainArguments("fixed8", 2, "vulkan", directory.filePath("vulkan")), withoutVulkanDriver());
    QCOMPARE(vulkan.status, 1);
    QVERIFY2(vulkan.errors.contains("the Vulkan backend cannot start: no Vulkan driver found"), qPrintable(vulkan.errors));

    const Result automatic = runCli(trainArguments("fixed8", 2, "auto", directory.filePath("auto")), withoutVulkanDriver());
    QVERIFY2(automatic.status == 0, qPrintable(automatic.errors));
    QVERIFY2(automatic.errors.contains("CPU backend, because the Vulkan backend is not available"),
             qPrintable(automatic.errors));
}

QTEST_GUILESS_MAIN(VulkanCliTest)
#include "test_vulkan_cli.moc"
