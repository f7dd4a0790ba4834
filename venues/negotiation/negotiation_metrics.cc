#include "venues/negotiation/negotiation_metrics.h"

#include <map>

#include "core/metrics.h"
#include "core/status.h"

namespace combo::venues::negotiation {

std::string_view FamilyOf(NegotiationEvent event) {
  switch (event) {
    case NegotiationEvent::kOfferPosted:
    case NegotiationEvent::kOfferHeard:
    case NegotiationEvent::kOfferTaken:
    case NegotiationEvent::kOfferExpired:
    case NegotiationEvent::kOfferWithdrawn:
    case NegotiationEvent::kOfferThrottled:
      return "offers";
    case NegotiationEvent::kAcceptSent:
    case NegotiationEvent::kAcceptWon:
    case NegotiationEvent::kAcceptLost:
      return "accepts";
    case NegotiationEvent::kTradeConfirmed:
    case NegotiationEvent::kTradeRejected:
    case NegotiationEvent::kTradeExpired:
      return "trades";
    case NegotiationEvent::kWithdrawalSent:
    case NegotiationEvent::kWithdrawalDeferred:
      return "withdrawals";
  }
  return "unknown";
}

std::string_view ToString(NegotiationEvent event) {
  switch (event) {
    case NegotiationEvent::kOfferPosted:
      return "posted";
    case NegotiationEvent::kOfferHeard:
      return "heard";
    case NegotiationEvent::kOfferTaken:
      return "taken";
    case NegotiationEvent::kOfferExpired:
      return "expired";
    case NegotiationEvent::kOfferWithdrawn:
      return "withdrawn";
    case NegotiationEvent::kOfferThrottled:
      return "throttled";
    case NegotiationEvent::kAcceptSent:
    case NegotiationEvent::kWithdrawalSent:
      return "sent";
    case NegotiationEvent::kAcceptWon:
      return "won";
    case NegotiationEvent::kAcceptLost:
      return "lost";
    case NegotiationEvent::kTradeConfirmed:
      return "confirmed";
    case NegotiationEvent::kTradeRejected:
      return "rejected";
    case NegotiationEvent::kTradeExpired:
      return "expired";
    case NegotiationEvent::kWithdrawalDeferred:
      return "deferred";
  }
  return "unknown";
}

absl::StatusOr<NegotiationMetrics> NegotiationMetrics::Create(prometheus::Registry& registry,
                                                              const std::string& venue) {
  const std::map<std::string_view, std::string> help = {
      {"offers",
       "The router's negotiation venue: its offers posted, taken by a counterparty, expired, "
       "withdrawn or refused as throttled, and other participants' offers heard."},
      {"accepts",
       "The router's ACCEPTs of offers it heard on the negotiation venue: sent, won, lost (too "
       "late or refused)."},
      {"trades",
       "Negotiated trades of the router's negotiation venue: confirmed, rejected, expired."},
      {"withdrawals",
       "The router's negotiation offer withdrawals: sent, or deferred to the offer's minimum "
       "life because a premature one would have throttled the venue."},
  };
  std::map<std::string_view, prometheus::Family<prometheus::Counter>*> families;
  for (const auto& [family, text] : help) {
    COMBO_ASSIGN_OR_RETURN(
        families[family],
        core::DeclareCounterFamily(
            registry, std::string("combo_negotiation_") + std::string(family) + "_total", text));
  }
  NegotiationMetrics metrics;
  for (size_t i = 0; i < kNegotiationEventCount; ++i) {
    const auto event = static_cast<NegotiationEvent>(i);
    COMBO_ASSIGN_OR_RETURN(
        metrics.exported_[i],
        core::AddCounter(*families.at(FamilyOf(event)),
                         {{"venue", venue}, {"outcome", std::string(ToString(event))}}));
  }
  return metrics;
}

void NegotiationMetrics::Count(NegotiationEvent event) {
  const size_t index = static_cast<size_t>(event);
  ++counts_[index];
  if (exported_[index] != nullptr) exported_[index]->Increment();
}

}  // namespace combo::venues::negotiation
