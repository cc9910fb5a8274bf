// Per-thread allocation counting by interposing the C allocator; see CAllocationCounter.h.
// Technique after SwiftNIO's allocation-counter test framework and ordo-one/malloc-interposer,
// simplified: glibc exports its allocator as __libc_malloc & co., so no dlsym bootstrap is needed.
#define _GNU_SOURCE
#include "CAllocationCounter.h"
#include <stdlib.h>

// Sanitizers bring their own malloc interceptors: leave the allocator to them.
#if defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#    define SFULAB_ALLOCATION_COUNTER_DISABLED 1
#  endif
#endif

#if defined(__linux__) && defined(__GLIBC__) && !defined(SFULAB_ALLOCATION_COUNTER_DISABLED)
#define SFULAB_ALLOCATION_COUNTER_ENABLED 1

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);

// Thread-local: counting on one thread never sees another thread's allocations, and no atomic
// operation is needed on the allocation path. In an executable these use the local-exec TLS
// model, which never allocates.
static __thread bool t_counting = false;
static __thread uint64_t t_allocations = 0;
static __thread uint64_t t_frees = 0;
static __thread uint64_t t_bytes = 0;

static inline void count_allocation(size_t size) {
    if (__builtin_expect(t_counting, 0)) {
        t_allocations += 1;
        t_bytes += size;
    }
}

void *malloc(size_t size) {
    count_allocation(size);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_allocation(count * size);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    count_allocation(size);
    return __libc_realloc(pointer, size);
}

void free(void *pointer) {
    if (pointer != NULL && __builtin_expect(t_counting, 0)) { t_frees += 1; }
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) { return EINVAL; }
    count_allocation(size);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) { return ENOMEM; }
    *result = pointer;
    return 0;
}

void *valloc(size_t size) {
    count_allocation(size);
    return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

bool sfulab_allocation_counter_is_supported(void) { return true; }

#else

bool sfulab_allocation_counter_is_supported(void) { return false; }

#endif

void sfulab_allocation_counter_start(void) {
#if SFULAB_ALLOCATION_COUNTER_ENABLED
    t_allocations = 0;
    t_frees = 0;
    t_bytes = 0;
    t_counting = true;
#endif
}

sfulab_allocation_counts sfulab_allocation_counter_read(void) {
    sfulab_allocation_counts counts = {0, 0, 0};
#if SFULAB_ALLOCATION_COUNTER_ENABLED
    counts.allocations = t_allocations;
    counts.frees = t_frees;
    counts.bytes = t_bytes;
#endif
    return counts;
}

sfulab_allocation_counts sfulab_allocation_counter_stop(void) {
    sfulab_allocation_counts counts = sfulab_allocation_counter_read();
#if SFULAB_ALLOCATION_COUNTER_ENABLED
    t_counting = false;
#endif
    return counts;
}
