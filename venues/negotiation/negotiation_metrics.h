// NegotiationMetrics: what the router's negotiation venue did on the network, counted per event
// (offers posted and heard, the router's ACCEPTs and how they ended, trades, withdrawals and the
// throttle), and the Prometheus families that export those counts (docs/METRICS.md).
//
// The venue always keeps the counts (tests and the daemon read them); the families exist only
// when a registry is given. Not thread-safe for the counts (the venue's thread); the exported
// counters are prometheus-cpp's.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace combo::venues::negotiation {

enum class NegotiationEvent : uint8_t {
  kOfferPosted,         // an OFFER of ours the service broadcast
  kOfferHeard,          // an OFFER of another participant heard
  kOfferTaken,          // a counterparty's ACCEPT won one of our offers
  kOfferExpired,        // one of our offers ran out untaken
  kOfferWithdrawn,      // one of our offers withdrawn (WITHDRAWN)
  kOfferThrottled,      // an OFFER of ours refused THROTTLED (premature withdrawals)
  kAcceptSent,          // the router took a heard offer: ACCEPT sent
  kAcceptWon,           // ... ACCEPTED: ours won
  kAcceptLost,          // ... TOO LATE, or refused by the service
  kTradeConfirmed,      // TRADE CONFIRMED, whichever side we were
  kTradeRejected,       // TRADE REJECTED
  kTradeExpired,        // TRADE EXPIRED
  kWithdrawalSent,      // WITHDRAW sent
  kWithdrawalDeferred,  // a premature WITHDRAW held until the offer's min_offer_life, because it
                        // would have throttled the venue
};
inline constexpr size_t kNegotiationEventCount = 14;
// The family the event is counted in ("offers", "accepts", "trades", "withdrawals") and its
// `outcome` label.
std::string_view FamilyOf(NegotiationEvent event);
std::string_view ToString(NegotiationEvent event);

class NegotiationMetrics {
 public:
  // Counts only.
  NegotiationMetrics() = default;
  // Counts and exports them in `registry`, labelled with the venue's name.
  static absl::StatusOr<NegotiationMetrics> Create(prometheus::Registry& registry,
                                                   const std::string& venue);

  void Count(NegotiationEvent event);
  int64_t count(NegotiationEvent event) const { return counts_[static_cast<size_t>(event)]; }

 private:
  std::array<int64_t, kNegotiationEventCount> counts_{};
  std::array<prometheus::Counter*, kNegotiationEventCount> exported_{};
};

}  // namespace combo::venues::negotiation
