#include "layer_table_model.h"

#include <QBrush>
#include <QPalette>

namespace fxlab::gui {

namespace {

// Tensor kind names for people: "activation gradients" rather than the file name
// "activation-gradients".
QString kindLabel(TensorKind kind)
{
    return QString::fromLatin1(toString(kind)).replace('-', ' ');
}

QString headerLabel(TensorKind kind)
{
    switch (kind) {
    case TensorKind::Weights:
        return "Weights";
    case TensorKind::Biases:
        return "Biases";
    case TensorKind::Activations:
        return "Activations";
    case TensorKind::ActivationGradients:
        return "Activation\ngradients";
    case TensorKind::WeightGradients:
        return "Weight\ngradients";
    }
    return {};
}

bool isDataDriven(const TensorPrecision& precision)
{
    return !precision.isFloat && precision.policy != FractionalLengthPolicy::Manual;
}

} // namespace

LayerTableModel::LayerTableModel(QObject* parent) : QAbstractTableModel(parent)
{
    qRegisterMetaType<fxlab::PrecisionPlan>();
    qRegisterMetaType<fxlab::TensorPrecision>();
}

int LayerTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(network_.layers.size());
}

int LayerTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kColumnCount;
}

std::optional<TensorKind> LayerTableModel::kindOfColumn(int column)
{
    if (column < FirstKindColumn || column >= kColumnCount)
        return std::nullopt;
    return kAllTensorKinds[size_t(column - FirstKindColumn)];
}

std::optional<int> LayerTableModel::currentFractionalLength(int layer, TensorKind kind) const
{
    const size_t position = size_t(layer) * kTensorKindCount + size_t(kind);
    if (position >= fractionalLengths_.size())
        return std::nullopt;
    return fractionalLengths_[position];
}

QString LayerTableModel::tensorName(int layer, TensorKind kind) const
{
    return QString::fromStdString(network_.layers[size_t(layer)].name) + " " + kindLabel(kind);
}

QString LayerTableModel::cellText(int layer, TensorKind kind) const
{
    if (!hasTensor(network_, size_t(layer), kind))
        return QString::fromUtf8("\u2013");
    const TensorPrecision& precision = plan_.at(size_t(layer), kind);
    if (precision.isFloat)
        return "float";

    QString fractionalLength = QString::number(precision.spec.format.fractionalLength);
    if (isDataDriven(precision)) {
        const auto current = currentFractionalLength(layer, kind);
        fractionalLength = current ? QString::number(*current) + "*" : QString("auto");
    }
    return QString("%1-bit, fl %2, %3")
        .arg(precision.spec.format.wordBits)
        .arg(fractionalLength, QString::fromLatin1(toString(precision.spec.rounding)));
}

QString LayerTableModel::cellToolTip(int layer, TensorKind kind) const
{
    const LayerSpec& spec = network_.layers[size_t(layer)];
    if (!hasTensor(network_, size_t(layer), kind))
        return QString::fromStdString(spec.name) + " has no " + kindLabel(kind) + ".";
    const TensorPrecision& precision = plan_.at(size_t(layer), kind);
    QString text = tensorName(layer, kind) + ": " + QString::fromStdString(precision.describe());
    if (precision.isFloat)
        return text + "\nFloat tensors cannot be edited here yet.";

    if (isDataDriven(precision)) {
        text += "\nThe fractional length is chosen from the data by the "
            + QString::fromLatin1(toString(precision.policy)) + " policy";
        text += precision.policyInterval > 0 ? QString(" every %1 steps").arg(precision.policyInterval)
                                             : QString(" at the first step");
        const auto current = currentFractionalLength(layer, kind);
        text += current ? QString("; it is %1 now.").arg(*current) : QString("; training has not started.");
    }
    return text + "\nDouble-click to edit the word bits and rounding.";
}

QVariant LayerTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int layer = index.row();
    const LayerSpec& spec = network_.layers[size_t(layer)];

    const auto kind = kindOfColumn(index.column());
    if (!kind) {
        if (role != Qt::DisplayRole)
            return {};
        if (index.column() == NameColumn)
            return QString::fromStdString(spec.name);
        if (index.column() == TypeColumn)
            return QString::fromLatin1(toString(spec.type));
        if (size_t(layer) < outputShapes_.size())
            return QString::fromStdString(toString(outputShapes_[size_t(layer)]));
        return {};
    }

    const bool present = hasTensor(network_, size_t(layer), *kind);
    const TensorPrecision& precision = plan_.at(size_t(layer), *kind);
    switch (role) {
    case Qt::DisplayRole:
        return cellText(layer, *kind);
    case Qt::ToolTipRole:
        return cellToolTip(layer, *kind);
    case Qt::ForegroundRole:
        if (!present || precision.isFloat)
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case Qt::EditRole:
    case PrecisionRole:
        return present ? QVariant::fromValue(precision) : QVariant();
    case WordBitsRole:
        return present && !precision.isFloat ? QVariant(precision.spec.format.wordBits) : QVariant();
    case FractionalLengthRole: {
        if (!present || precision.isFloat)
            return {};
        const auto current = currentFractionalLength(layer, *kind);
        return isDataDriven(precision) && current ? *current : precision.spec.format.fractionalLength;
    }
    case RoundingRole:
        return present && !precision.isFloat ? QVariant(QString::fromLatin1(toString(precision.spec.rounding)))
                                             : QVariant();
    case DataDrivenRole:
        return present && isDataDriven(precision);
    default:
        return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (const auto kind = kindOfColumn(section))
        return headerLabel(*kind);
    switch (section) {
    case NameColumn:
        return "Layer";
    case TypeColumn:
        return "Type";
    case OutputColumn:
        return "Output";
    default:
        return {};
    }
}

Qt::ItemFlags LayerTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    const auto kind = kindOfColumn(index.column());
    if (!index.isValid() || !kind)
        return flags;
    // NOTE: float tensors are read-only, because turning one into fixed point needs a policy and
    // format chosen by hand; edit the experiment file for that.
    if (hasTensor(network_, size_t(index.row()), *kind) && !plan_.at(size_t(index.row()), *kind).isFloat)
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool LayerTableModel::reject(const QString& reason)
{
    emit editRejected(reason);
    return false;
}

bool LayerTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    const auto kind = kindOfColumn(index.column());
    if (!index.isValid() || !kind || index.row() >= rowCount())
        return false;
    const int layer = index.row();
    const LayerSpec& spec = network_.layers[size_t(layer)];
    const QString name = tensorName(layer, *kind);
    if (!hasTensor(network_, size_t(layer), *kind))
        return reject(QString::fromStdString(spec.name) + " has no " + kindLabel(*kind) + " to edit.");

    const TensorPrecision& current = plan_.at(size_t(layer), *kind);
    TensorPrecision edited = current;
    const bool fieldRole = role == WordBitsRole || role == FractionalLengthRole || role == RoundingRole;
    if (fieldRole && current.isFloat)
        return reject(name + " is float: it has no fixed-point format to edit.");

    switch (role) {
    case Qt::EditRole:
    case PrecisionRole:
        if (!value.canConvert<TensorPrecision>())
            return false;
        edited = value.value<TensorPrecision>();
        break;
    case WordBitsRole: {
        bool isNumber = false;
        edited.spec.format.wordBits = value.toInt(&isNumber);
        if (!isNumber)
            return reject(name + ": word bits must be a whole number, not \"" + value.toString() + "\".");
        break;
    }
    case FractionalLengthRole: {
        if (isDataDriven(current))
            return reject(name + ": the fractional length is chosen by the "
                          + QString::fromLatin1(toString(current.policy))
                          + " policy, so it can only be set when the policy is manual.");
        bool isNumber = false;
        edited.spec.format.fractionalLength = value.toInt(&isNumber);
        if (!isNumber)
            return reject(name + ": the fractional length must be a whole number, not \"" + value.toString() + "\".");
        break;
    }
    case RoundingRole: {
        const auto rounding = parseRoundingMode(value.toString().toStdString());
        if (!rounding)
            return reject(name + ": unknown rounding mode \"" + value.toString() + "\": use one of "
                          + QString::fromStdString(roundingModeNames()) + ".");
        edited.spec.rounding = *rounding;
        break;
    }
    default:
        return false;
    }

    if (auto error = edited.validationError())
        return reject(name + ": " + QString::fromStdString(*error) + ".");
    if (edited == current)
        return true;

    PrecisionPlan plan = plan_;
    plan.at(size_t(layer), *kind) = edited;
    if (auto error = validatePlan(plan, network_))
        return reject(QString::fromStdString(*error) + ".");

    // Shown at once; the next snapshot brings the plan the worker actually uses.
    plan_ = std::move(plan);
    emit dataChanged(index, index);
    emit precisionEdited(plan_);
    return true;
}

void LayerTableModel::showSnapshot(const Snapshot& snapshot)
{
    const std::vector<int> fractionalLengths = snapshot.step > 0 ? snapshot.fractionalLengths : std::vector<int>{};
    // The worker rejects a plan of the wrong size when training starts. Until then the table shows
    // the missing entries as float instead of reading past the end of the plan.
    PrecisionPlan plan = snapshot.experiment.precision;
    plan.layers.resize(snapshot.experiment.network.layers.size());

    if (!(snapshot.experiment.network == network_)) {
        beginResetModel();
        network_ = snapshot.experiment.network;
        outputShapes_ = inferShapes(network_).outputs;
        plan_ = std::move(plan);
        fractionalLengths_ = fractionalLengths;
        endResetModel();
        return;
    }

    if (plan_ == plan && fractionalLengths_ == fractionalLengths)
        return;
    plan_ = std::move(plan);
    fractionalLengths_ = fractionalLengths;
    emitKindCellsChanged();
}

void LayerTableModel::emitKindCellsChanged()
{
    if (rowCount() == 0)
        return;
    // A range rather than single cells: views refresh an open editor only for a single-cell
    // change, and a snapshot must not overwrite what the user is typing.
    emit dataChanged(index(0, FirstKindColumn), index(rowCount() - 1, kColumnCount - 1));
}

} // namespace fxlab::gui
