// Per-thread heap allocation counter for benchmarks and allocation tests.
//
// Linking this target into an executable interposes malloc, calloc, realloc, free,
// posix_memalign, aligned_alloc, memalign and valloc (ELF symbol interposition: the
// executable's definitions win over libc's for every shared library, including the Swift
// runtime). Each call is forwarded to glibc's own implementation (`__libc_malloc` and friends),
// so the allocator and its behaviour are unchanged; when counting is enabled on the calling
// thread, the call is also counted in thread-local counters. Counting is per thread, so tests
// running in parallel on other threads do not disturb a measurement.
#ifndef SFULAB_ALLOCATION_COUNTER_H
#define SFULAB_ALLOCATION_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Allocation calls seen on one thread while counting was enabled.
typedef struct {
    /// malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign and valloc calls.
    uint64_t allocations;
    /// free calls with a non-null pointer (realloc's implicit frees are not counted).
    uint64_t frees;
    /// Bytes requested by the counted allocation calls.
    uint64_t bytes;
} sfulab_allocation_counts;

/// Zeroes the calling thread's counters and starts counting on it.
void sfulab_allocation_counter_start(void);

/// Stops counting on the calling thread and returns what was counted since the last start.
sfulab_allocation_counts sfulab_allocation_counter_stop(void);

/// What the calling thread has counted so far (counting continues).
sfulab_allocation_counts sfulab_allocation_counter_read(void);

/// True on platforms where this target interposes the allocator (Linux with glibc).
bool sfulab_allocation_counter_is_supported(void);

#ifdef __cplusplus
}
#endif

#endif
