#pragma once

#include <QLoggingCategory>

namespace fxlab {

// Defined in trainer.cpp, inside namespace fxlab, so the declaration must be there too.
Q_DECLARE_LOGGING_CATEGORY(logTrain)

} // namespace fxlab
