// NegotiationVenue: the negotiation network (seed 000) seen by the router as a Venue.
//
// The venue is one participant of a NegotiationService (its own account and key), connected
// in-process through the real protocol. A complex order becomes an OFFER of the whole canonical
// combo ("[IBM +1 / MSFT -1]") at its net limit price with a timeout; a leg order an OFFER of
// the instrument. When a counterparty's ACCEPT wins, the venue sends its TRADE REQUEST; the
// service's TRADE CONFIRMED becomes one atomic fill of the whole order (a ComplexFill with every
// leg in ratio, leg prices summing exactly to the net price; or a Fill). Offers are all or none:
// an ACCEPT takes the whole quantity. Cancel withdraws the offer (refused once an ACCEPT has won);
// Replace is not supported (rejected: withdraw and post anew). Offer expiry and failed trades
// (TRADE EXPIRED / TRADE REJECTED) end the order with OrderCancelled; the mapping of reasons is
// in docs/NEGOTIATION_PROTOCOL.md.
//
// The market-data view is the venue's local store of offers heard (N1): TopOfBook/BookDepth
// per listed instrument, LegBookUpdate / NativeComboUpdate to subscribers when it changes.
// Not thread-safe: lives on the thread that owns the Scheduler and the service.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "core/scheduler.h"
#include "venues/negotiation/client.h"
#include "venues/negotiation/service.h"
#include "venues/venue.h"

namespace combo::venues::negotiation {

// Whether the venue trades every combo of the ComboCatalog, or only those listed.
enum class ComboScope : uint8_t { kAnyCombo, kListedCombos };

struct NegotiationVenueConfig {
  core::VenueId id;
  std::string name = "NEGOTIATION";
  // The venue's account at the negotiation service; its key is KeyPair::FromLabel(account)
  // unless `key_seed` is given.
  core::AccountId account;
  std::optional<KeySeed> key_seed;
  // Instruments the venue lists for leg offers.
  std::set<core::InstrumentId> listed;
  ComboScope combo_scope = ComboScope::kAnyCombo;
  std::set<core::ComboId> combos;
  // Offer timeouts by time in force: Day and GTC orders, and IOC/FOK orders.
  core::Duration offer_timeout = core::Duration::Seconds(30);
  core::Duration immediate_offer_timeout = core::Duration::Seconds(5);
  // Offer ids are this prefix and a counter; the service needs them unique network-wide.
  std::string offer_id_prefix = "RTR";
};

// Splits a combo's net price into leg prices that sum exactly to it:
// sum over legs of sign(side) x weight x leg price == net, where weight = ratio x multiplier /
// gcd(ratio x multiplier). Every leg but the first takes its reference price (zero when the
// reference has none), the first leg balances, and a remainder the first leg's weight cannot
// absorb is spread in nanos over the legs (weights are coprime, so it always can be).
using LegReference = std::function<std::optional<core::Price>(core::InstrumentId)>;
absl::StatusOr<std::vector<core::Price>> SplitNetPrice(const core::ComboSpec& combo,
                                                       const core::InstrumentCatalog& catalog,
                                                       core::Price net,
                                                       const LegReference& reference);

class NegotiationVenue final : public Venue, public SessionSink {
 public:
  // The catalogs and the service must outlive the venue.
  NegotiationVenue(core::Scheduler& scheduler, NegotiationService& service,
                   const core::InstrumentCatalog& instruments, const core::ComboCatalog& combos,
                   NegotiationVenueConfig config);
  ~NegotiationVenue() override;

  // Registers the venue's account with the service and logs in. Fails on an invalid config
  // (naming the field) or if the account is taken.
  absl::Status Start();
  // Prices for the legs of combo fills (see SplitNetPrice); by default none (zero).
  void SetLegReference(LegReference reference) { leg_reference_ = std::move(reference); }

  // Venue.
  core::VenueId id() const override { return config_.id; }
  std::string_view name() const override { return config_.name; }
  bool Lists(core::InstrumentId instrument) const override;
  // Lists one more instrument while running (an instrument master reload). Fails, changing
  // nothing, for an instrument the catalog does not know or one listed already.
  absl::Status ListInstrument(core::InstrumentId instrument);
  bool TradesNatively(core::ComboId combo) const override;
  absl::Status Connect(core::ParticipantId participant, VenueListener* listener) override;
  absl::Status Subscribe(MarketDataListener* listener) override;
  absl::Status Unsubscribe(MarketDataListener* listener) override;
  absl::Status Submit(const OrderRequest& request) override;
  absl::Status SubmitComplex(const ComplexOrderRequest& request) override;
  absl::Status Cancel(const CancelRequest& request) override;
  absl::Status Replace(const ReplaceRequest& request) override;
  absl::StatusOr<core::TopOfBook> TopOfBook(core::InstrumentId instrument) const override;
  absl::StatusOr<core::Depth> BookDepth(core::InstrumentId instrument, int levels) const override;
  // The negotiation network has no exchange-wide halt of its own (offers live between its
  // participants): a halt here is a status for the subscribers to act on (the router stops
  // counting on the venue), published at once like the venue's other market data.
  absl::Status SetTradingStatus(VenueTradingStatus status) override;

  // A complex order posted with an explicit offer timeout (whole seconds, rounded up) instead
  // of the one its time in force selects.
  absl::Status SubmitComplexWithTimeout(const ComplexOrderRequest& request, core::Duration timeout);

  // SessionSink: lines from the service (handled as the next scheduled event).
  void Deliver(std::string_view line) override;

  const NegotiationClient& client() const { return client_; }

 private:
  enum class OrderState : uint8_t { kPending, kOpen, kTrading, kDone };
  struct Order {
    core::ParticipantId participant;
    core::OrderId order_id;
    RequestKind kind = RequestKind::kNew;
    std::optional<core::InstrumentId> instrument;
    std::optional<core::ComboId> combo;
    core::Side side = core::Side::kBuy;
    core::Price price;
    core::Quantity quantity;
    TimeInForce time_in_force = TimeInForce::kDay;
    Message offer;
    OrderState state = OrderState::kPending;
    bool cancel_pending = false;
  };
  struct OrderKey {
    core::ParticipantId participant;
    core::OrderId order_id;
    friend auto operator<=>(const OrderKey&, const OrderKey&) = default;
  };

  absl::Status Admit(core::ParticipantId participant, core::OrderId order_id) const;
  absl::Status Post(Order order, std::string instrument_text, core::Duration timeout);
  core::Duration TimeoutFor(TimeInForce time_in_force) const;
  void Handle(const std::string& line);
  void OnOwnMessage(Order& order, const Incoming& incoming);
  void ReportFill(Order& order, const Message& confirmation);
  void RejectLater(const Order& order, RequestKind request, RejectCode code, std::string reason);
  void Finish(Order& order, CancelReason reason);
  VenueListener* ListenerFor(core::ParticipantId participant) const;
  void SendToService(const Message& body);
  // Recomputes the market-data view after the local offer store changed.
  void PublishMarketData();
  core::Depth HeardDepth(core::InstrumentId instrument) const;
  std::map<core::ComboId, core::TopOfBook> HeardComboTops() const;

  core::Scheduler& scheduler_;
  NegotiationService& service_;
  const core::InstrumentCatalog& instruments_;
  const core::ComboCatalog& combos_;
  NegotiationVenueConfig config_;
  NegotiationClient client_;
  std::optional<SessionId> session_;
  LegReference leg_reference_;
  std::map<core::ParticipantId, VenueListener*> listeners_;
  std::vector<MarketDataListener*> subscribers_;
  std::map<std::string, Order> orders_;  // by offer id
  std::map<OrderKey, std::string> offer_ids_;
  uint64_t next_offer_ = 1;
  uint64_t next_execution_ = 1;
  // The market-data view as last published, for diffs.
  std::map<core::InstrumentId, core::Depth> published_depth_;
  std::map<core::ComboId, core::TopOfBook> published_combo_tops_;
  std::map<core::InstrumentId, uint64_t> leg_sequence_;
  std::map<core::ComboId, uint64_t> combo_sequence_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace combo::venues::negotiation
