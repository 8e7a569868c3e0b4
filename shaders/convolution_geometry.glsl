// The geometry of a 2-D convolution with a square kernel, stride and zero padding, as the CPU
// reference lays it out: tensors are sample after sample, channel after channel, row-major, and
// weights are [output channel][input channel][kernel row][kernel column]. A dense layer is the
// convolution of a 1x1 map with channels = inputs and a 1x1 kernel.
#ifndef FXLAB_CONVOLUTION_GEOMETRY_GLSL
#define FXLAB_CONVOLUTION_GEOMETRY_GLSL

// Field order and types match ConvolutionGeometry in core/backend/vulkan.
struct ConvolutionGeometry {
    int batch;
    int inChannels;
    int inHeight;
    int inWidth;
    int outChannels;
    int outHeight;
    int outWidth;
    int kernel;
    int stride;
    int padding;
};

int positionsOf(ConvolutionGeometry g)
{
    return g.outHeight * g.outWidth;
}

// The number of weights per output channel: input channels x kernel rows x kernel columns.
int columnRowsOf(ConvolutionGeometry g)
{
    return g.inChannels * g.kernel * g.kernel;
}

uint inputIndex(ConvolutionGeometry g, int sampleIndex, int channel, int y, int x)
{
    return uint(((sampleIndex * g.inChannels + channel) * g.inHeight + y) * g.inWidth + x);
}

uint outputIndex(ConvolutionGeometry g, int sampleIndex, int channel, int position)
{
    return uint((sampleIndex * g.outChannels + channel) * positionsOf(g) + position);
}

// The output coordinate that reads input coordinate `inputCoordinate` through kernel offset
// `offset`, or -1 when there is none: the output y with y * stride - padding + ky = input y.
int outputCoordinate(int inputCoordinate, int offset, int stride, int padding, int outputSize)
{
    const int scaled = inputCoordinate + padding - offset;
    if (scaled < 0 || scaled % stride != 0)
        return -1;
    const int coordinate = scaled / stride;
    return coordinate < outputSize ? coordinate : -1;
}

#endif
