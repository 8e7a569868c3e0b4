// The presets for a classroom: each one's summary, explanation and precision per tensor kind, and
// buttons that load it into the current run or start it as a new run beside the others.
#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace fxlab::gui {

class PresetsView : public QWidget {
    Q_OBJECT

public:
    explicit PresetsView(QWidget* parent = nullptr);

    QString selectedPreset() const;
    void selectPreset(const QString& name);

signals:
    void loadRequested(const QString& preset);
    void newRunRequested(const QString& preset);

private:
    void showPreset(const QString& name);

    QListWidget* list_;
    QLabel* title_;
    QLabel* summary_;
    QLabel* explanation_;
    QLabel* precision_;
    QPushButton* load_;
    QPushButton* newRun_;
};

// The preset's precision per tensor kind for the default network, as rich text lines such as
// "<b>weights</b>: 8-bit codes, nearest-even rounding, saturate on overflow, fractional length
// chosen by max-abs every 100 steps".
QString presetPrecisionText(const std::string& preset);

} // namespace fxlab::gui
