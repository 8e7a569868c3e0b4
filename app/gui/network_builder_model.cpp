#include "network_builder_model.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QStyle>

namespace fxlab::gui {

namespace {

// Spin box limits. They only keep typing errors out; shape inference decides what fits.
constexpr int kMaxFilters = 1024;
constexpr int kMaxUnits = 8192;
constexpr int kMaxKernel = 64;
constexpr int kMaxStride = 64;
constexpr int kMaxPadding = 64;

const QColor kProblemText{176, 0, 32};
const QColor kProblemBackground{255, 228, 228};

QString typeLabel(LayerType type)
{
    switch (type) {
    case LayerType::Convolution:
        return "convolution";
    case LayerType::ReLU:
        return "ReLU";
    case LayerType::MaxPool:
        return "max-pool 2x2";
    case LayerType::AveragePool:
        return "average-pool 2x2";
    case LayerType::Flatten:
        return "flatten";
    case LayerType::Dense:
        return "dense";
    case LayerType::SoftmaxCrossEntropy:
        return "softmax cross-entropy (output)";
    }
    return {};
}

} // namespace

QString groupedNumber(size_t value)
{
    QLocale locale(QLocale::English);
    locale.setNumberOptions(QLocale::DefaultNumberOptions);
    return locale.toString(qulonglong(value));
}

NetworkBuilderModel::NetworkBuilderModel(ExperimentDocument* document, QObject* parent)
    : QAbstractTableModel(parent), document_(document), shownLayers_(int(document->network().layers.size()))
{
    connect(document_, &ExperimentDocument::networkChanged, this, &NetworkBuilderModel::followNetwork);
}

int NetworkBuilderModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : shownLayers_;
}

int NetworkBuilderModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kColumnCount;
}

bool NetworkBuilderModel::appliesTo(int column, LayerType type)
{
    switch (column) {
    case NameColumn:
    case TypeColumn:
    case ParametersColumn:
    case OutputColumn:
        return true;
    case SizeColumn:
    case BiasColumn:
        return type == LayerType::Convolution || type == LayerType::Dense;
    case KernelColumn:
    case StrideColumn:
    case PaddingColumn:
        return type == LayerType::Convolution;
    default:
        return false;
    }
}

std::pair<int, int> NetworkBuilderModel::valueRange(int column, LayerType type)
{
    switch (column) {
    case SizeColumn:
        return {1, type == LayerType::Dense ? kMaxUnits : kMaxFilters};
    case KernelColumn:
        return {1, kMaxKernel};
    case StrideColumn:
        return {1, kMaxStride};
    case PaddingColumn:
        return {0, kMaxPadding};
    default:
        return {0, 0};
    }
}

std::optional<Shape> NetworkBuilderModel::inputShapeOf(int row) const
{
    if (row == 0)
        return document_->network().input;
    const ShapeReport& shapes = document_->shapes();
    const size_t above = size_t(row - 1);
    if (above >= shapes.outputs.size() || above >= shapes.errors.size())
        return std::nullopt;
    // A layer at or below the first problem has no input shape to count with.
    for (size_t layer = 0; layer <= above; ++layer)
        if (!shapes.errors[layer].empty())
            return std::nullopt;
    return shapes.outputs[above];
}

std::optional<size_t> NetworkBuilderModel::parameterCount(int row) const
{
    const auto input = inputShapeOf(row);
    if (!input)
        return std::nullopt;
    const LayerSpec& layer = document_->network().layers[size_t(row)];
    return weightCount(layer, *input) + biasCount(layer, *input);
}

size_t NetworkBuilderModel::totalParameters() const
{
    size_t total = 0;
    for (int row = 0; row < rowCount(); ++row)
        total += parameterCount(row).value_or(0);
    return total;
}

QVariant NetworkBuilderModel::displayValue(const LayerSpec& layer, int row, int column) const
{
    if (!appliesTo(column, layer.type))
        return QString::fromUtf8("\u2013");
    switch (column) {
    case NameColumn:
        return QString::fromStdString(layer.name);
    case TypeColumn:
        return typeLabel(layer.type);
    case SizeColumn:
        return layer.type == LayerType::Dense ? layer.units : layer.filters;
    case KernelColumn:
        return QString("%1x%1").arg(layer.kernel);
    case StrideColumn:
        return layer.stride;
    case PaddingColumn:
        return layer.padding;
    case BiasColumn:
        return QVariant();
    case ParametersColumn: {
        const auto count = parameterCount(row);
        if (!count)
            return QString::fromUtf8("\u2013");
        return layer.hasWeights() ? groupedNumber(*count) : QString("0");
    }
    case OutputColumn: {
        const QString problem = document_->layerProblems().at(size_t(row));
        if (!problem.isEmpty())
            return problem;
        if (!inputShapeOf(row))
            return QString::fromUtf8("\u2013");
        return QString::fromStdString(toString(document_->shapes().outputs.at(size_t(row))));
    }
    default:
        return {};
    }
}

QVariant NetworkBuilderModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    const int column = index.column();
    const LayerSpec& layer = document_->network().layers[size_t(row)];
    const QString problem = document_->layerProblems().at(size_t(row));
    const bool applies = appliesTo(column, layer.type);

    switch (role) {
    case Qt::DisplayRole:
        return displayValue(layer, row, column);
    case Qt::EditRole:
        if (column == NameColumn)
            return QString::fromStdString(layer.name);
        if (column == KernelColumn)
            return layer.kernel;
        return displayValue(layer, row, column);
    case Qt::CheckStateRole:
        if (column == BiasColumn && applies)
            return layer.bias ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::DecorationRole:
        if (column == NameColumn && !problem.isEmpty())
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::ForegroundRole:
        if (column == OutputColumn && !problem.isEmpty())
            return QBrush(kProblemText);
        if (!applies || (column == OutputColumn && !inputShapeOf(row)))
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case Qt::BackgroundRole:
        if (!problem.isEmpty())
            return QBrush(kProblemBackground);
        return {};
    case Qt::TextAlignmentRole:
        if (column == NameColumn || column == TypeColumn || column == OutputColumn)
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        return int(Qt::AlignCenter);
    case Qt::ToolTipRole:
        if (!problem.isEmpty())
            return "This layer cannot work: " + problem + ".";
        if (column == ParametersColumn && layer.hasWeights()) {
            const auto input = inputShapeOf(row);
            if (!input)
                return {};
            return QString("%1 weights and %2 biases")
                .arg(groupedNumber(weightCount(layer, *input)), groupedNumber(biasCount(layer, *input)));
        }
        if (column == OutputColumn && !inputShapeOf(row))
            return "Unknown until the problem above is fixed.";
        if (column == OutputColumn)
            return "Output shape: channels x height x width, or the length of a vector.";
        if (!applies)
            return "A " + typeLabel(layer.type) + " layer has no such parameter.";
        return {};
    case ProblemRole:
        return problem;
    default:
        return {};
    }
}

QVariant NetworkBuilderModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return "Layer";
        case TypeColumn:
            return "Type";
        case SizeColumn:
            return "Filters or units";
        case KernelColumn:
            return "Kernel";
        case StrideColumn:
            return "Stride";
        case PaddingColumn:
            return "Padding";
        case BiasColumn:
            return "Bias";
        case ParametersColumn:
            return "Parameters";
        case OutputColumn:
            return "Output shape or problem";
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case SizeColumn:
            return "Output channels of a convolution, outputs of a dense layer.";
        case KernelColumn:
            return "Square kernel of a convolution, in pixels.";
        case StrideColumn:
            return "Step of a convolution's kernel, in pixels.";
        case PaddingColumn:
            return "Zero pixels added on each side of a convolution's input.";
        case ParametersColumn:
            return "Weights and biases the layer trains.";
        default:
            return {};
        }
    }
    return {};
}

Qt::ItemFlags NetworkBuilderModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const LayerType type = document_->network().layers[size_t(index.row())].type;
    if (!appliesTo(index.column(), type))
        return flags;
    switch (index.column()) {
    case NameColumn:
    case SizeColumn:
    case KernelColumn:
    case StrideColumn:
    case PaddingColumn:
        return flags | Qt::ItemIsEditable;
    case BiasColumn:
        return flags | Qt::ItemIsUserCheckable;
    default:
        return flags;
    }
}

bool NetworkBuilderModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.row() >= rowCount() || !(flags(index) & (Qt::ItemIsEditable | Qt::ItemIsUserCheckable)))
        return false;
    LayerSpec layer = document_->network().layers[size_t(index.row())];

    if (index.column() == BiasColumn) {
        if (role != Qt::CheckStateRole)
            return false;
        layer.bias = value.value<Qt::CheckState>() == Qt::Checked;
        document_->editLayer(index.row(), layer);
        return true;
    }
    if (role != Qt::EditRole)
        return false;

    if (index.column() == NameColumn) {
        const QString name = value.toString().trimmed();
        if (name.isEmpty())
            return false;
        layer.name = name.toStdString();
        document_->editLayer(index.row(), layer);
        return true;
    }

    bool isNumber = false;
    const int number = value.toInt(&isNumber);
    const auto [minimum, maximum] = valueRange(index.column(), layer.type);
    if (!isNumber || number < minimum || number > maximum)
        return false;
    switch (index.column()) {
    case SizeColumn:
        (layer.type == LayerType::Dense ? layer.units : layer.filters) = number;
        break;
    case KernelColumn:
        layer.kernel = number;
        break;
    case StrideColumn:
        layer.stride = number;
        break;
    case PaddingColumn:
        layer.padding = number;
        break;
    default:
        return false;
    }
    document_->editLayer(index.row(), layer);
    return true;
}

void NetworkBuilderModel::followNetwork()
{
    const int layers = int(document_->network().layers.size());
    if (layers != shownLayers_) {
        beginResetModel();
        shownLayers_ = layers;
        endResetModel();
        return;
    }
    if (layers > 0)
        emit dataChanged(index(0, 0), index(layers - 1, kColumnCount - 1));
}

} // namespace fxlab::gui
