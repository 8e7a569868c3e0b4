// Counter-based random bits: Philox4x32 with 10 rounds, the same function as
// core/numeric/philox.h, so a shader draws exactly the bits that the CPU reference draws.
#ifndef FXLAB_PHILOX_GLSL
#define FXLAB_PHILOX_GLSL

uvec4 philox4x32(uvec4 counter, uvec2 key)
{
    const uint kMultiplier0 = 0xD2511F53u;
    const uint kMultiplier1 = 0xCD9E8D57u;
    const uint kWeyl0 = 0x9E3779B9u;
    const uint kWeyl1 = 0xBB67AE85u;

    for (int iteration = 0; iteration < 10; ++iteration) {
        uint high0, low0, high1, low1;
        umulExtended(kMultiplier0, counter.x, high0, low0);
        umulExtended(kMultiplier1, counter.z, high1, low1);
        counter = uvec4(high1 ^ counter.y ^ key.x, low1, high0 ^ counter.w ^ key.y, low0);
        key.x += kWeyl0;
        key.y += kWeyl1;
    }
    return counter;
}

// The random bits of one tensor at one training step, as RandomStream in core/numeric/philox.h:
// the key is the run seed, the counter is (element index, step, layer, tensor).
struct RandomStream {
    uint seedLow;
    uint seedHigh;
    uint step;
    uint layer;
    uint tensor;
};

uint randomBits(RandomStream stream, uint index)
{
    const uvec2 key = uvec2(stream.seedLow, stream.seedHigh);
    return philox4x32(uvec4(index, stream.step, stream.layer, stream.tensor), key).x;
}

#endif
