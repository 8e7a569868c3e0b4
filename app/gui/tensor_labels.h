// Names of tensor kinds as the views print them: "activation gradients", not "activation-gradients".
#pragma once

#include "model/precision.h"

#include <QString>

namespace fxlab::gui {

// The plural name of a tensor kind: "weights", "activation gradients".
inline QString kindName(TensorKind kind)
{
    return QString::fromLatin1(toString(kind)).replace('-', ' ');
}

// The singular noun for one element of a tensor kind, for axis labels: "weight value".
inline QString elementNoun(TensorKind kind)
{
    switch (kind) {
    case TensorKind::Weights:
        return "weight";
    case TensorKind::Biases:
        return "bias";
    case TensorKind::Activations:
        return "activation";
    case TensorKind::ActivationGradients:
        return "activation gradient";
    case TensorKind::WeightGradients:
        return "weight gradient";
    }
    return "element";
}

} // namespace fxlab::gui
