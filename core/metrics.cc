#include "core/metrics.h"

#include <exception>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "prometheus/check_names.h"

namespace combo::core {
namespace {

absl::Status CheckFamily(const std::string& name, const std::string& help) {
  if (!absl::StartsWith(name, "combo_")) {
    return absl::InvalidArgumentError(
        absl::StrCat("metric \"", name, "\": every family name starts with combo_"));
  }
  if (!prometheus::CheckMetricName(name)) {
    return absl::InvalidArgumentError(absl::StrCat("metric \"", name, "\": not a valid name"));
  }
  if (help.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("metric \"", name, "\": help text is empty"));
  }
  return absl::OkStatus();
}

template <typename Builder>
auto Declare(Builder builder, prometheus::Registry& registry, const std::string& name,
             const std::string& help)
    -> absl::StatusOr<decltype(&builder.Name(name).Help(help).Register(registry))> {
  if (absl::Status status = CheckFamily(name, help); !status.ok()) return status;
  try {
    return &builder.Name(name).Help(help).Register(registry);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("metric \"", name, "\": ", e.what()));
  }
}

template <typename Metric, typename... Args>
absl::StatusOr<Metric*> AddSeries(prometheus::Family<Metric>& family, const MetricLabels& labels,
                                  const Args&... args) {
  try {
    return &family.Add(labels, args...);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("metric \"", family.GetName(), "\": ", e.what()));
  }
}

}  // namespace

absl::StatusOr<prometheus::Family<prometheus::Counter>*> DeclareCounterFamily(
    prometheus::Registry& registry, const std::string& name, const std::string& help) {
  return Declare(prometheus::BuildCounter(), registry, name, help);
}

absl::StatusOr<prometheus::Family<prometheus::Gauge>*> DeclareGaugeFamily(
    prometheus::Registry& registry, const std::string& name, const std::string& help) {
  return Declare(prometheus::BuildGauge(), registry, name, help);
}

absl::StatusOr<prometheus::Family<prometheus::Histogram>*> DeclareHistogramFamily(
    prometheus::Registry& registry, const std::string& name, const std::string& help) {
  return Declare(prometheus::BuildHistogram(), registry, name, help);
}

absl::StatusOr<prometheus::Counter*> AddCounter(prometheus::Family<prometheus::Counter>& family,
                                                const MetricLabels& labels) {
  return AddSeries(family, labels);
}

absl::StatusOr<prometheus::Gauge*> AddGauge(prometheus::Family<prometheus::Gauge>& family,
                                            const MetricLabels& labels) {
  return AddSeries(family, labels);
}

absl::StatusOr<prometheus::Histogram*> AddHistogram(
    prometheus::Family<prometheus::Histogram>& family, const MetricLabels& labels,
    const std::vector<double>& bucket_bounds) {
  return AddSeries(family, labels, prometheus::Histogram::BucketBoundaries(bucket_bounds));
}

}  // namespace combo::core
