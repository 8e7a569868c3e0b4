// fxlab-cli as a user runs it: exit statuses, messages, the quantize calculator and the files of a
// training run, byte-identical whatever the thread count.
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Result {
    int status = -1;
    QString output;
    QString errors;
};

Result runCli(const QStringList& arguments)
{
    QProcess process;
    process.start(FXLAB_CLI_PATH, arguments);
    if (!process.waitForFinished(600000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class CliTest : public QObject {
    Q_OBJECT

private slots:
    void versionAndHelp();
    void quantizeTable();
    void quantizeJson();
    void quantizeStochasticSeeded();
    void usageErrors_data();
    void usageErrors();
    void presetsListed();
    void trainWritesFiles();
    void trainMissingDataExplained();
};

void CliTest::versionAndHelp()
{
    const Result version = runCli({"--version"});
    QCOMPARE(version.status, 0);
    QVERIFY2(version.output.startsWith("fxlab-cli "), qPrintable(version.output));
    const Result help = runCli({"train", "--help"});
    QCOMPARE(help.status, 0);
    QVERIFY(help.output.contains("--preset NAME"));
    QCOMPARE(runCli({}).status, 2);
}

void CliTest::quantizeTable()
{
    const Result result = runCli({"quantize", "--bits", "8", "--frac", "2", "0.375", "-0.625", "100", "0.1", "nan"});
    QCOMPARE(result.status, 0);
    const QStringList lines = result.output.split('\n', Qt::SkipEmptyParts);
    // Header, five values, format line, events line.
    QCOMPARE(lines.size(), 8);
    QVERIFY2(lines[1].simplified() == "0.375 2 0.5 -", qPrintable(lines[1]));
    QVERIFY2(lines[2].simplified() == "-0.625 -2 -0.5 -", qPrintable(lines[2]));
    QVERIFY2(lines[3].simplified() == "100 127 31.75 saturated", qPrintable(lines[3]));
    QVERIFY2(lines[4].simplified() == "0.1 0 0 underflow", qPrintable(lines[4]));
    QVERIFY2(lines[5].simplified() == "nan 0 0 nan", qPrintable(lines[5]));
    QVERIFY2(lines[6].contains("range [-32, 31.75]"), qPrintable(lines[6]));
    QVERIFY2(lines[7].simplified() == "events over 5 values: 1 saturated, 1 underflow, 1 nan", qPrintable(lines[7]));

    // With wrap, 100 * 4 = 400 becomes 400 - 512 = -112, which the table calls wrapped.
    const Result wrapped = runCli({"quantize", "--bits", "8", "--frac", "2", "--overflow", "wrap", "100"});
    QCOMPARE(wrapped.status, 0);
    const QStringList wrappedLines = wrapped.output.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(wrappedLines.size(), 4);
    QVERIFY2(wrappedLines[1].simplified() == "100 -112 -28 wrapped", qPrintable(wrappedLines[1]));
    QVERIFY2(wrappedLines[3].simplified() == "events over 1 value: 1 wrapped, 0 underflow, 0 nan",
             qPrintable(wrappedLines[3]));
}

void CliTest::quantizeJson()
{
    const Result result = runCli({"quantize", "--bits", "4", "--frac", "-2", "--rounding", "floor", "--overflow",
                                  "wrap", "--json", "6", "-33", "30"});
    QCOMPARE(result.status, 0);
    const QJsonObject object = QJsonDocument::fromJson(result.output.toUtf8()).object();
    QCOMPARE(object["word_bits"].toInt(), 4);
    QCOMPARE(object["step"].toDouble(), 4.0);
    const QJsonArray results = object["results"].toArray();
    QCOMPARE(results.size(), 3);
    QCOMPARE(results[0].toObject()["code"].toInt(), 1);    // floor(6 / 4)
    QCOMPARE(results[1].toObject()["code"].toInt(), 7);    // floor(-33 / 4) = -9 wraps to 7
    QCOMPARE(results[1].toObject()["saturated"].toBool(), true);
    QCOMPARE(results[2].toObject()["code"].toInt(), 7);    // floor(30 / 4) = 7 fits
    QCOMPARE(object["events"].toObject()["saturated"].toInt(), 1);
}

void CliTest::quantizeStochasticSeeded()
{
    const QStringList values{"0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3"};
    const auto codes = [&](const QString& seed) {
        const Result result =
            runCli(QStringList{"quantize", "--bits", "8", "--frac", "2", "--rounding", "stochastic", "--seed", seed,
                               "--json"} + values);
        QStringList list;
        for (const QJsonValue& value : QJsonDocument::fromJson(result.output.toUtf8()).object()["results"].toArray())
            list << QString::number(value.toObject()["code"].toInt());
        return list;
    };
    const QStringList first = codes("7");
    QCOMPARE(first.size(), values.size());
    QCOMPARE(codes("7"), first);
    for (const QString& code : first)
        QVERIFY(code == "1" || code == "2");
    QVERIFY(codes("8") != first || codes("9") != first);
}

void CliTest::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown command") << QStringList{"fly"} << 2 << "unknown command \"fly\"";
    QTest::newRow("unknown option") << QStringList{"train", "--speed", "3"} << 2 << "unknown option --speed for 'train'";
    QTest::newRow("bits out of range") << QStringList{"quantize", "--bits", "40", "--frac", "0", "1"} << 2
                                       << "--bits 40 is out of range: use 2 to 32";
    QTest::newRow("bad rounding") << QStringList{"quantize", "--bits", "8", "--frac", "0", "--rounding", "up", "1"} << 2
                                  << "unknown rounding mode \"up\"";
    QTest::newRow("not a number") << QStringList{"quantize", "--bits", "8", "--frac", "0", "abc"} << 2
                                  << "\"abc\" is not a number";
    QTest::newRow("unknown preset") << QStringList{"train", "--preset", "fixed3"} << 2 << "unknown preset \"fixed3\"";
    QTest::newRow("steps and epochs") << QStringList{"train", "--steps", "3", "--epochs", "1"} << 2
                                      << "either --steps or --epochs";
    QTest::newRow("unknown backend") << QStringList{"train", "--backend", "tpu", "--steps", "1"} << 1
                                     << "unknown backend \"tpu\"";
    QTest::newRow("missing experiment") << QStringList{"train", "--experiment", "/nonexistent/run.json"} << 1
                                        << "/nonexistent/run.json: cannot open the experiment file";
    QTest::newRow("device with cpu") << QStringList{"train", "--backend", "cpu", "--device", "0"} << 2
                                     << "--device chooses a Vulkan device, so it needs --backend vulkan or auto";
    QTest::newRow("learning rate") << QStringList{"train", "--learning-rate", "1e9"} << 2
                                   << "--learning-rate 1e9 is out of range: use a value above 0 and at most 1000";
}

void CliTest::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, status);
    QFETCH(QString, message);
    QTemporaryDir directory;
    if (arguments.first() == "train")
        arguments << "--out" << directory.path();
    const Result result = runCli(arguments);
    QCOMPARE(result.status, status);
    QVERIFY2(result.errors.contains(message), qPrintable(result.errors));
}

void CliTest::presetsListed()
{
    const Result result = runCli({"presets", "--verbose"});
    QCOMPARE(result.status, 0);
    QVERIFY(result.output.contains("fixed8"));
    QVERIFY(result.output.contains("float"));
    QVERIFY(result.output.contains("underflow"));
}

void CliTest::trainWritesFiles()
{
    QTemporaryDir directory;
    const QString one = directory.filePath("one"), two = directory.filePath("two");
    const QStringList common{"train", "--preset", "fixed8", "--steps", "25", "--seed", "5", "--log-every", "5",
                             "--backend", "cpu", "--quiet"};
    const Result first = runCli(common + QStringList{"--threads", "1", "--out", one});
    QVERIFY2(first.status == 0, qPrintable(first.errors));
    const Result second = runCli(common + QStringList{"--threads", "2", "--out", two});
    QVERIFY2(second.status == 0, qPrintable(second.errors));
    QVERIFY2(first.errors.contains("results: " + one + "/metrics.csv"), qPrintable(first.errors));

    const QByteArray metrics = readAll(one + "/metrics.csv");
    QCOMPARE(metrics, readAll(two + "/metrics.csv"));
    const QList<QByteArray> lines = metrics.trimmed().split('\n');
    QCOMPARE(lines.size(), 6);  // header and steps 5, 10, 15, 20, 25
    QVERIFY(lines[0].startsWith("step,epoch,train_loss,train_accuracy,test_loss,test_accuracy,test_samples,input.saturated"));
    QVERIFY(lines[0].contains("conv1.weights.saturated,conv1.weights.underflow"));
    QVERIFY(lines[0].contains("dense2.weight-gradients.underflow"));
    QVERIFY(lines[5].startsWith("25,"));
    QCOMPARE(lines[1].split(',').size(), lines[0].split(',').size());
    QVERIFY2(lines[1].split(',')[5].isEmpty(), "step 5 is not evaluated");
    QVERIFY2(!lines[5].split(',')[5].isEmpty(), "the last step is evaluated");
    QCOMPARE(lines[5].split(',')[6], QByteArray("10000"));
    QVERIFY(!lines[0].contains("conv1.activation-gradients"));
    QVERIFY(!QFile::exists(one + "/metrics.csv.partial"));

    const QJsonObject summary = QJsonDocument::fromJson(readAll(one + "/summary.json")).object();
    for (const char* field : {"preset", "seed", "steps", "backend", "device", "final_train_loss", "test_accuracy",
                              "samples_per_second"})
        QVERIFY2(summary.contains(field), field);
    QCOMPARE(summary["preset"].toString(), QString("fixed8"));
    QCOMPARE(summary["seed"].toString(), QString("5"));
    QCOMPARE(summary["steps"].toInt(), 25);
    QCOMPARE(summary["backend"].toString(), QString("cpu"));
    QCOMPARE(summary["status"].toString(), QString("completed"));
    QVERIFY(summary["test_accuracy"].toDouble() > 0.1);
    QVERIFY(summary["samples_per_second"].toDouble() > 0);
    QVERIFY(QFile::exists(one + "/experiment.json"));
}

void CliTest::trainMissingDataExplained()
{
    QTemporaryDir directory;
    const Result result = runCli({"train", "--steps", "1", "--data", directory.path(), "--out", directory.filePath("run")});
    QCOMPARE(result.status, 1);
    QVERIFY2(result.errors.contains(directory.path()), qPrintable(result.errors));
    QVERIFY2(result.errors.contains("train-images-idx3-ubyte"), qPrintable(result.errors));
}

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
