#include "layer_table_model.h"

#include "precision_text.h"

#include <QBrush>
#include <QFont>
#include <QPalette>

namespace fxlab::gui {

namespace {

// A light tint of the plots' sky blue, light enough for dark text.
const QColor kStochasticBackground{214, 236, 250};

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
        return "Activation gradients";
    case TensorKind::WeightGradients:
        return "Weight gradients";
    }
    return {};
}

QString headerToolTip(TensorKind kind)
{
    switch (kind) {
    case TensorKind::Weights:
        return "The weights of convolution and dense layers.";
    case TensorKind::Biases:
        return "The biases of convolution and dense layers.";
    case TensorKind::Activations:
        return "Each layer's output; in the input row, the data entering the first layer.";
    case TensorKind::ActivationGradients:
        return "The error a layer sends down to its input during back-propagation.";
    case TensorKind::WeightGradients:
        return "The gradients of the weights, which bias gradients share.";
    }
    return {};
}

// Short type names for the row headers.
QString typeLabel(LayerType type)
{
    switch (type) {
    case LayerType::Convolution:
        return "convolution";
    case LayerType::ReLU:
        return "ReLU";
    case LayerType::MaxPool:
        return "max-pool";
    case LayerType::AveragePool:
        return "avg-pool";
    case LayerType::Flatten:
        return "flatten";
    case LayerType::Dense:
        return "dense";
    case LayerType::SoftmaxCrossEntropy:
        return "output";
    }
    return {};
}

} // namespace

LayerTableModel::LayerTableModel(ExperimentDocument* document, QObject* parent)
    : QAbstractTableModel(parent), document_(document)
{
    qRegisterMetaType<fxlab::PrecisionPlan>();
    qRegisterMetaType<fxlab::TensorPrecision>();
    shownLayers_ = int(document_->network().layers.size());
    connect(document_, &ExperimentDocument::networkChanged, this, &LayerTableModel::followNetwork);
    connect(document_, &ExperimentDocument::planChanged, this, &LayerTableModel::emitCellsChanged);
}

int LayerTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : shownLayers_ + 1;
}

int LayerTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kColumnCount;
}

std::optional<TensorKind> LayerTableModel::kindOfColumn(int column)
{
    if (column < FirstKindColumn || column >= FirstKindColumn + kColumnCount)
        return std::nullopt;
    return kAllTensorKinds[size_t(column - FirstKindColumn)];
}

std::optional<TensorCell> LayerTableModel::cellAt(const QModelIndex& index) const
{
    const auto kind = kindOfColumn(index.column());
    if (!index.isValid() || !kind || index.row() >= rowCount())
        return std::nullopt;
    if (index.row() == kInputRow)
        return TensorCell{TensorCell::kInputLayer, *kind};
    return TensorCell{layerOfRow(index.row()), *kind};
}

QModelIndex LayerTableModel::indexOf(const TensorCell& cell) const
{
    if (cell.isInput())
        return index(kInputRow, columnOf(TensorKind::Activations));
    return indexOf(cell.layer, cell.kind);
}

std::optional<int> LayerTableModel::currentFractionalLength(const TensorCell& cell) const
{
    if (cell.isInput())
        return inputFractionalLength_;
    const size_t position = size_t(cell.layer) * kTensorKindCount + size_t(cell.kind);
    if (position >= fractionalLengths_.size())
        return std::nullopt;
    return fractionalLengths_[position];
}

QVariant LayerTableModel::data(const QModelIndex& index, int role) const
{
    const auto cell = cellAt(index);
    if (!cell)
        return {};
    // The input row has one tensor, the data, shown in the activations column.
    const bool inputRow = cell->isInput();
    const bool present = inputRow ? cell->kind == TensorKind::Activations : document_->hasTensor(*cell);
    if (!present) {
        if (role == Qt::DisplayRole)
            return QString::fromUtf8("\u2013");
        if (role == Qt::ToolTipRole)
            return inputRow ? QString("The input row has only the data, in the activations column.")
                            : absentTensorReason(network(), *cell) + ".";
        if (role == PresentRole || role == DataDrivenRole)
            return false;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignCenter);
        if (role == Qt::BackgroundRole)
            return QBrush(QPalette().color(QPalette::Window));
        return {};
    }

    const TensorPrecision& precision = document_->precision(*cell);
    const std::optional<int> current = currentFractionalLength(*cell);
    switch (role) {
    case Qt::DisplayRole:
        return cellText(precision, current);
    case LineVariantsRole: {
        QVariantList lines;
        for (const QStringList& variants : cellLineVariants(precision, current))
            lines << variants;
        return lines;
    }
    case Qt::ToolTipRole:
        return document_->tensorName(*cell) + ": " + precisionDescription(precision, current)
            + "\n\nDouble-click to edit. Select several cells, a column (click its header) or a row for a bulk edit.";
    case Qt::ForegroundRole:
        if (precision.isFloat)
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case Qt::BackgroundRole:
        // Stochastic rounding stays visible when a narrow column leaves out the rounding's name.
        if (!precision.isFloat && precision.spec.rounding == RoundingMode::Stochastic)
            return QBrush(kStochasticBackground);
        return {};
    case Qt::TextAlignmentRole:
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::EditRole:
    case PrecisionRole:
        return QVariant::fromValue(precision);
    case WordBitsRole:
        return precision.isFloat ? QVariant() : QVariant(precision.spec.format.wordBits);
    case FractionalLengthRole:
        if (precision.isFloat)
            return {};
        return isDataDriven(precision) && current ? *current : precision.spec.format.fractionalLength;
    case RoundingRole:
        return precision.isFloat ? QVariant() : QVariant(QString::fromLatin1(toString(precision.spec.rounding)));
    case DataDrivenRole:
        return isDataDriven(precision);
    case PresentRole:
        return true;
    default:
        return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        const auto kind = kindOfColumn(section);
        if (!kind)
            return {};
        if (role == Qt::DisplayRole)
            return headerLabel(*kind);
        if (role == Qt::ToolTipRole)
            return headerToolTip(*kind) + "\nClick to select the column for a bulk edit.";
        return {};
    }

    if (section < 0 || section >= rowCount())
        return {};
    const int layer = layerOfRow(section);
    if (role == Qt::DisplayRole) {
        if (section == kInputRow)
            return "input\n" + QString::fromStdString(toString(network().input)) + " data";
        const LayerSpec& spec = network().layers[size_t(layer)];
        return QString::fromStdString(spec.name) + "\n" + typeLabel(spec.type);
    }
    if (role == Qt::ToolTipRole)
        return "Click to select the row for a bulk edit.";
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    return {};
}

Qt::ItemFlags LayerTableModel::flags(const QModelIndex& index) const
{
    // Absent tensors are neither selectable nor enabled, so that selecting a whole row or column
    // for a bulk edit takes only tensors that exist.
    if (!index.isValid() || !data(index, PresentRole).toBool())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

bool LayerTableModel::reject(const QString& reason)
{
    emit editRejected(reason);
    return false;
}

bool LayerTableModel::applyChange(const std::vector<TensorCell>& cells, const PrecisionChange& change)
{
    if (auto reason = document_->changePrecision(cells, change))
        return reject(*reason + ".");
    emit precisionEdited(document_->plan());
    return true;
}

bool LayerTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    const auto cell = cellAt(index);
    if (!cell)
        return false;
    if (cell->isInput() && cell->kind != TensorKind::Activations)
        return reject("The input row has only the data, in the activations column.");

    const QString name = document_->hasTensor(*cell) ? document_->tensorName(*cell) : QString();
    PrecisionChange change;
    switch (role) {
    case Qt::EditRole:
    case PrecisionRole:
        if (!value.canConvert<TensorPrecision>())
            return false;
        change = PrecisionChange::replacingWith(value.value<TensorPrecision>());
        break;
    case WordBitsRole: {
        bool isNumber = false;
        change.wordBits = value.toInt(&isNumber);
        if (!isNumber)
            return reject(name + ": word bits must be a whole number, not \"" + value.toString() + "\".");
        break;
    }
    case FractionalLengthRole: {
        bool isNumber = false;
        change.fractionalLength = value.toInt(&isNumber);
        if (!isNumber)
            return reject(name + ": the fractional length must be a whole number, not \"" + value.toString() + "\".");
        break;
    }
    case RoundingRole: {
        const auto rounding = parseRoundingMode(value.toString().toStdString());
        if (!rounding)
            return reject(name + ": unknown rounding mode \"" + value.toString() + "\": use one of "
                          + QString::fromStdString(roundingModeNames()) + ".");
        change.rounding = *rounding;
        break;
    }
    default:
        return false;
    }
    return applyChange({*cell}, change);
}

void LayerTableModel::showSnapshot(const Snapshot& snapshot)
{
    SnapshotLengths lengths;
    if (snapshot.step > 0) {
        lengths.network = snapshot.experiment.network;
        lengths.layers = snapshot.fractionalLengths;
        if (snapshot.statistics.input.present && snapshot.statistics.input.isFixed)
            lengths.input = snapshot.statistics.input.format.fractionalLength;
    }
    if (lengths.network == snapshotLengths_.network && lengths.layers == snapshotLengths_.layers
        && lengths.input == snapshotLengths_.input)
        return;
    snapshotLengths_ = std::move(lengths);
    if (takeSnapshotLengths())
        emitCellsChanged();
}

bool LayerTableModel::takeSnapshotLengths()
{
    std::vector<int> fractionalLengths;
    std::optional<int> inputFractionalLength;
    // Fractional lengths belong to the run's layers; while the edited network differs from the
    // run's, they would land on the wrong rows.
    if (snapshotLengths_.network == network()) {
        fractionalLengths = snapshotLengths_.layers;
        inputFractionalLength = snapshotLengths_.input;
    }
    if (fractionalLengths == fractionalLengths_ && inputFractionalLength == inputFractionalLength_)
        return false;
    fractionalLengths_ = std::move(fractionalLengths);
    inputFractionalLength_ = inputFractionalLength;
    return true;
}

void LayerTableModel::followNetwork()
{
    const int layers = int(document_->network().layers.size());
    if (layers != shownLayers_) {
        beginResetModel();
        shownLayers_ = layers;
        takeSnapshotLengths();
        endResetModel();
        return;
    }
    takeSnapshotLengths();
    emit headerDataChanged(Qt::Vertical, 0, rowCount() - 1);
    emitCellsChanged();
}

void LayerTableModel::emitCellsChanged()
{
    // A range rather than single cells, so that views leave any open editor alone.
    emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1));
}

} // namespace fxlab::gui
