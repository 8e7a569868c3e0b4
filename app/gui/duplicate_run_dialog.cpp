#include "duplicate_run_dialog.h"

#include "model/presets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <climits>

namespace fxlab::gui {

namespace {

constexpr int kSettingRole = Qt::UserRole;
constexpr int kKindRole = Qt::UserRole + 1;

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

// The first fixed-point tensor of `kind`, which gives the editors their starting value.
const TensorPrecision* firstFixed(const Experiment& experiment, TensorKind kind)
{
    for (size_t layer = 0; layer < experiment.network.layers.size(); ++layer) {
        if (!hasTensor(experiment.network, layer, kind))
            continue;
        const TensorPrecision& precision = experiment.precision.at(layer, kind);
        if (!precision.isFloat)
            return &precision;
    }
    return nullptr;
}

template <typename Mode>
QComboBox* modeChoice(const char* objectName, std::initializer_list<Mode> modes)
{
    auto* choice = new QComboBox;
    choice->setObjectName(objectName);
    for (Mode mode : modes)
        choice->addItem(QString::fromStdString(std::string(toString(mode))), int(mode));
    return choice;
}

} // namespace

DuplicateRunDialog::DuplicateRunDialog(const Experiment& source, const QString& sourceRunName, QWidget* parent)
    : QDialog(parent), source_(source), sourceRunName_(sourceRunName)
{
    setWindowTitle("Duplicate run with one change");
    setObjectName("duplicateRunDialog");

    setting_ = new QComboBox;
    setting_->setObjectName("settingChoice");
    for (TensorKind kind : kAllTensorKinds) {
        const QString label = capitalized(tensorKindLabel(kind));
        for (auto [setting, what] : {std::pair{VariedSetting::WordBits, "word bits"},
                                     std::pair{VariedSetting::Rounding, "rounding"},
                                     std::pair{VariedSetting::Overflow, "overflow"}}) {
            setting_->addItem(label + ": " + what + " in every layer");
            setting_->setItemData(setting_->count() - 1, int(setting), kSettingRole);
            setting_->setItemData(setting_->count() - 1, int(kind), kKindRole);
        }
    }
    setting_->insertSeparator(setting_->count());
    for (auto [setting, label] : {std::pair{VariedSetting::LearningRate, "Learning rate"},
                                  std::pair{VariedSetting::BatchSize, "Batch size"},
                                  std::pair{VariedSetting::Seed, "Seed"},
                                  std::pair{VariedSetting::FixedPointMasterWeights, "Master weights"},
                                  std::pair{VariedSetting::Preset, "Preset (precision of every tensor)"}}) {
        setting_->addItem(label);
        setting_->setItemData(setting_->count() - 1, int(setting), kSettingRole);
        setting_->setItemData(setting_->count() - 1, int(TensorKind::Weights), kKindRole);
    }

    currentValue_ = new QLabel;
    currentValue_->setObjectName("currentValue");
    currentValue_->setWordWrap(true);

    // One editor per VariedSetting, in the order of the enumeration.
    wordBits_ = new QSpinBox;
    wordBits_->setObjectName("wordBitsChoice");
    wordBits_->setRange(FixedFormat::kMinWordBits, FixedFormat::kMaxWordBits);
    wordBits_->setSuffix(" bits");
    rounding_ = modeChoice("roundingChoice", {RoundingMode::NearestEven, RoundingMode::NearestAway,
                                              RoundingMode::Floor, RoundingMode::TowardZero, RoundingMode::Stochastic});
    overflow_ = modeChoice("overflowChoice",
                           {OverflowMode::Saturate, OverflowMode::SymmetricSaturate, OverflowMode::Wrap});
    learningRate_ = new QDoubleSpinBox;
    learningRate_->setObjectName("learningRateChoice");
    learningRate_->setDecimals(5);
    learningRate_->setRange(0.00001, 10);
    learningRate_->setSingleStep(0.01);
    batchSize_ = new QSpinBox;
    batchSize_->setObjectName("batchSizeChoice");
    batchSize_->setRange(1, 4096);
    batchSize_->setSuffix(" samples");
    seed_ = new QSpinBox;
    seed_->setObjectName("seedChoice");
    seed_->setRange(0, INT_MAX);
    masterWeights_ = new QComboBox;
    masterWeights_->setObjectName("masterWeightsChoice");
    masterWeights_->addItem("float master weights, quantized for each step", false);
    masterWeights_->addItem("fixed-point master weights, updated with stochastic rounding", true);
    preset_ = new QComboBox;
    preset_->setObjectName("variationPresetChoice");
    for (const Preset& preset : presets())
        preset_->addItem(QString::fromStdString(preset.name + ": " + preset.summary), QString::fromStdString(preset.name));

    editors_ = new QStackedWidget;
    for (QWidget* editor : std::initializer_list<QWidget*>{wordBits_, rounding_, overflow_, learningRate_, batchSize_,
                                                          seed_, masterWeights_, preset_})
        editors_->addWidget(editor);

    name_ = new QLineEdit;
    name_->setObjectName("runNameEdit");
    startBoth_ = new QCheckBox(QString("Also start \u201c%1\u201d if it is idle or paused, so that both train "
                                       "(they share the processor)")
                                   .arg(sourceRunName));
    startBoth_->setObjectName("startBothCheck");
    startBoth_->setChecked(true);
    error_ = new QLabel;
    error_->setObjectName("variationError");
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #b00020");

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons_->button(QDialogButtonBox::Ok)->setText("Duplicate and start");
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* form = new QFormLayout;
    form->addRow("&Change:", setting_);
    form->addRow("Now:", currentValue_);
    form->addRow("New &value:", editors_);
    form->addRow("New run's &name:", name_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QString("Copies the experiment of \u201c%1\u201d with one setting changed and "
                                         "starts it as a new run.")
                                     .arg(sourceRunName)));
    layout->addLayout(form);
    layout->addWidget(startBoth_);
    layout->addWidget(error_);
    layout->addStretch(1);
    layout->addWidget(buttons_);

    connect(setting_, &QComboBox::currentIndexChanged, this, &DuplicateRunDialog::chooseSetting);
    for (QComboBox* choice : {rounding_, overflow_, masterWeights_, preset_})
        connect(choice, &QComboBox::currentIndexChanged, this, &DuplicateRunDialog::update);
    for (QSpinBox* spin : {wordBits_, batchSize_, seed_})
        connect(spin, &QSpinBox::valueChanged, this, &DuplicateRunDialog::update);
    connect(learningRate_, &QDoubleSpinBox::valueChanged, this, &DuplicateRunDialog::update);
    connect(name_, &QLineEdit::textChanged, this, [this] {
        buttons_->button(QDialogButtonBox::Ok)->setEnabled(result_.experiment && !runName().isEmpty());
    });

    // Rounding of the weight gradients first: the comparison a class usually starts with.
    setting_->setCurrentIndex(setting_->findText(capitalized(tensorKindLabel(TensorKind::WeightGradients))
                                                 + ": rounding in every layer"));
    chooseSetting();
    resize(620, sizeHint().height());
}

void DuplicateRunDialog::chooseSetting()
{
    const auto setting = VariedSetting(setting_->currentData(kSettingRole).toInt());
    const auto kind = TensorKind(setting_->currentData(kKindRole).toInt());
    editors_->setCurrentIndex(int(setting));
    currentValue_->setText(currentValueText(source_, setting, kind));

    // Each editor starts at the run's value, so that the user changes it from there.
    const QSignalBlocker blockers[]{QSignalBlocker(wordBits_),     QSignalBlocker(rounding_),
                                    QSignalBlocker(overflow_),     QSignalBlocker(learningRate_),
                                    QSignalBlocker(batchSize_),    QSignalBlocker(seed_),
                                    QSignalBlocker(masterWeights_), QSignalBlocker(preset_)};
    if (const TensorPrecision* fixed = firstFixed(source_, kind)) {
        wordBits_->setValue(fixed->spec.format.wordBits);
        rounding_->setCurrentIndex(rounding_->findData(int(fixed->spec.rounding)));
        overflow_->setCurrentIndex(overflow_->findData(int(fixed->spec.overflow)));
    } else {
        wordBits_->setValue(8);
    }
    learningRate_->setValue(source_.training.learningRate);
    batchSize_->setValue(source_.training.batchSize);
    seed_->setValue(int(std::min<uint64_t>(source_.seed, INT_MAX)));
    masterWeights_->setCurrentIndex(source_.training.fixedPointMasterWeights ? 1 : 0);
    const int preset = preset_->findData(QString::fromStdString(source_.name));
    preset_->setCurrentIndex(preset >= 0 ? preset : 0);
    update();
}

RunVariation DuplicateRunDialog::variation() const
{
    RunVariation variation;
    variation.setting = VariedSetting(setting_->currentData(kSettingRole).toInt());
    variation.kind = TensorKind(setting_->currentData(kKindRole).toInt());
    variation.wordBits = wordBits_->value();
    variation.rounding = RoundingMode(rounding_->currentData().toInt());
    variation.overflow = OverflowMode(overflow_->currentData().toInt());
    variation.learningRate = learningRate_->value();
    variation.batchSize = batchSize_->value();
    variation.seed = uint64_t(seed_->value());
    variation.fixedPointMasterWeights = masterWeights_->currentData().toBool();
    variation.preset = preset_->currentData().toString().toStdString();
    return variation;
}

void DuplicateRunDialog::setVariation(const RunVariation& variation)
{
    for (int item = 0; item < setting_->count(); ++item) {
        const bool isKindSetting = variation.setting == VariedSetting::WordBits
            || variation.setting == VariedSetting::Rounding || variation.setting == VariedSetting::Overflow;
        if (setting_->itemData(item, kSettingRole).toInt() == int(variation.setting)
            && (!isKindSetting || setting_->itemData(item, kKindRole).toInt() == int(variation.kind))) {
            setting_->setCurrentIndex(item);
            break;
        }
    }
    wordBits_->setValue(variation.wordBits);
    rounding_->setCurrentIndex(rounding_->findData(int(variation.rounding)));
    overflow_->setCurrentIndex(overflow_->findData(int(variation.overflow)));
    learningRate_->setValue(variation.learningRate);
    batchSize_->setValue(variation.batchSize);
    seed_->setValue(int(std::min<uint64_t>(variation.seed, INT_MAX)));
    masterWeights_->setCurrentIndex(variation.fixedPointMasterWeights ? 1 : 0);
    preset_->setCurrentIndex(preset_->findData(QString::fromStdString(variation.preset)));
    update();
}

void DuplicateRunDialog::update()
{
    const RunVariation chosen = variation();
    result_ = applyVariation(source_, chosen);
    error_->setText(result_.error);
    error_->setVisible(!result_.error.isEmpty());

    // The name follows the change until the user types one of their own.
    const QString suggestion = variedRunName(sourceRunName_, source_, chosen);
    if (name_->text().isEmpty() || name_->text() == suggestedName_)
        name_->setText(suggestion);
    suggestedName_ = suggestion;
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(result_.experiment && !runName().isEmpty());
}

QString DuplicateRunDialog::runName() const
{
    return name_->text().trimmed();
}

bool DuplicateRunDialog::startsBoth() const
{
    return startBoth_->isChecked();
}

} // namespace fxlab::gui
