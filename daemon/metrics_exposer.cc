#include "daemon/metrics_exposer.h"

#include <exception>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace combo::daemon {

absl::StatusOr<std::unique_ptr<MetricsExposer>> MetricsExposer::Start(
    const std::string& address, int port, std::shared_ptr<prometheus::Registry> registry) {
  if (port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("metrics port ", port, " is outside 0..65535"));
  }
  if (address.empty()) return absl::InvalidArgumentError("metrics address is empty");
  std::unique_ptr<MetricsExposer> exposer(new MetricsExposer());
  exposer->address_ = address;
  exposer->registry_ = std::move(registry);
  const std::string bind = absl::StrCat(address, ":", port);
  try {
    // One worker thread is plenty for a scrape every few seconds.
    exposer->exposer_ = std::make_unique<prometheus::Exposer>(bind, 1);
    exposer->exposer_->RegisterCollectable(exposer->registry_);
    const std::vector<int> ports = exposer->exposer_->GetListeningPorts();
    if (ports.empty()) {
      return absl::UnavailableError(absl::StrCat("metrics: not listening on ", bind));
    }
    exposer->port_ = ports.front();
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("metrics: cannot listen on ", bind, ": ", e.what()));
  }
  return exposer;
}

MetricsExposer::~MetricsExposer() = default;

std::string MetricsExposer::url() const {
  return absl::StrCat("http://", address_, ":", port_, "/metrics");
}

}  // namespace combo::daemon
