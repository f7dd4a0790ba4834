// AllocationCounter: counts calls to the global operator new, for the benchmark and the test that
// prove the order book's hot paths allocate nothing in steady state.
//
// Including this header in exactly one translation unit of a program (a test or a benchmark,
// never a library) replaces the global operator new/delete with counting versions. Not for
// production code. The counter is a relaxed atomic: safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace combo::venues {

inline std::atomic<int64_t> g_heap_allocations{0};

inline int64_t HeapAllocations() { return g_heap_allocations.load(std::memory_order_relaxed); }

}  // namespace combo::venues

void* operator new(std::size_t size) {
  combo::venues::g_heap_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  std::abort();
}
void* operator new[](std::size_t size) {
  combo::venues::g_heap_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  std::abort();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
