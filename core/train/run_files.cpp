#include "train/run_files.h"

#include "error.h"
#include "model/precision.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

#include <cstdio>

namespace fxlab {

struct MetricsCsvWriter::File {
    QFile file;
};

namespace {

std::string fixed(double value, int digits)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    return text;
}

} // namespace

MetricsCsvWriter::MetricsCsvWriter(const QString& path, const NetworkSpec& network)
    : path_(path), network_(network), file_(new File)
{
    file_->file.setFileName(path + ".partial");
    if (!file_->file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        const QString reason = file_->file.errorString();
        delete file_;
        throw Error((path + ": cannot write the metrics file: " + reason).toStdString());
    }
    const std::string line = header(network) + "\n";
    file_->file.write(line.data(), qint64(line.size()));
}

MetricsCsvWriter::~MetricsCsvWriter()
{
    // An unfinished run keeps its rows under the .partial name: never lost, never mistaken for done.
    delete file_;
}

void MetricsCsvWriter::write(const MetricsRow& row)
{
    const std::string line = format(row, network_) + "\n";
    if (file_->file.write(line.data(), qint64(line.size())) != qint64(line.size()))
        throw Error((path_ + ": writing the metrics file failed: " + file_->file.errorString()).toStdString());
    file_->file.flush();
}

void MetricsCsvWriter::finish()
{
    file_->file.close();
    QFile::remove(path_);
    if (!QFile::rename(path_ + ".partial", path_))
        throw Error((path_ + ": cannot rename the finished metrics file into place").toStdString());
}

std::string MetricsCsvWriter::header(const NetworkSpec& network)
{
    std::string line =
        "step,epoch,train_loss,train_accuracy,test_loss,test_accuracy,test_samples,input.saturated,input.underflow";
    for (size_t i = 0; i < network.layers.size(); ++i)
        for (TensorKind kind : kAllTensorKinds)
            if (hasTensor(network, i, kind)) {
                const std::string prefix = network.layers[i].name + "." + std::string(toString(kind));
                line += "," + prefix + ".saturated," + prefix + ".underflow";
            }
    return line;
}

std::string MetricsCsvWriter::format(const MetricsRow& row, const NetworkSpec& network)
{
    std::string line = std::to_string(row.step) + "," + fixed(row.epoch, 4) + "," + fixed(row.trainLoss, 6) + ","
        + fixed(row.trainAccuracy, 6) + "," + (row.testLoss ? fixed(*row.testLoss, 6) : "") + ","
        + (row.testAccuracy ? fixed(*row.testAccuracy, 6) : "") + ","
        + (row.testAccuracy ? std::to_string(row.testSamples) : "") + "," + std::to_string(row.inputEvents.saturated)
        + "," + std::to_string(row.inputEvents.underflowed);
    for (size_t i = 0; i < network.layers.size(); ++i)
        for (TensorKind kind : kAllTensorKinds)
            if (hasTensor(network, i, kind)) {
                const QuantEvents events = i < row.events.size() ? row.events[i][size_t(kind)] : QuantEvents{};
                line += "," + std::to_string(events.saturated) + "," + std::to_string(events.underflowed);
            }
    return line;
}

void writeJsonFile(const QString& path, const QJsonObject& object)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw Error((path + ": cannot write: " + file.errorString()).toStdString());
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit())
        throw Error((path + ": writing failed: " + file.errorString()).toStdString());
}

} // namespace fxlab
