// Transport: how a simulated venue's messages travel, both ways (venues/simulated_venue.h).
//
// A request reaches the exchange after the inbound latency of its type (SendInbound); each
// event reaches its participant, latency session or market-data subscriber after the outbound
// latency of its type. Latency is fixed plus a uniform jitter drawn from the venue's seeded
// core::Rng; messages between one participant (or subscriber) and the venue stay in order in each
// direction, as on one TCP session. A matching step queues its events (Queue, QueueMarketData)
// and Flush sends them once the step is over, so no listener sees a half-done step.
//
// Scheduled deliveries do nothing once the transport is gone, and skip a participant or
// subscriber that is no longer connected. Not thread-safe: lives on the thread that runs its
// Scheduler.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "core/ids.h"
#include "core/market_data.h"
#include "core/random.h"
#include "core/scheduler.h"
#include "venues/exchange/venue_config.h"
#include "venues/latency_probe.h"
#include "venues/venue.h"

namespace combo::venues {

class Transport {
 public:
  // An event for one participant, waiting for the end of its step.
  using ParticipantEvent =
      std::variant<OrderAcked, OrderRejected, Fill, OrderCancelled, OrderRestated, ComplexFill,
                   TradePending, TradeVoided, BlockNotice, AwayMarketAlert, FarmmNotice>;
  // An event for every market-data subscriber, waiting for the end of its step.
  using MarketDataEvent =
      std::variant<core::LegBookUpdate, core::TradePrint, core::NativeComboUpdate, AopStatusChanged,
                   VenueTradingStatusChanged, core::ComboTradePrint, SeriesStatusChanged>;

  // `scheduler` is not owned and must outlive the transport.
  Transport(const LatencyModel& latency, core::Scheduler* scheduler);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  core::Timestamp Now() const { return scheduler_->Now(); }

  // Sessions: where each participant's events go (connecting again replaces the listener).
  void Connect(core::ParticipantId participant, VenueListener* listener) {
    sessions_[participant] = listener;
  }
  bool Connected(core::ParticipantId participant) const { return sessions_.contains(participant); }
  // Market-data subscribers; false if already subscribed / not subscribed.
  bool AddSubscriber(MarketDataListener* listener);
  bool RemoveSubscriber(MarketDataListener* listener);
  // Latency-protection sessions (test-order acceptances and latency reports).
  void ConnectLatency(core::ParticipantId participant, LatencyListener* listener) {
    latency_listeners_[participant] = listener;
  }
  bool HasLatencySession(core::ParticipantId participant) const {
    return latency_listeners_.contains(participant);
  }

  // Runs `process` at the venue after the inbound latency, behind the participant's earlier
  // messages.
  void SendInbound(core::ParticipantId participant, const LatencySpec& latency,
                   absl::AnyInvocable<void() &&> process);
  // Queues an event of the current step for `participant` (sent on the next Flush).
  template <typename Event>
  void Queue(core::ParticipantId participant, Event&& event) {
    pending_.emplace_back(participant, std::forward<Event>(event));
  }
  // Queues a market-data event of the current step for every subscriber.
  template <typename Event>
  void QueueMarketData(Event&& event) {
    pending_market_data_.emplace_back(std::forward<Event>(event));
  }
  // Schedules the step's events for delivery and clears the queues.
  void Flush();
  // Sends a latency-protection answer to `participant`'s latency session after the outbound
  // latency of acks, in order with its other events.
  void SendLatencyEvent(core::ParticipantId participant,
                        std::function<void(LatencyListener&)> deliver);
  // Runs `task` at `when` unless the transport is gone by then.
  void ScheduleAt(core::Timestamp when, absl::AnyInvocable<void() &&> task);

 private:
  core::Duration Draw(const LatencySpec& latency);
  // When a message leaving now with `latency` arrives, behind the earlier ones on `last`.
  core::Timestamp Arrival(const LatencySpec& latency, core::Timestamp& last);

  LatencyModel latency_;
  core::Scheduler* scheduler_;
  core::Rng rng_;
  std::map<core::ParticipantId, VenueListener*> sessions_;
  std::vector<MarketDataListener*> subscribers_;
  std::map<core::ParticipantId, LatencyListener*> latency_listeners_;
  // Keeps each direction of each session in order.
  std::map<core::ParticipantId, core::Timestamp> last_inbound_;
  std::map<core::ParticipantId, core::Timestamp> last_outbound_;
  absl::flat_hash_map<MarketDataListener*, core::Timestamp> last_market_data_;
  std::vector<std::pair<core::ParticipantId, ParticipantEvent>> pending_;
  std::vector<MarketDataEvent> pending_market_data_;
  // Shared with scheduled callbacks, which do nothing once the transport is gone.
  std::shared_ptr<Transport*> self_;
};

}  // namespace combo::venues
