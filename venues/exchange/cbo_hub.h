// CboHub: a venue's end of its CBO book (seed 004; venues/aop/cbo_book.h). The book reports to
// one listener; the hub is that listener and hands every event, in order, to each subscriber
// (the dealers and clients of the market simulator, tests), and counts what the book does for
// Prometheus: phases entered, tie-breaking windows by outcome (the price auctions among them),
// fills by kind (the autofills among them) and AOP reprices of CBOs by basis.
//
// Not thread-safe: lives with its venue, on the venue's Scheduler thread.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/metrics.h"
#include "prometheus/registry.h"
#include "venues/aop/cbo_book.h"

namespace combo::venues {

class CboHub final : public aop::CboListener {
 public:
  // Without a registry the hub only forwards. Fails if a metric family cannot be declared.
  static absl::StatusOr<std::unique_ptr<CboHub>> Create(prometheus::Registry* registry,
                                                        const std::string& venue);

  // Adds a subscriber (not owned; must outlive the hub or leave first). Fails for a null one or
  // one already subscribed.
  absl::Status Subscribe(aop::CboListener* listener);
  void Unsubscribe(aop::CboListener* listener);

  void OnCboAccepted(const aop::CboAccepted& event) override;
  void OnCboPhaseChanged(const aop::CboPhaseChanged& event) override;
  void OnCboRestated(const aop::CboRestated& event) override;
  void OnCboFill(const aop::CboFill& event) override;
  void OnCboDone(const aop::CboDone& event) override;
  void OnResponseRejected(const aop::ResponseRejected& event) override;
  void OnAopStatus(const AopStatusChanged& event) override;
  void OnWindowClosed(const aop::CboWindowClosed& event) override;

 private:
  CboHub() = default;

  // Calls `deliver` on each subscriber; a subscriber may unsubscribe (itself or another) from
  // its callback.
  template <typename Deliver>
  void ForEach(Deliver deliver) {
    const std::vector<aop::CboListener*> snapshot = subscribers_;
    for (aop::CboListener* listener : snapshot) {
      if (std::find(subscribers_.begin(), subscribers_.end(), listener) != subscribers_.end()) {
        deliver(*listener);
      }
    }
  }

  std::vector<aop::CboListener*> subscribers_;
  core::CountersByEnum<aop::CboPhase> phases_;
  core::CountersByEnum<aop::WindowOutcome> windows_;
  core::CountersByEnum<aop::FillKind> fills_;
  core::CountersByEnum<aop::ProtectionBasis> reprices_;
};

}  // namespace combo::venues
