// A venue's end of its CBO book (see cbo_hub.h).
#include "venues/exchange/cbo_hub.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"

namespace combo::venues {

absl::StatusOr<std::unique_ptr<CboHub>> CboHub::Create(prometheus::Registry* registry,
                                                       const std::string& venue) {
  std::unique_ptr<CboHub> hub(new CboHub());
  if (registry == nullptr) return hub;
  const core::MetricLabels labels = {{"venue", venue}};
  absl::StatusOr<prometheus::Family<prometheus::Counter>*> phases =
      core::DeclareCounterFamily(*registry, "combo_venue_cbo_phases_total",
                                 "CBO book: client bid/offers entering a phase (exclusive, open, "
                                 "protected; seed 004 R19-R23)");
  if (!phases.ok()) return phases.status();
  absl::StatusOr<core::CountersByEnum<aop::CboPhase>> phase_counters =
      core::CountersByEnum<aop::CboPhase>::Create(
          **phases, "phase",
          {aop::CboPhase::kExclusive, aop::CboPhase::kOpen, aop::CboPhase::kProtected}, labels);
  if (!phase_counters.ok()) return phase_counters.status();
  hub->phases_ = *std::move(phase_counters);

  absl::StatusOr<prometheus::Family<prometheus::Counter>*> windows = core::DeclareCounterFamily(
      *registry, "combo_venue_cbo_windows_total",
      "CBO book: tie-breaking windows closed, by outcome: no_match, single, random (several "
      "matching responses ranked at random), price_auction (several ranked by price; R26-R28)");
  if (!windows.ok()) return windows.status();
  absl::StatusOr<core::CountersByEnum<aop::WindowOutcome>> window_counters =
      core::CountersByEnum<aop::WindowOutcome>::Create(
          **windows, "outcome",
          {aop::WindowOutcome::kNoMatch, aop::WindowOutcome::kSingle, aop::WindowOutcome::kRandom,
           aop::WindowOutcome::kPriceAuction},
          labels);
  if (!window_counters.ok()) return window_counters.status();
  hub->windows_ = *std::move(window_counters);

  absl::StatusOr<prometheus::Family<prometheus::Counter>*> fills = core::DeclareCounterFamily(
      *registry, "combo_venue_cbo_fills_total",
      "CBO book: dealer fills of client bid/offers, by kind: standard (at the dealer's price, "
      "R56), dealer_autofill (R53), client_autofill (R54)");
  if (!fills.ok()) return fills.status();
  absl::StatusOr<core::CountersByEnum<aop::FillKind>> fill_counters =
      core::CountersByEnum<aop::FillKind>::Create(
          **fills, "kind",
          {aop::FillKind::kStandard, aop::FillKind::kDealerAutofill,
           aop::FillKind::kClientAutofill},
          labels);
  if (!fill_counters.ok()) return fill_counters.status();
  hub->fills_ = *std::move(fill_counters);

  absl::StatusOr<prometheus::Family<prometheus::Counter>*> reprices = core::DeclareCounterFamily(
      *registry, "combo_venue_cbo_reprices_total",
      "CBO book: reprices automated order protection made to client bid/offers, by basis: "
      "top_of_book, awp, wait_for_follow, trade, unprotect");
  if (!reprices.ok()) return reprices.status();
  absl::StatusOr<core::CountersByEnum<aop::ProtectionBasis>> reprice_counters =
      core::CountersByEnum<aop::ProtectionBasis>::Create(
          **reprices, "reason",
          {aop::ProtectionBasis::kTopOfBook, aop::ProtectionBasis::kAwp,
           aop::ProtectionBasis::kWaitForFollow, aop::ProtectionBasis::kTrade,
           aop::ProtectionBasis::kUnprotect},
          labels);
  if (!reprice_counters.ok()) return reprice_counters.status();
  hub->reprices_ = *std::move(reprice_counters);
  return hub;
}

absl::Status CboHub::Subscribe(aop::CboListener* listener) {
  if (listener == nullptr) return absl::InvalidArgumentError("CBO book: a null subscriber");
  if (std::find(subscribers_.begin(), subscribers_.end(), listener) != subscribers_.end()) {
    return absl::AlreadyExistsError("CBO book: already subscribed");
  }
  subscribers_.push_back(listener);
  return absl::OkStatus();
}

void CboHub::Unsubscribe(aop::CboListener* listener) {
  subscribers_.erase(std::remove(subscribers_.begin(), subscribers_.end(), listener),
                     subscribers_.end());
}

void CboHub::OnCboAccepted(const aop::CboAccepted& event) {
  ForEach([&](aop::CboListener& l) { l.OnCboAccepted(event); });
}
void CboHub::OnCboPhaseChanged(const aop::CboPhaseChanged& event) {
  phases_.Increment(event.phase);
  ForEach([&](aop::CboListener& l) { l.OnCboPhaseChanged(event); });
}
void CboHub::OnCboRestated(const aop::CboRestated& event) {
  reprices_.Increment(event.basis);
  ForEach([&](aop::CboListener& l) { l.OnCboRestated(event); });
}
void CboHub::OnCboFill(const aop::CboFill& event) {
  fills_.Increment(event.kind);
  ForEach([&](aop::CboListener& l) { l.OnCboFill(event); });
}
void CboHub::OnCboDone(const aop::CboDone& event) {
  ForEach([&](aop::CboListener& l) { l.OnCboDone(event); });
}
void CboHub::OnResponseRejected(const aop::ResponseRejected& event) {
  ForEach([&](aop::CboListener& l) { l.OnResponseRejected(event); });
}
void CboHub::OnAopStatus(const AopStatusChanged& event) {
  ForEach([&](aop::CboListener& l) { l.OnAopStatus(event); });
}
void CboHub::OnWindowClosed(const aop::CboWindowClosed& event) {
  windows_.Increment(event.outcome);
  ForEach([&](aop::CboListener& l) { l.OnWindowClosed(event); });
}

}  // namespace combo::venues
