// Quantiles of the samples a benchmark times one by one (its p50_ns / p99_ns counters), with
// one convention for every benchmark: the sample at index q * (n - 1) of the sorted samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace combo::bench {

// The q-quantile (0 <= q <= 1) of `sorted` (ascending, not empty).
inline double QuantileOfSorted(const std::vector<int64_t>& sorted, double q) {
  return static_cast<double>(
      sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1))]);
}

}  // namespace combo::bench
