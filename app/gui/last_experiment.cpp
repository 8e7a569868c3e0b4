#include "last_experiment.h"

#include "error.h"
#include "gui_logging.h"

#include <QJsonDocument>
#include <QSettings>

namespace fxlab::gui {

void saveLastExperiment(const Experiment& experiment)
{
    QSettings settings;
    settings.setValue(settings_key::kLastExperiment,
                      QString::fromUtf8(QJsonDocument(toJson(experiment)).toJson(QJsonDocument::Compact)));
    settings.sync();
    if (settings.status() != QSettings::NoError)
        qCWarning(logGui).noquote() << "could not save the last experiment to" << settings.fileName();
}

std::optional<Experiment> restoreLastExperiment()
{
    QSettings settings;
    const QString text = settings.value(settings_key::kLastExperiment).toString();
    if (text.isEmpty())
        return std::nullopt;

    const QString source = settings.fileName() + " (" + settings_key::kLastExperiment + ")";
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        qCWarning(logGui).noquote() << source << "is not an experiment in JSON:" << parseError.errorString()
                                    << "; starting with the default preset";
        return std::nullopt;
    }
    try {
        return experimentFromJson(document.object(), source);
    } catch (const Error& error) {
        qCWarning(logGui).noquote() << "the last experiment cannot be restored:" << error.what()
                                    << "; starting with the default preset";
        return std::nullopt;
    }
}

Experiment experimentForStart(const GuiOptions& options)
{
    if (!options.preset.isEmpty() || !options.experimentFile.isEmpty())
        return experimentFromOptions(options);
    std::optional<Experiment> last = restoreLastExperiment();
    if (!last)
        return experimentFromOptions(options);
    qCInfo(logGui).noquote() << "continuing with the last experiment," << QString::fromStdString(last->name);
    if (!options.dataDirectory.isEmpty())
        last->data.directory = options.dataDirectory.toStdString();
    return *last;
}

} // namespace fxlab::gui
