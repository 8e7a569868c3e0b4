// Event counters that cannot wrap: each is a uint64 kept as (low word, high word), and an add
// that wraps the low word carries one into the high word. The including shader declares the
// storage buffer `counters` (uint words) before including this file.
// A counter slot is kEventSlotWords words: elements, saturated, underflowed and NaN counts, in
// the order of QuantEvents.
#ifndef FXLAB_EVENT_COUNTERS_GLSL
#define FXLAB_EVENT_COUNTERS_GLSL

const uint kEventSlotWords = 8u;
const uint kElementsCounter = 0u;
const uint kSaturatedCounter = 1u;
const uint kUnderflowedCounter = 2u;
const uint kNotANumberCounter = 3u;

// Adds `amount` to the 64-bit counter whose low word is counters[lowWord].
void addToCounter(uint lowWord, uint amount)
{
    if (amount == 0u)
        return;
    const uint previous = atomicAdd(counters[lowWord], amount);
    if (previous + amount < previous)
        atomicAdd(counters[lowWord + 1u], 1u);
}

#endif
