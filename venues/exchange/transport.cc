// Transport: latency, per-session ordering and the end-of-step flush (see transport.h).
#include "venues/exchange/transport.h"

#include <algorithm>
#include <type_traits>

namespace combo::venues {
namespace {

const LatencySpec& OutboundLatencyOf(const OutboundLatency& out,
                                     const Transport::ParticipantEvent& event) {
  return std::visit(
      [&out](const auto& e) -> const LatencySpec& {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, OrderAcked>) return out.ack;
        if constexpr (std::is_same_v<T, OrderRejected>) return out.reject;
        if constexpr (std::is_same_v<T, Fill>) return out.fill;
        if constexpr (std::is_same_v<T, ComplexFill>) return out.fill;
        if constexpr (std::is_same_v<T, OrderCancelled>) return out.cancelled;
        if constexpr (std::is_same_v<T, TradePending> || std::is_same_v<T, TradeVoided>) {
          return out.fill;
        }
        return out.restated;
      },
      event);
}

void Deliver(VenueListener& listener, const Transport::ParticipantEvent& event) {
  std::visit(
      [&listener](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, OrderAcked>) listener.OnAck(e);
        if constexpr (std::is_same_v<T, OrderRejected>) listener.OnReject(e);
        if constexpr (std::is_same_v<T, Fill>) listener.OnFill(e);
        if constexpr (std::is_same_v<T, ComplexFill>) listener.OnComplexFill(e);
        if constexpr (std::is_same_v<T, OrderCancelled>) listener.OnCancelled(e);
        if constexpr (std::is_same_v<T, OrderRestated>) listener.OnRestated(e);
        if constexpr (std::is_same_v<T, TradePending>) listener.OnTradePending(e);
        if constexpr (std::is_same_v<T, TradeVoided>) listener.OnTradeVoided(e);
        if constexpr (std::is_same_v<T, BlockNotice>) listener.OnBlockNotice(e);
        if constexpr (std::is_same_v<T, AwayMarketAlert>) listener.OnAwayMarketAlert(e);
        if constexpr (std::is_same_v<T, FarmmNotice>) listener.OnFarmmNotice(e);
      },
      event);
}

void Deliver(MarketDataListener& subscriber, const Transport::MarketDataEvent& event) {
  std::visit(
      [&subscriber](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, core::LegBookUpdate>) subscriber.OnLegBookUpdate(e);
        if constexpr (std::is_same_v<T, core::TradePrint>) subscriber.OnTradePrint(e);
        if constexpr (std::is_same_v<T, core::ComboTradePrint>) subscriber.OnComboTradePrint(e);
        if constexpr (std::is_same_v<T, core::NativeComboUpdate>) subscriber.OnNativeComboUpdate(e);
        if constexpr (std::is_same_v<T, AopStatusChanged>) subscriber.OnAopStatus(e);
        if constexpr (std::is_same_v<T, VenueTradingStatusChanged>) {
          subscriber.OnVenueTradingStatus(e);
        }
        if constexpr (std::is_same_v<T, SeriesStatusChanged>) subscriber.OnSeriesStatus(e);
      },
      event);
}

}  // namespace

Transport::Transport(const LatencyModel& latency, core::Scheduler* scheduler)
    : latency_(latency),
      scheduler_(scheduler),
      rng_(latency.seed),
      self_(std::make_shared<Transport*>(this)) {}

Transport::~Transport() { *self_ = nullptr; }

bool Transport::AddSubscriber(MarketDataListener* listener) {
  if (std::find(subscribers_.begin(), subscribers_.end(), listener) != subscribers_.end()) {
    return false;
  }
  subscribers_.push_back(listener);
  return true;
}

bool Transport::RemoveSubscriber(MarketDataListener* listener) {
  auto it = std::find(subscribers_.begin(), subscribers_.end(), listener);
  if (it == subscribers_.end()) return false;
  subscribers_.erase(it);
  return true;
}

core::Duration Transport::Draw(const LatencySpec& latency) {
  if (latency.jitter <= core::Duration::Zero()) return latency.fixed;
  return latency.fixed +
         core::Duration::Nanoseconds(rng_.UniformInt(0, latency.jitter.nanoseconds()));
}

core::Timestamp Transport::Arrival(const LatencySpec& latency, core::Timestamp& last) {
  const core::Timestamp when = std::max(scheduler_->Now() + Draw(latency), last);
  last = when;
  return when;
}

void Transport::SendInbound(core::ParticipantId participant, const LatencySpec& latency,
                            absl::AnyInvocable<void() &&> process) {
  ScheduleAt(Arrival(latency, last_inbound_[participant]), std::move(process));
}

void Transport::ScheduleAt(core::Timestamp when, absl::AnyInvocable<void() &&> task) {
  scheduler_->ScheduleAt(when, [self = self_, task = std::move(task)]() mutable {
    if (*self != nullptr) std::move(task)();
  });
}

void Transport::Flush() {
  const core::Timestamp now = scheduler_->Now();
  const OutboundLatency& out = latency_.outbound;
  for (auto& [participant, event] : pending_) {
    core::Timestamp& last = last_outbound_[participant];
    const core::Timestamp when = std::max(now + Draw(OutboundLatencyOf(out, event)), last);
    last = when;
    scheduler_->ScheduleAt(when,
                           [self = self_, participant = participant, event = std::move(event)]() {
                             if (*self == nullptr) return;
                             auto session = (*self)->sessions_.find(participant);
                             if (session == (*self)->sessions_.end()) return;
                             Deliver(*session->second, event);
                           });
  }
  pending_.clear();
  for (MarketDataEvent& event : pending_market_data_) {
    for (MarketDataListener* subscriber : subscribers_) {
      core::Timestamp& last = last_market_data_[subscriber];
      const core::Timestamp when = std::max(now + Draw(out.market_data), last);
      last = when;
      scheduler_->ScheduleAt(when, [self = self_, subscriber, event]() {
        if (*self == nullptr) return;
        const auto& subscribers = (*self)->subscribers_;
        if (std::find(subscribers.begin(), subscribers.end(), subscriber) == subscribers.end()) {
          return;
        }
        Deliver(*subscriber, event);
      });
    }
  }
  pending_market_data_.clear();
}

void Transport::SendLatencyEvent(core::ParticipantId participant,
                                 std::function<void(LatencyListener&)> deliver) {
  const core::Timestamp when = Arrival(latency_.outbound.ack, last_outbound_[participant]);
  scheduler_->ScheduleAt(when, [self = self_, participant, deliver = std::move(deliver)]() {
    if (*self == nullptr) return;
    auto it = (*self)->latency_listeners_.find(participant);
    if (it != (*self)->latency_listeners_.end()) deliver(*it->second);
  });
}

}  // namespace combo::venues
