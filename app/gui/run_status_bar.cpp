#include "run_status_bar.h"

#include <QLabel>

namespace fxlab::gui {

namespace {

QLabel* addField(QStatusBar* bar, const QString& objectName, const QString& toolTip)
{
    auto* label = new QLabel(bar);
    label->setObjectName(objectName);
    label->setToolTip(toolTip);
    label->setContentsMargins(6, 0, 6, 0);
    bar->addWidget(label);
    return label;
}

QString stateText(RunState state)
{
    QString text = QString::fromLatin1(toString(state));
    text[0] = text[0].toUpper();
    return text;
}

} // namespace

RunStatusBar::RunStatusBar(QWidget* parent) : QStatusBar(parent)
{
    run_ = addField(this, "statusRun", "The current run, which every view shows; choose another in the run list");
    state_ = addField(this, "statusState", "Run state");
    QFont bold = state_->font();
    bold.setBold(true);
    state_->setFont(bold);
    step_ = addField(this, "statusStep", "Training steps done, of the run's total");
    epoch_ = addField(this, "statusEpoch", "Passes over the training set, fractional");
    speed_ = addField(this, "statusSpeed", "Training samples per second since the run started, evaluation excluded");
    device_ = addField(this, "statusDevice", "Training backend and device");
    message_ = new QLabel(this);
    message_->setObjectName("statusMessage");
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long message (the backend explanation, an error) is cut at the window's edge, with the whole
    // text in the tooltip, instead of widening the window beyond the screen.
    message_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    addWidget(message_, 1);
}

void RunStatusBar::setRunName(const QString& name)
{
    run_->setText("Run: " + name);
}

QString RunStatusBar::runText() const
{
    return run_->text();
}

QString RunStatusBar::messageText() const
{
    return message_->text();
}

void RunStatusBar::setMessage(const QString& text, bool isError)
{
    message_->setText(text);
    message_->setToolTip(text);
    message_->setStyleSheet(isError ? "QLabel { color: #c00000; font-weight: bold; }" : QString());
}

void RunStatusBar::showError(const QString& message)
{
    setMessage(message, true);
}

void RunStatusBar::showSnapshot(const Snapshot& snapshot)
{
    state_->setText(stateText(snapshot.state));
    step_->setText(snapshot.totalSteps > 0 ? QString("Step %1 / %2").arg(snapshot.step).arg(snapshot.totalSteps)
                                           : QString("Step %1").arg(snapshot.step));
    epoch_->setText(QString("Epoch %1").arg(snapshot.epoch, 0, 'f', 2));
    speed_->setText(QLocale().toString(snapshot.samplesPerSecond, 'f', 0) + " samples/s");
    device_->setText(snapshot.backend.empty()
                         ? QString("Backend: chosen at start")
                         : QString::fromStdString("Backend " + snapshot.backend + " (" + snapshot.device + ")"));

    const QString message = QString::fromStdString(snapshot.message);
    if (message == shownWorkerMessage_ && snapshot.state == shownState_)
        return;
    shownWorkerMessage_ = message;
    shownState_ = snapshot.state;
    setMessage(message, snapshot.state == RunState::Failed);
}

} // namespace fxlab::gui
