#include "shader_registry.h"
