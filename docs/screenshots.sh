#!/bin/sh
# Regenerates the pictures of the user guide, docs/view-*.png. fxlab draws each view itself,
# offscreen (--view and --screenshot), after a short run on Fashion-MNIST.
#
# usage: docs/screenshots.sh [BUILD_DIR]     (default: build; needs BUILD_DIR/app/gui/fxlab)
# STEPS=N sets the training steps before each picture (default 300).
set -eu

docs=$(cd "$(dirname "$0")" && pwd)
build=${1:-$docs/../build}
fxlab=$build/app/gui/fxlab
steps=${STEPS:-300}
if [ ! -x "$fxlab" ]; then
    echo "screenshots.sh: $fxlab not found: build fxlab first, or give the build folder" >&2
    exit 1
fi
export QT_QPA_PLATFORM=offscreen

# shot NAME VIEW OPTIONS...: trains, then saves the view VIEW (or the whole window for "window")
# to docs/view-NAME.png.
shot() {
    name=$1
    view=$2
    shift 2
    if [ "$view" = window ]; then
        set -- "$@"
    else
        set -- --view "$view" "$@"
    fi
    echo "view-$name.png"
    "$fxlab" --backend cpu --autostart --steps "$steps" --screenshot "$docs/view-$name.png" --quit "$@" \
        > /dev/null 2>&1 || { echo "screenshots.sh: fxlab failed for view-$name.png" >&2; exit 1; }
}

shot window window --preset fixed8
shot curves curves --preset fixed8
shot builder builder --preset fixed8
shot precision precision --preset fixed8
shot histograms histograms --preset fixed8
shot heatmap heatmap --preset underflow
shot timeline timeline --preset fixed8
shot samples samples --preset fixed8
shot runs runs --preset fixed8-nearest --compare fixed8-stochastic,underflow
shot comparison comparison --preset fixed8-nearest --compare fixed8-stochastic,underflow
shot presets presets --preset underflow
shot underflow-histograms histograms --preset underflow
shot presentation window --preset fixed8 --presentation
