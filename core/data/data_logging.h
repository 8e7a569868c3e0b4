// The logging category of the data module, "fxlab.data": one info line per loaded data set.
#pragma once

#include <QLoggingCategory>

namespace fxlab {

Q_DECLARE_LOGGING_CATEGORY(lcData)

} // namespace fxlab
