// Metrics: how a component declares its Prometheus metric families and pre-builds its series.
//
// Every family is named "combo_..." with help text, and its label values are bounded and known
// when the component starts (venue names, reasons, policies; never order or client ids). Series
// are looked up once here and kept: a label lookup (Family::Add) costs ~300 ns, an increment of
// a kept counter ~13 ns (DESIGN.md "Toolchain"). prometheus-cpp reports bad names by throwing;
// these calls turn that into a Status so no exception crosses into the libraries.
// The registry is thread-safe (prometheus-cpp); the returned metrics are updated lock-free.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace combo::core {

using MetricLabels = prometheus::Labels;

absl::StatusOr<prometheus::Family<prometheus::Counter>*> DeclareCounterFamily(
    prometheus::Registry& registry, const std::string& name, const std::string& help);
absl::StatusOr<prometheus::Family<prometheus::Gauge>*> DeclareGaugeFamily(
    prometheus::Registry& registry, const std::string& name, const std::string& help);
absl::StatusOr<prometheus::Family<prometheus::Histogram>*> DeclareHistogramFamily(
    prometheus::Registry& registry, const std::string& name, const std::string& help);

// One series of a family, built once (fails on an invalid label name).
absl::StatusOr<prometheus::Counter*> AddCounter(prometheus::Family<prometheus::Counter>& family,
                                                const MetricLabels& labels);
absl::StatusOr<prometheus::Gauge*> AddGauge(prometheus::Family<prometheus::Gauge>& family,
                                            const MetricLabels& labels);
absl::StatusOr<prometheus::Histogram*> AddHistogram(
    prometheus::Family<prometheus::Histogram>& family, const MetricLabels& labels,
    const std::vector<double>& bucket_bounds);

// A counter per value of a bounded enum label (a reject reason, a leg-in outcome), built once;
// Increment(value) is an array index and an atomic add. Enum values must be 0..N-1 and have a
// ToString(Enum) found by argument-dependent lookup.
template <typename Enum>
class CountersByEnum {
 public:
  CountersByEnum() = default;

  // `values` lists every value of the enum; `fixed` labels (e.g. the venue) go on every series.
  static absl::StatusOr<CountersByEnum> Create(prometheus::Family<prometheus::Counter>& family,
                                               const std::string& label,
                                               const std::vector<Enum>& values,
                                               const MetricLabels& fixed = {}) {
    CountersByEnum result;
    for (Enum value : values) {
      MetricLabels labels = fixed;
      labels[label] = std::string(ToString(value));
      auto counter = AddCounter(family, labels);
      if (!counter.ok()) return counter.status();
      const size_t index = static_cast<size_t>(value);
      if (result.counters_.size() <= index) result.counters_.resize(index + 1, nullptr);
      result.counters_[index] = *counter;
    }
    return result;
  }

  // No-op for a value that was not listed at Create.
  void Increment(Enum value, double amount = 1.0) {
    const size_t index = static_cast<size_t>(value);
    if (index < counters_.size() && counters_[index] != nullptr) {
      counters_[index]->Increment(amount);
    }
  }
  double Value(Enum value) const {
    const size_t index = static_cast<size_t>(value);
    return index < counters_.size() && counters_[index] != nullptr ? counters_[index]->Value()
                                                                   : 0.0;
  }

 private:
  std::vector<prometheus::Counter*> counters_;
};

}  // namespace combo::core
