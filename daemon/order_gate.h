// OrderGate: the daemon's door between the FIX gateway and the router. It forwards every
// request and report unchanged, counts orders by outcome for combo_orders_total, and, once the
// daemon drains (SIGTERM), refuses new orders and replaces so the gateway rejects them with
// "shutting down" while cancels, status requests and the reports of working orders still flow.
// Likewise, once the journal cannot be written (accounts::AccountsService::journal_health), new
// orders and replaces are refused with the journal's error: nothing could be acknowledged
// safely, and everything acknowledged before is in the journal.
//
//   combo_orders_total{outcome=received|accepted|rejected|filled|cancelled|refused_draining|
//                              refused_journal}
//
// Not thread-safe: the core thread (where the gateway calls OrderEntry and the router reports).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "accounts/accounts_service.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "router/order_entry.h"

namespace combo::daemon {

enum class OrderOutcome : uint8_t {
  kReceived,
  kAccepted,
  kRejected,
  kFilled,
  kCancelled,
  kRefusedDraining,
  kRefusedJournal,
};
inline constexpr int kOrderOutcomeCount = 7;
std::string_view ToString(OrderOutcome outcome);

class OrderGate final : public router::OrderEntry, public router::OrderEntryListener {
 public:
  // Becomes `inner`'s listener. Fails when the metric family cannot be declared.
  static absl::StatusOr<std::unique_ptr<OrderGate>> Create(router::OrderEntry& inner,
                                                           prometheus::Registry& registry);

  // From now on new orders and replaces are refused.
  void StartDraining() { draining_ = true; }
  bool draining() const { return draining_; }
  // From now on new orders and replaces are refused whenever `accounts` reports its journal
  // unwritable. `accounts` must outlive the gate.
  void RefuseOrdersOnJournalFailure(const accounts::AccountsService& accounts) {
    accounts_ = &accounts;
  }
  double count(OrderOutcome outcome) const;

  // router::OrderEntry.
  void SetListener(router::OrderEntryListener* listener) override { listener_ = listener; }
  absl::Status Submit(const router::NewComboOrder& order) override;
  absl::Status Cancel(const router::CancelComboOrder& cancel) override;
  absl::Status Replace(const router::ReplaceComboOrder& replace) override;
  absl::Status RequestStatus(const router::ComboOrderStatusRequest& request) override;
  // Cancels flow while draining, these too.
  absl::Status CancelAllOf(const core::ClientId& client, std::string_view why) override;
  absl::StatusOr<router::ComboDefinition> DefineCombo(const core::ComboSpec& combo) override;
  const core::ComboSpec* FindDefinedCombo(core::ComboId combo) const override;
  absl::StatusOr<router::ComboQuote> SubscribeQuotes(core::ComboId combo,
                                                     router::ComboQuoteListener* listener) override;
  void BeginBurst() override { inner_.BeginBurst(); }
  void EndBurst() override { inner_.EndBurst(); }
  absl::Status UnsubscribeQuotes(core::ComboId combo,
                                 router::ComboQuoteListener* listener) override;

  // router::OrderEntryListener.
  void OnAccepted(const router::ComboOrderAccepted& event) override;
  void OnRejected(const router::ComboOrderRejected& event) override;
  void OnExecution(const router::ComboExecution& event) override;
  void OnCancelled(const router::ComboOrderCancelled& event) override;
  void OnReplaced(const router::ComboOrderReplaced& event) override;
  void OnCancelRejected(const router::CancelRejected& event) override;
  void OnStatus(const router::ComboOrderStatusReport& event) override;
  void OnPending(const router::ComboOrderPending& event) override;

 private:
  explicit OrderGate(router::OrderEntry& inner) : inner_(inner) {}
  void Count(OrderOutcome outcome) { counters_[static_cast<size_t>(outcome)]->Increment(); }
  // OK, or why new orders and replaces cannot be taken (the journal cannot be written).
  absl::Status JournalRefusal() const;

  router::OrderEntry& inner_;
  router::OrderEntryListener* listener_ = nullptr;
  bool draining_ = false;
  const accounts::AccountsService* accounts_ = nullptr;
  std::array<prometheus::Counter*, kOrderOutcomeCount> counters_{};
};

}  // namespace combo::daemon
