// NegotiationVenue: the negotiation network (seed 000) seen by the router as a Venue.
//
// The venue is one participant of a NegotiationService (its own account and key), connected
// in-process through the real protocol. An order (a leg order of an instrument, or a complex
// order of a whole canonical combo such as "[IBM +1 / MSFT -1]") first looks for an offer the
// venue has heard and counts (TakeableOffer: another participant's, open, not past its timeout)
// that it crosses and can take whole (offers are all or none): it ACCEPTs the best one, sends
// its TRADE REQUEST once the ACCEPT wins, and TRADE CONFIRMED is its fill. Otherwise, or for
// what a take leaves, it posts an OFFER at its limit with a timeout; when a counterparty's
// ACCEPT wins the venue sends its TRADE REQUEST and TRADE CONFIRMED is one atomic fill (a
// ComplexFill with every leg in ratio, leg prices summing exactly to the net price; or a Fill).
// Cancel withdraws the offer (refused once an ACCEPT has won; held while an ACCEPT of ours is
// answered; held to the offer's minimum life when a premature withdrawal would throttle the
// venue, seed 000 N7); Replace is not supported (rejected: withdraw and post anew). Offer expiry
// and failed trades (TRADE EXPIRED / TRADE REJECTED) end the order with OrderCancelled; the
// mapping of reasons is in docs/NEGOTIATION_PROTOCOL.md.
//
// The market-data view is the venue's local store of offers heard (N1), counting only the
// offers it could take: TopOfBook/BookDepth per listed instrument, LegBookUpdate /
// NativeComboUpdate to subscribers when it changes. Its own offers are never in it.
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
#include "prometheus/registry.h"
#include "venues/negotiation/client.h"
#include "venues/negotiation/negotiation_metrics.h"
#include "venues/negotiation/service.h"
#include "venues/venue.h"

namespace combo::venues::negotiation {

// Which combos the venue trades natively (the router rests orders of them there): only those
// listed in the config (the default), or every combo of the ComboCatalog.
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
  ComboScope combo_scope = ComboScope::kListedCombos;
  std::set<core::ComboId> combos;
  // Offer timeouts by time in force: Day and GTC orders, and IOC/FOK orders.
  core::Duration offer_timeout = core::Duration::Seconds(30);
  core::Duration immediate_offer_timeout = core::Duration::Seconds(5);
  // Offer ids are this prefix and a counter; the service needs them unique network-wide.
  std::string offer_id_prefix = "RTR";
  // Exports the venue's counts (NegotiationMetrics); null: counted only.
  prometheus::Registry* metrics = nullptr;
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
  int64_t count(NegotiationEvent event) const { return metrics_.count(event); }
  // The longest an order can live here before the venue itself ends it: an ACCEPT's trade,
  // then an offer for the rest at the longer offer timeout and its trade (each trade bounded by
  // the service's trade_request_timeout). A router waiting on an order here waits this long.
  core::Duration LongestOrderLife() const;

 private:
  // kPending: our OFFER sent; kOpen: it is on the network; kTrading: a counterparty's ACCEPT
  // won it; kTaking: our ACCEPT of a heard offer sent; kTakeTrading: our ACCEPT won.
  enum class OrderState : uint8_t { kPending, kOpen, kTrading, kTaking, kTakeTrading, kDone };
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
    // The instrument field of our offers, and their timeout.
    std::string instrument_text;
    core::Duration offer_timeout;
    // Executed so far (takes of heard offers, then our offer's trade).
    core::Quantity filled;
    bool acked = false;
    Message offer;  // our OFFER (kPending, kOpen, kTrading)
    core::Timestamp posted;
    core::TimerId deferred_withdrawal;
    // The heard OFFER we ACCEPTed, as its owner wrote it (kTaking, kTakeTrading), and what it
    // gives this order in its own terms (canonical units and net price for a combo).
    Message taken;
    core::Quantity take_quantity;
    core::Price take_price;
    OrderState state = OrderState::kPending;
    bool cancel_pending = false;
  };
  // A heard offer an order could take, in the order's terms.
  struct Takeable {
    const HeardOffer* heard = nullptr;
    core::Side side = core::Side::kBuy;  // the offer's side
    core::Quantity quantity;
    core::Price price;
    core::Timestamp heard_at;
  };
  struct OrderKey {
    core::ParticipantId participant;
    core::OrderId order_id;
    friend auto operator<=>(const OrderKey&, const OrderKey&) = default;
  };

  absl::Status Admit(core::ParticipantId participant, core::OrderId order_id) const;
  // Takes the best heard offer the order crosses and can take whole, else posts an offer for
  // what is left of it.
  void Route(Order order);
  void Post(Order order);
  void Take(Order order, const Takeable& offer);
  std::optional<Takeable> BestTakeable(const Order& order) const;
  // Whether a heard offer counts as a price (and may be taken): another participant's, open,
  // not past its timeout, not being taken by us already.
  bool Counts(const std::string& id, const HeardOffer& heard) const;
  // A heard offer's terms as one unit of `combo`'s canonical form, if it is an offer of it.
  std::optional<Takeable> AsCanonical(const HeardOffer& heard, core::ComboId combo) const;
  // The take ended without a trade (TOO LATE, ERROR): try the next offer, post, or end.
  void TakeLost(const std::string& id);
  // Our ACCEPT's trade is confirmed: fill, then the rest is posted or ends.
  void TakeFilled(const std::string& id);
  void Withdraw(Order& order);
  void Acknowledge(Order& order);
  core::Duration TimeoutFor(TimeInForce time_in_force) const;
  void Handle(const std::string& line);
  void OnOwnMessage(Order& order, const Incoming& incoming);
  void ReportFill(Order& order, core::Quantity quantity, core::Price price, Liquidity liquidity);
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
  NegotiationMetrics metrics_;
  std::optional<SessionId> session_;
  // When each offer in the client's store was heard (its timeout runs from then).
  std::map<std::string, core::Timestamp> heard_at_;
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
