// The 2x2 pooling window with stride 2 of the CPU reference: output (y, x) of a channel covers
// input rows 2y, 2y + 1 and columns 2x, 2x + 1. Odd trailing rows and columns take no part.
#ifndef FXLAB_POOL_GEOMETRY_GLSL
#define FXLAB_POOL_GEOMETRY_GLSL

// Field order and types match PoolGeometry in core/backend/vulkan.
struct PoolGeometry {
    uint channels;
    uint inHeight;
    uint inWidth;
    uint outHeight;
    uint outWidth;
};

// The input index of window element (dy, dx) of output `index`, which counts over the batch.
uint windowSource(PoolGeometry g, uint index, uint dy, uint dx)
{
    const uint outSize = g.channels * g.outHeight * g.outWidth;
    const uint sampleIndex = index / outSize, within = index % outSize;
    const uint channel = within / (g.outHeight * g.outWidth);
    const uint y = within / g.outWidth % g.outHeight, x = within % g.outWidth;
    const uint inSize = g.channels * g.inHeight * g.inWidth;
    return sampleIndex * inSize + (channel * g.inHeight + 2u * y + dy) * g.inWidth + 2u * x + dx;
}

// The output index whose window covers input `index`, or 0xFFFFFFFF for the odd trailing rows
// and columns.
uint windowOf(PoolGeometry g, uint index)
{
    const uint inSize = g.channels * g.inHeight * g.inWidth;
    const uint sampleIndex = index / inSize, within = index % inSize;
    const uint channel = within / (g.inHeight * g.inWidth);
    const uint y = within / g.inWidth % g.inHeight, x = within % g.inWidth;
    if (y >= 2u * g.outHeight || x >= 2u * g.outWidth)
        return 0xFFFFFFFFu;
    const uint outSize = g.channels * g.outHeight * g.outWidth;
    return sampleIndex * outSize + (channel * g.outHeight + y / 2u) * g.outWidth + x / 2u;
}

#endif
