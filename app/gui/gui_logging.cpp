#include "gui_logging.h"

Q_LOGGING_CATEGORY(logGui, "fxlab.gui")
