#include "presets_view.h"

#include "model/presets.h"
#include "run_variation.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace fxlab::gui {

namespace {

QString describeForClass(const TensorPrecision& precision)
{
    if (precision.isFloat)
        return "32-bit float";
    const FixedFormat& format = precision.spec.format;
    QString text = QString("%1-bit codes, %2 rounding, %3 on overflow, ")
                       .arg(format.wordBits)
                       .arg(QString::fromStdString(std::string(toString(precision.spec.rounding))))
                       .arg(QString::fromStdString(std::string(toString(precision.spec.overflow))));
    if (precision.policy == FractionalLengthPolicy::Manual)
        return text + QString("fixed fractional length %1 (step 2<sup>%2</sup>)")
                          .arg(format.fractionalLength)
                          .arg(-format.fractionalLength);
    text += "fractional length chosen by " + QString::fromStdString(std::string(toString(precision.policy)));
    if (precision.policyInterval > 0)
        text += QString(" every %1 steps").arg(precision.policyInterval);
    else
        text += " once";
    return text;
}

QLabel* wrappedLabel(const QString& objectName)
{
    auto* label = new QLabel;
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

} // namespace

QString presetPrecisionText(const std::string& preset)
{
    const NetworkSpec network = defaultNetwork();
    const auto plan = presetPrecision(preset, network);
    if (!plan)
        return {};
    QStringList lines{"<b>input</b>: " + describeForClass(plan->input)};
    for (TensorKind kind : kAllTensorKinds) {
        for (size_t layer = 0; layer < network.layers.size(); ++layer) {
            if (!hasTensor(network, layer, kind))
                continue;
            lines << "<b>" + tensorKindLabel(kind) + "</b>: " + describeForClass(plan->at(layer, kind));
            break;
        }
    }
    return lines.join("<br>");
}

PresetsView::PresetsView(QWidget* parent) : QWidget(parent)
{
    list_ = new QListWidget;
    list_->setObjectName("presetList");
    for (const Preset& preset : presets()) {
        auto* item = new QListWidgetItem(QString::fromStdString(preset.name), list_);
        item->setData(Qt::UserRole, QString::fromStdString(preset.name));
        item->setToolTip(QString::fromStdString(preset.summary));
    }
    list_->setMaximumWidth(list_->sizeHintForColumn(0) + 4 * list_->frameWidth() + 24);

    title_ = wrappedLabel("presetTitle");
    QFont titleFont = title_->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    title_->setFont(titleFont);
    summary_ = wrappedLabel("presetSummary");
    QFont summaryFont = summary_->font();
    summaryFont.setItalic(true);
    summary_->setFont(summaryFont);
    explanation_ = wrappedLabel("presetExplanation");
    precision_ = wrappedLabel("presetPrecision");
    precision_->setTextFormat(Qt::RichText);

    load_ = new QPushButton("&Load into this run");
    load_->setObjectName("loadPresetButton");
    load_->setToolTip("Give the current run this preset's precision; its network and training settings stay");
    newRun_ = new QPushButton("Start as a &new run");
    newRun_->setObjectName("newRunFromPresetButton");
    newRun_->setToolTip("Add a run of the current network with this preset's precision and start it");
    connect(load_, &QPushButton::clicked, this, [this] { emit loadRequested(selectedPreset()); });
    connect(newRun_, &QPushButton::clicked, this, [this] { emit newRunRequested(selectedPreset()); });

    auto* text = new QWidget;
    auto* textLayout = new QVBoxLayout(text);
    textLayout->addWidget(title_);
    textLayout->addWidget(summary_);
    textLayout->addWidget(explanation_);
    textLayout->addSpacing(6);
    textLayout->addWidget(precision_);
    textLayout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(text);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(load_);
    buttons->addWidget(newRun_);
    buttons->addStretch(1);

    auto* details = new QVBoxLayout;
    details->addWidget(scroll, 1);
    details->addLayout(buttons);

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(list_);
    layout->addLayout(details, 1);

    connect(list_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        showPreset(item ? item->data(Qt::UserRole).toString() : QString());
    });
    selectPreset(kDefaultPreset);
}

QString PresetsView::selectedPreset() const
{
    const QListWidgetItem* item = list_->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void PresetsView::selectPreset(const QString& name)
{
    for (int row = 0; row < list_->count(); ++row) {
        if (list_->item(row)->data(Qt::UserRole).toString() == name) {
            list_->setCurrentRow(row);
            return;
        }
    }
}

void PresetsView::showPreset(const QString& name)
{
    for (const Preset& preset : presets()) {
        if (QString::fromStdString(preset.name) != name)
            continue;
        title_->setText(name);
        summary_->setText(QString::fromStdString(preset.summary));
        explanation_->setText(QString::fromStdString(preset.explanation));
        precision_->setText("Precision of each tensor kind:<br>" + presetPrecisionText(preset.name));
        load_->setEnabled(true);
        newRun_->setEnabled(true);
        return;
    }
    load_->setEnabled(false);
    newRun_->setEnabled(false);
}

} // namespace fxlab::gui
