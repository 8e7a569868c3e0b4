#include "precision_dialog.h"

#include "precision_text.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace fxlab::gui {

namespace {

// The spin boxes accept values outside the valid formats on purpose: the core validation rejects
// them with the reason and the valid range, where a clamped spin box would change them silently.
constexpr int kWordBitsInputLimit = 64;
constexpr int kFractionalLengthInputLimit = 128;
constexpr int kIntervalLimit = 1'000'000;
constexpr int kDefaultInterval = 100;
// Names listed in a bulk edit before "and N more".
constexpr int kListedNames = 4;

constexpr RoundingMode kRoundingModes[] = {RoundingMode::NearestEven, RoundingMode::NearestAway, RoundingMode::Floor,
                                           RoundingMode::TowardZero, RoundingMode::Stochastic};
constexpr OverflowMode kOverflowModes[] = {OverflowMode::Saturate, OverflowMode::SymmetricSaturate,
                                           OverflowMode::Wrap};
constexpr FractionalLengthPolicy kPolicies[] = {FractionalLengthPolicy::Manual, FractionalLengthPolicy::MaxAbs,
                                                FractionalLengthPolicy::GaussianSqnr,
                                                FractionalLengthPolicy::LaplacianSqnr};

QString roundingToolTip(RoundingMode mode)
{
    switch (mode) {
    case RoundingMode::NearestEven:
        return "To the nearest code; ties go to the even code.";
    case RoundingMode::NearestAway:
        return "To the nearest code; ties go away from zero.";
    case RoundingMode::Floor:
        return "Toward minus infinity, as dropping low bits does in hardware.";
    case RoundingMode::TowardZero:
        return "Toward zero: the magnitude is truncated.";
    case RoundingMode::Stochastic:
        return "Up with a probability equal to the remainder's fraction of a step: unbiased on average.";
    }
    return {};
}

QString overflowName(OverflowMode mode)
{
    switch (mode) {
    case OverflowMode::Saturate:
        return "saturate";
    case OverflowMode::SymmetricSaturate:
        return "symmetric saturate";
    case OverflowMode::Wrap:
        return "wrap";
    }
    return {};
}

QString overflowToolTip(OverflowMode mode)
{
    switch (mode) {
    case OverflowMode::Saturate:
        return "Values beyond the range become the largest or smallest code.";
    case OverflowMode::SymmetricSaturate:
        return "Like saturate, but the most negative code is not used, so the range is symmetric.";
    case OverflowMode::Wrap:
        return "Two's complement wrap-around, as hardware accumulators do: a large value becomes a wrong one.";
    }
    return {};
}

QString policyToolTip(FractionalLengthPolicy policy)
{
    switch (policy) {
    case FractionalLengthPolicy::Manual:
        return "The fractional length is the value set here and never changes.";
    case FractionalLengthPolicy::MaxAbs:
        return "The largest fractional length that still represents the tensor's largest magnitude.";
    case FractionalLengthPolicy::GaussianSqnr:
        return "The step that minimises the quantization error for a Gaussian of the tensor's standard deviation.";
    case FractionalLengthPolicy::LaplacianSqnr:
        return "The step that minimises the quantization error for a Laplacian of the tensor's standard deviation.";
    }
    return {};
}

} // namespace

PrecisionDialog::PrecisionDialog(const ExperimentDocument* document, std::vector<TensorCell> cells,
                                 std::optional<int> currentFractionalLength, QWidget* parent)
    : QDialog(parent), document_(document), cells_(std::move(cells))
{
    setObjectName("precisionDialog");
    setWindowTitle(isBulk() ? QString("Edit %1 tensors").arg(cells_.size())
                            : "Precision of " + document_->tensorName(cells_.front()));
    buildFields();
    // A bulk edit starts from the first fixed-point tensor, so that ticking a field and changing
    // one value does not start from a float tensor's unused format.
    TensorCell model = cells_.front();
    for (const TensorCell& cell : cells_) {
        if (!document_->precision(cell).isFloat) {
            model = cell;
            break;
        }
    }
    fill(document_->precision(model), isBulk() ? std::nullopt : currentFractionalLength);
    updateState();
}

void PrecisionDialog::buildFields()
{
    auto* layout = new QVBoxLayout(this);
    auto* summary = new QLabel(summaryText());
    summary->setObjectName("summaryLabel");
    summary->setWordWrap(true);
    layout->addWidget(summary);

    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    grid->setColumnStretch(1, 1);
    layout->addLayout(grid);

    // In a bulk edit each field's label is a check box that selects whether the field changes.
    auto addRow = [this, grid](Field field, const QString& label, const QList<QWidget*>& widgets) {
        const int row = grid->rowCount();
        if (isBulk()) {
            auto* box = new QCheckBox(label);
            box->setObjectName(QString("field%1").arg(int(field)));
            fieldBoxes_.emplace_back(field, box);
            connect(box, &QCheckBox::toggled, this, &PrecisionDialog::updateState);
            grid->addWidget(box, row, 0);
        } else {
            grid->addWidget(new QLabel(label), row, 0);
        }
        auto* line = new QHBoxLayout;
        line->setSpacing(8);
        for (QWidget* widget : widgets)
            line->addWidget(widget);
        line->addStretch(1);
        grid->addLayout(line, row, 1);
    };

    fixedChoice_ = new QRadioButton("Fixed point");
    fixedChoice_->setObjectName("fixedChoice");
    floatChoice_ = new QRadioButton("Float (nothing quantized)");
    floatChoice_->setObjectName("floatChoice");
    auto* formatGroup = new QButtonGroup(this);
    formatGroup->addButton(fixedChoice_);
    formatGroup->addButton(floatChoice_);
    connect(formatGroup, &QButtonGroup::buttonClicked, this, [this] { markChanged(Field::Format); });
    addRow(Field::Format, "Format", {fixedChoice_, floatChoice_});

    wordBits_ = new QSpinBox;
    wordBits_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    wordBits_->setObjectName("wordBitsEditor");
    wordBits_->setRange(0, kWordBitsInputLimit);
    wordBits_->setSuffix(" bits");
    wordBits_->setToolTip(QString("Word bits, sign included: %1 to %2")
                              .arg(FixedFormat::kMinWordBits)
                              .arg(FixedFormat::kMaxWordBits));
    connect(wordBits_, &QSpinBox::valueChanged, this, [this] { markChanged(Field::WordBits); });
    addRow(Field::WordBits, "Word bits", {wordBits_, new QLabel("sign included")});

    policy_ = new QComboBox;
    policy_->setObjectName("policyEditor");
    for (FractionalLengthPolicy policy : kPolicies) {
        policy_->addItem(policyLabel(policy), int(policy));
        policy_->setItemData(policy_->count() - 1, policyToolTip(policy), Qt::ToolTipRole);
    }
    connect(policy_, &QComboBox::activated, this, [this] { markChanged(Field::Policy); });
    addRow(Field::Policy, "Fractional length from", {policy_});

    fractionalLength_ = new QSpinBox;
    fractionalLength_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    fractionalLength_->setObjectName("fractionalLengthEditor");
    fractionalLength_->setRange(-kFractionalLengthInputLimit, kFractionalLengthInputLimit);
    fractionalLength_->setToolTip(QString("The step between codes is 2^-fl; %1 to %2")
                                      .arg(FixedFormat::kMinFractionalLength)
                                      .arg(FixedFormat::kMaxFractionalLength));
    connect(fractionalLength_, &QSpinBox::valueChanged, this, [this] { markChanged(Field::FractionalLength); });
    addRow(Field::FractionalLength, "Fractional length", {fractionalLength_, new QLabel("the step is 2<sup>\u2212fl</sup>")});

    onceChoice_ = new QRadioButton("once, at the first step");
    onceChoice_->setObjectName("onceChoice");
    everyChoice_ = new QRadioButton("every");
    everyChoice_->setObjectName("everyChoice");
    interval_ = new QSpinBox;
    interval_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    interval_->setObjectName("intervalEditor");
    interval_->setRange(1, kIntervalLimit);
    interval_->setSuffix(" steps");
    auto* intervalGroup = new QButtonGroup(this);
    intervalGroup->addButton(onceChoice_);
    intervalGroup->addButton(everyChoice_);
    connect(intervalGroup, &QButtonGroup::buttonClicked, this, [this] { markChanged(Field::Interval); });
    connect(interval_, &QSpinBox::valueChanged, this, [this] {
        everyChoice_->setChecked(true);
        markChanged(Field::Interval);
    });
    addRow(Field::Interval, "Policy chooses", {onceChoice_, everyChoice_, interval_});

    rounding_ = new QComboBox;
    rounding_->setObjectName("roundingEditor");
    for (RoundingMode mode : kRoundingModes) {
        rounding_->addItem(QString::fromLatin1(toString(mode)), int(mode));
        rounding_->setItemData(rounding_->count() - 1, roundingToolTip(mode), Qt::ToolTipRole);
    }
    connect(rounding_, &QComboBox::activated, this, [this] { markChanged(Field::Rounding); });
    addRow(Field::Rounding, "Rounding", {rounding_});

    overflow_ = new QComboBox;
    overflow_->setObjectName("overflowEditor");
    for (OverflowMode mode : kOverflowModes) {
        overflow_->addItem(overflowName(mode), int(mode));
        overflow_->setItemData(overflow_->count() - 1, overflowToolTip(mode), Qt::ToolTipRole);
    }
    connect(overflow_, &QComboBox::activated, this, [this] { markChanged(Field::Overflow); });
    addRow(Field::Overflow, "Overflow", {overflow_});

    preview_ = new QLabel;
    preview_->setObjectName("previewLabel");
    preview_->setWordWrap(true);
    preview_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(preview_);

    problem_ = new QLabel;
    problem_->setObjectName("problemLabel");
    problem_->setWordWrap(true);
    problem_->setStyleSheet("QLabel { color: #b00020; font-weight: bold; }");
    layout->addWidget(problem_);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons_->button(QDialogButtonBox::Ok)->setText("Apply");
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons_);
    setMinimumWidth(fontMetrics().averageCharWidth() * 70);
}

void PrecisionDialog::fill(const TensorPrecision& precision, std::optional<int> currentFractionalLength)
{
    // Filling must not tick the bulk check boxes, which only the user's own changes do.
    const QSignalBlocker blockWordBits(wordBits_);
    const QSignalBlocker blockFractionalLength(fractionalLength_);
    const QSignalBlocker blockInterval(interval_);

    (precision.isFloat ? floatChoice_ : fixedChoice_)->setChecked(true);
    wordBits_->setValue(precision.spec.format.wordBits);
    policy_->setCurrentIndex(policy_->findData(int(precision.policy)));
    // A data-driven cell shows the value its policy chose last, so that switching it to manual
    // keeps the format in use.
    fractionalLength_->setValue(isDataDriven(precision) && currentFractionalLength
                                    ? *currentFractionalLength
                                    : precision.spec.format.fractionalLength);
    (precision.policyInterval > 0 ? everyChoice_ : onceChoice_)->setChecked(true);
    interval_->setValue(precision.policyInterval > 0 ? precision.policyInterval : kDefaultInterval);
    rounding_->setCurrentIndex(rounding_->findData(int(precision.spec.rounding)));
    overflow_->setCurrentIndex(overflow_->findData(int(precision.spec.overflow)));
}

QCheckBox* PrecisionDialog::fieldBox(Field field) const
{
    for (const auto& [candidate, box] : fieldBoxes_)
        if (candidate == field)
            return box;
    return nullptr;
}

void PrecisionDialog::markChanged(Field field)
{
    if (QCheckBox* box = fieldBox(field))
        box->setChecked(true);
    updateState();
}

bool PrecisionDialog::fieldSet(Field field) const
{
    if (!isBulk())
        return true;
    const QCheckBox* box = fieldBox(field);
    return box && box->isChecked() && box->isEnabled();
}

PrecisionChange PrecisionDialog::change() const
{
    const auto policy = FractionalLengthPolicy(policy_->currentData().toInt());
    const int interval = everyChoice_->isChecked() ? interval_->value() : 0;

    if (!isBulk()) {
        TensorPrecision precision = document_->precision(cells_.front());
        precision.isFloat = floatChoice_->isChecked();
        precision.spec.format.wordBits = wordBits_->value();
        precision.spec.rounding = RoundingMode(rounding_->currentData().toInt());
        precision.spec.overflow = OverflowMode(overflow_->currentData().toInt());
        precision.policy = policy;
        precision.policyInterval = policy == FractionalLengthPolicy::Manual ? 0 : interval;
        // Under a data-driven policy the stored fractional length is only where it starts.
        if (policy == FractionalLengthPolicy::Manual)
            precision.spec.format.fractionalLength = fractionalLength_->value();
        return PrecisionChange::replacingWith(precision);
    }

    PrecisionChange change;
    if (fieldSet(Field::Format))
        change.isFloat = floatChoice_->isChecked();
    if (fieldSet(Field::WordBits))
        change.wordBits = wordBits_->value();
    if (fieldSet(Field::Policy))
        change.policy = policy;
    if (fieldSet(Field::FractionalLength))
        change.fractionalLength = fractionalLength_->value();
    if (fieldSet(Field::Interval))
        change.policyInterval = interval;
    if (fieldSet(Field::Rounding))
        change.rounding = RoundingMode(rounding_->currentData().toInt());
    if (fieldSet(Field::Overflow))
        change.overflow = OverflowMode(overflow_->currentData().toInt());
    return change;
}

std::vector<TensorCell> PrecisionDialog::targetCells() const
{
    const PrecisionChange edit = change();
    if (!isBulk() || (edit.isFloat && !*edit.isFloat))
        return cells_;
    std::vector<TensorCell> cells;
    for (const TensorCell& cell : cells_)
        if (!document_->precision(cell).isFloat || edit.isFloat)
            cells.push_back(cell);
    return cells;
}

QString PrecisionDialog::problem() const
{
    return problemText_;
}

QString PrecisionDialog::summaryText() const
{
    if (!isBulk())
        return "<b>" + document_->tensorName(cells_.front()).toHtmlEscaped() + "</b>";
    QStringList names;
    for (size_t i = 0; i < cells_.size() && i < size_t(kListedNames); ++i)
        names << document_->tensorName(cells_[i]);
    QString list = names.join(", ");
    if (cells_.size() > size_t(kListedNames))
        list += QString(" and %1 more").arg(cells_.size() - size_t(kListedNames));
    return QString("<b>%1 tensors</b>: %2.<br>Tick the fields to change; the others keep each tensor's own value.")
        .arg(cells_.size())
        .arg(list.toHtmlEscaped());
}

QString PrecisionDialog::previewText(const PrecisionChange& edit) const
{
    if (isBulk()) {
        const std::vector<TensorCell> targets = targetCells();
        QString text = QString("Sets %1 on %2 of the %3 tensors.")
                           .arg(edit.describe())
                           .arg(targets.size())
                           .arg(cells_.size());
        const size_t floatCells = cells_.size() - targets.size();
        if (floatCells == 1)
            text += " 1 float tensor is left as it is; tick Format and choose fixed point to include it.";
        else if (floatCells > 1)
            text += QString(" %1 float tensors are left as they are; tick Format and choose fixed point to "
                            "include them.")
                        .arg(floatCells);
        return text;
    }

    const TensorPrecision precision = edit.appliedTo(document_->precision(cells_.front()));
    if (precision.isFloat)
        return "Float: the tensor is not quantized.";
    if (auto error = precision.spec.format.validationError())
        return {};
    if (precision.policy == FractionalLengthPolicy::Manual)
        return QString("%1, %2, %3 codes.")
            .arg(formatLine(precision.spec.format), stepText(precision.spec.format))
            .arg(precision.spec.format.codeCount());
    return QString("%1-bit, %2 codes. The %3 policy chooses the fractional length %4.")
        .arg(precision.spec.format.wordBits)
        .arg(precision.spec.format.codeCount())
        .arg(policyLabel(precision.policy),
             precision.policyInterval > 0 ? QString("every %1 steps").arg(precision.policyInterval)
                                          : QString("once, at the first step"));
}

void PrecisionDialog::updateState()
{
    const bool makesFloat = floatChoice_->isChecked() && fieldSet(Field::Format);
    const auto policy = FractionalLengthPolicy(policy_->currentData().toInt());
    const bool manual = policy == FractionalLengthPolicy::Manual;

    // Fixed-point fields mean nothing for a float tensor. The fractional length belongs to the
    // manual policy and the interval to the data-driven ones, unless a bulk edit leaves the policy
    // as it is.
    for (Field field : {Field::WordBits, Field::Policy, Field::FractionalLength, Field::Interval, Field::Rounding,
                        Field::Overflow})
        if (QCheckBox* box = fieldBox(field))
            box->setEnabled(!makesFloat);
    wordBits_->setEnabled(!makesFloat);
    policy_->setEnabled(!makesFloat);
    rounding_->setEnabled(!makesFloat);
    overflow_->setEnabled(!makesFloat);
    const bool policyKnown = !isBulk() || fieldSet(Field::Policy);
    fractionalLength_->setEnabled(!makesFloat && (manual || !policyKnown));
    const bool intervalUsed = !makesFloat && (!manual || !policyKnown);
    onceChoice_->setEnabled(intervalUsed);
    everyChoice_->setEnabled(intervalUsed);
    interval_->setEnabled(intervalUsed);

    const PrecisionChange edit = change();
    const std::vector<TensorCell> targets = targetCells();
    problemText_.clear();
    QString hint;
    if (edit.empty())
        hint = "Tick the fields to change.";
    else if (targets.empty())
        hint = "Every selected tensor is float: tick Format and choose fixed point to change them.";
    else if (auto reason = document_->checkPrecisionChange(targets, edit))
        problemText_ = *reason + ".";

    preview_->setText(edit.empty() || targets.empty() ? QString() : previewText(edit));
    problem_->setStyleSheet(problemText_.isEmpty() ? "QLabel { color: palette(text); }"
                                                   : "QLabel { color: #b00020; font-weight: bold; }");
    problem_->setText(problemText_.isEmpty() ? hint : problemText_);
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(problemText_.isEmpty() && hint.isEmpty());
}

} // namespace fxlab::gui
