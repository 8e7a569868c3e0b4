// The files a headless run leaves behind: metrics.csv (one row per logged step) and summary.json.
#pragma once

#include "model/network.h"
#include "train/metrics.h"

#include <QJsonObject>
#include <QString>

#include <string>
#include <vector>

namespace fxlab {

// Writes metrics.csv row by row. Numbers are printed with a fixed number of digits, so the same
// run gives the same bytes on every backend that computes the same values.
class MetricsCsvWriter {
public:
    // Opens `path` for writing; throws fxlab::Error naming the file when that fails. The rows go to
    // "<path>.partial", which finish() renames to `path`.
    MetricsCsvWriter(const QString& path, const NetworkSpec& network);
    ~MetricsCsvWriter();
    MetricsCsvWriter(const MetricsCsvWriter&) = delete;
    MetricsCsvWriter& operator=(const MetricsCsvWriter&) = delete;

    void write(const MetricsRow& row);
    void finish();

    // The header line and one row as text, for tests and other writers.
    static std::string header(const NetworkSpec& network);
    static std::string format(const MetricsRow& row, const NetworkSpec& network);

private:
    QString path_;
    NetworkSpec network_;
    struct File;
    File* file_;
};

// Writes `summary` as indented JSON to `path` through a temporary file.
void writeJsonFile(const QString& path, const QJsonObject& object);

} // namespace fxlab
