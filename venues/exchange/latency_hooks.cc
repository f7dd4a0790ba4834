// SimulatedVenue's latency protection hooks (seed 002; see venues/simulated_venue.h). The books
// hold matches through LatencyInterceptor and the complex book holds whole packages through
// PackagePolicy; the guard keeps the timers; at expiry the venue resolves the hold in its book
// and reports the outcome. Test orders and latency reports are answered here too.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "venues/exchange/venue_adapters.h"
#include "venues/simulated_venue.h"

namespace combo::venues {

absl::Status SimulatedVenue::ConnectLatency(core::ParticipantId participant,
                                            LatencyListener* listener) {
  if (latency_guard_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " does not run latency protection"));
  }
  if (listener == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("venue ", config_.name, ": participant ",
                                                   participant.value(), " has a null listener"));
  }
  transport_.ConnectLatency(participant, listener);
  return absl::OkStatus();
}

absl::Status SimulatedVenue::SubmitTestOrder(const TestOrder& order) {
  if (latency_guard_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " does not run latency protection"));
  }
  if (!transport_.HasLatencySession(order.participant)) {
    return absl::FailedPreconditionError(absl::StrCat("venue ", config_.name, ": participant ",
                                                      order.participant.value(),
                                                      " has no latency session (ConnectLatency)"));
  }
  if (order.instrument != config_.latency_protection.test_instrument) {
    return absl::InvalidArgumentError(absl::StrCat(
        "venue ", config_.name, ": a test order names instrument ", order.instrument.value(),
        ", not the test instrument ", config_.latency_protection.test_instrument.value()));
  }
  transport_.SendInbound(order.participant, config_.latency.inbound.new_order, [this, order]() {
    const core::Timestamp now = scheduler_->Now();
    // R3: the acceptance is made once the order left the inbound queue.
    TestOrderAccepted accepted;
    accepted.venue = config_.id;
    accepted.participant = order.participant;
    accepted.test_id = order.test_id;
    accepted.sent_time = order.sent_time;
    accepted.received_time = now;
    accepted.one_way = std::max(now - order.sent_time, core::Duration::Zero());
    accepted.time = now;
    transport_.SendLatencyEvent(order.participant, [accepted](LatencyListener& listener) {
      listener.OnTestOrderAccepted(accepted);
    });
    LatencyRecord(order.participant, LatencySource::kVenueOneWay, now - order.sent_time);
  });
  return absl::OkStatus();
}

absl::Status SimulatedVenue::ReportLatency(core::ParticipantId participant,
                                           core::Duration round_trip) {
  if (latency_guard_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " does not run latency protection"));
  }
  if (!transport_.HasLatencySession(participant)) {
    return absl::FailedPreconditionError(absl::StrCat("venue ", config_.name, ": participant ",
                                                      participant.value(),
                                                      " has no latency session (ConnectLatency)"));
  }
  if (round_trip < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", config_.name, ": participant ", participant.value(),
                     " reported a negative latency (", round_trip.nanoseconds(), " ns)"));
  }
  const core::Duration logged = std::min(round_trip, config_.latency_protection.reported_cap);
  transport_.SendInbound(participant, config_.latency.inbound.new_order,
                         [this, participant, logged]() {
                           LatencyRecord(participant, LatencySource::kReportedRoundTrip, logged);
                         });
  return absl::OkStatus();
}

void SimulatedVenue::LatencyRecord(core::ParticipantId participant, LatencySource source,
                                   core::Duration value) {
  LatencyEntry entry;
  entry.participant = participant;
  entry.source = source;
  entry.value = value;
  entry.time = scheduler_->Now();
  latency_guard_->log().Record(entry);
  const LatencyProtectionConfig& config = latency_guard_->config();
  LatencyReport report;
  report.venue = config_.id;
  report.participant = participant;
  report.source = source;
  report.logged = latency_guard_->log().History(participant).back().value;
  report.participant_latency =
      latency_guard_->log().Latency(participant, config.measure, config.log_scope);
  report.whole_log_period = latency_guard_->WholeLogPeriod();
  report.time = scheduler_->Now();
  transport_.SendLatencyEvent(
      participant, [report](LatencyListener& listener) { listener.OnLatencyReport(report); });
}

void SimulatedVenue::LatencyOnHeld(const HeldMatch& hold) {
  const OrderRecord* resting = registry_.Find(hold.resting_tag);
  const OrderRecord* incoming = registry_.Find(hold.incoming_tag);
  if (resting == nullptr || incoming == nullptr) return;  // every order in a book is registered
  latency_guard_->Hold(hold, resting->order_id, incoming->order_id);
  const core::Timestamp now = scheduler_->Now();
  for (const OrderRecord* record : {resting, incoming}) {
    TradePending event;
    event.venue = config_.id;
    event.participant = record->participant;
    event.order_id = record->order_id;
    event.price = hold.price;
    event.quantity = hold.quantity;
    event.time = now;
    transport_.Queue(record->participant, event);
  }
}

void SimulatedVenue::LatencyResolve(const PendingTrade& trade) {
  const HeldMatch& hold = trade.match;
  auto adapter = books_.find(hold.instrument);
  if (adapter == books_.end()) return;
  OrderBook& book = adapter->second->book();
  const bool resting_open = registry_.Find(hold.resting_tag) != nullptr;
  const bool incoming_open = registry_.Find(hold.incoming_tag) != nullptr;
  const HoldOutcome outcome = book.ResolveHold(hold);
  latency_guard_->CountOutcome(outcome);
  if (outcome.prevented.is_positive()) {
    std::string reason;
    if (!resting_open || !incoming_open) {
      reason = absl::StrCat("order ",
                            (resting_open ? trade.incoming_order : trade.resting_order).value(),
                            " left the book during the hold");
    } else if (outcome.executed.is_positive()) {
      reason = "the open quantity shrank during the hold";
    } else {
      reason = "the orders no longer match at the end of the hold";
    }
    const core::Timestamp now = scheduler_->Now();
    for (const auto& [participant, order_id] :
         {std::pair{hold.resting_owner, trade.resting_order},
          std::pair{hold.incoming_owner, trade.incoming_order}}) {
      TradeVoided event;
      event.venue = config_.id;
      event.participant = participant;
      event.order_id = order_id;
      event.quantity = outcome.prevented;
      event.reason = absl::StrCat("venue ", config_.name, ": ", reason);
      event.time = now;
      transport_.Queue(participant, std::move(event));
    }
  }
  // Orders the resolution finished (filled, or an IOC rest cancelled) leave the venue's records.
  for (uint64_t tag : {hold.resting_tag, hold.incoming_tag}) {
    const OrderRecord* record = registry_.Find(tag);
    if (record == nullptr) continue;
    const std::optional<RestingOrderView> view = book.Find(record->handle);
    if (!view.has_value() || view->tag != tag) Forget(tag);
  }
  Flush();
}

void SimulatedVenue::LatencyOnPackageHeld(const HeldPackage& package) {
  latency_guard_->HoldPackage(package.id, package.period);
  std::vector<PackageParty>& parties = package_parties_[package.id];
  const core::Timestamp now = scheduler_->Now();
  const auto pending_for = [&](const PackageParty& party, core::Price price) {
    parties.push_back(party);
    TradePending event;
    event.venue = config_.id;
    event.participant = party.participant;
    event.order_id = party.order_id;
    event.price = price;
    event.quantity = party.quantity;
    event.time = now;
    transport_.Queue(party.participant, event);
  };
  std::vector<uint64_t> complex_tags{package.incoming.tag};
  if (package.resting.has_value()) complex_tags.push_back(package.resting->tag);
  for (uint64_t tag : complex_tags) {
    const OrderRecord* record = registry_.Find(tag);
    if (record == nullptr) continue;  // every complex order is registered
    // The net price in the order's own (canonical-side) terms: what the buyer pays.
    pending_for(PackageParty{record->participant, record->order_id, package.units, 0},
                package.net_price);
  }
  for (const HeldLegOrder& leg_order : package.leg_orders) {
    const OrderRecord* record = registry_.Find(leg_order.tag);
    if (record == nullptr) continue;  // every order in a book is registered
    pending_for(
        PackageParty{record->participant, record->order_id, leg_order.quantity, leg_order.tag},
        leg_order.price);
  }
}

void SimulatedVenue::LatencyResolvePackage(uint64_t package_id) {
  const PackageOutcome outcome = complex_book_->ResolvePackage(package_id);
  latency_guard_->CountOutcome(HoldOutcome{outcome.executed, outcome.prevented});
  // A leg order matched again as a survivor (R29(d)) may have finished as the incoming side of
  // its trades, which leaves its record to the caller: forget those no longer in their book.
  for (const HeldLegOrder& leg_order : outcome.leg_orders) {
    const OrderRecord* record = registry_.Find(leg_order.tag);
    if (record == nullptr) continue;
    if (!LegBook(*record)->FindLive(record->handle, leg_order.tag)) {
      Forget(leg_order.tag);
    }
  }
  auto parties = package_parties_.extract(package_id);
  if (outcome.prevented.is_positive() && !parties.empty()) {
    const core::Timestamp now = scheduler_->Now();
    for (const PackageParty& party : parties.mapped()) {
      core::Quantity voided = outcome.prevented;
      if (party.leg_tag != 0) {
        // A leg order's part: what it was held for less what the package traded with it.
        voided = party.quantity;
        for (const HeldLegOrder& leg_order : outcome.leg_orders) {
          if (leg_order.tag == party.leg_tag) voided = leg_order.quantity - leg_order.executed;
        }
      }
      if (!voided.is_positive()) continue;
      TradeVoided event;
      event.venue = config_.id;
      event.participant = party.participant;
      event.order_id = party.order_id;
      event.quantity = voided;
      event.reason =
          absl::StrCat("venue ", config_.name, ": package of ", outcome.prevented.value(),
                       " combo units prevented: ", outcome.reason);
      event.time = now;
      transport_.Queue(party.participant, std::move(event));
    }
  }
  Flush();
}

}  // namespace combo::venues
