// MetricsExposer: serves a Prometheus registry at http://<address>:<port>/metrics
// (prometheus-cpp's CivetWeb exposer, on its own threads).
//
// Port 0 asks the system for a free port; port() says which one was bound, so a test (or an
// operator reading the start-up line) knows where to scrape. prometheus-cpp reports a bind
// failure by throwing; Start turns that into a Status. Scrapes read the registry concurrently
// with the core thread; prometheus-cpp's metrics are safe for that.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"

namespace combo::daemon {

class MetricsExposer {
 public:
  // Listens on `address` (an IPv4 address, e.g. 127.0.0.1) and `port` and serves `registry`
  // (shared: it must live as long as the exposer serves it). Fails naming the address when it
  // cannot listen.
  static absl::StatusOr<std::unique_ptr<MetricsExposer>> Start(
      const std::string& address, int port, std::shared_ptr<prometheus::Registry> registry);
  ~MetricsExposer();

  int port() const { return port_; }
  // "http://127.0.0.1:9464/metrics".
  std::string url() const;

 private:
  MetricsExposer() = default;

  std::string address_;
  int port_ = 0;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace combo::daemon
