// The market simulator's resting trader (config and behaviour: resting_traders.h): one
// participant at one venue whose limit Day orders rest near the market, then are replaced or
// cancelled when their lifetime ends. Private to venues/market_sim/: a nested class of
// MarketSimulator, like the agents in agents.h, so it reaches the simulator's last tops, fair
// values, timers, log and stats.
//
// Not thread-safe: lives with its simulator, on its Scheduler's thread.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "venues/market_sim/agents.h"
#include "venues/market_sim/resting_traders.h"

namespace combo::venues::market_sim {

class MarketSimulator::RestingTrader final : public Agent {
 public:
  RestingTrader(MarketSimulator* sim, core::ParticipantId id, RestingTraderConfig config,
                core::Rng rng)
      : Agent(sim, id, config.venue, rng), config_(std::move(config)) {}

  void Start() override { ScheduleArrival(); }
  void StopAgent() override {
    Agent::StopAgent();
    if (arrival_timer_.valid()) sim_->scheduler_->Cancel(arrival_timer_);
    arrival_timer_ = core::TimerId{};
    for (auto& [id, order] : open_) CancelLifetime(order);
  }

  void OnFill(const Fill& event) override {
    Agent::OnFill(event);
    if (event.liquidity == Liquidity::kAdded) ++sim_->stats_.resting_fills;
  }
  void OnComplexFill(const ComplexFill& event) override {
    Agent::OnComplexFill(event);
    if (event.liquidity == Liquidity::kAdded) ++sim_->stats_.resting_fills;
  }

 private:
  // What an order trades: a leg (instrument) or a native combo.
  struct Target {
    std::optional<core::InstrumentId> instrument;
    core::ComboId combo;
  };
  struct OpenOrder {
    Target target;
    core::Side side = core::Side::kBuy;
    core::Price price;
    core::Quantity total;
    core::Quantity filled;
    core::TimerId lifetime;
  };

  void ScheduleArrival() {
    arrival_timer_ = sim_->Schedule(PoissonGap(rng_, config_.orders_per_second), [this]() {
      arrival_timer_ = core::TimerId{};
      Arrive();
      ScheduleArrival();
    });
  }

  void Arrive() {
    // Every draw is made whatever happens next, so a run's draws do not depend on the market.
    const auto [index, side, quantity] =
        DrawOrder(config_.instruments.size() + config_.combos.size(), config_.min_quantity,
                  config_.max_quantity);
    const int64_t offset = DrawOffset();
    const core::Duration lifetime = DrawLifetime();
    // Drawn only by traders that send blocks, so that the others' runs stay as they were.
    const OrderHandling handling =
        config_.block_percent > 0 ? DrawHandling() : OrderHandling::kRegular;
    if (venue_halted() || static_cast<int64_t>(open_.size()) >= config_.max_open_orders) return;
    Target target;
    if (index < config_.instruments.size()) {
      target.instrument = config_.instruments[index];
    } else {
      target.combo = config_.combos[index - config_.instruments.size()];
    }
    const std::optional<core::Price> price = LimitFor(target, side, offset);
    if (!price.has_value()) return;
    const bool block = handling != OrderHandling::kRegular && target.instrument.has_value();
    const core::Quantity size = block ? config_.block_quantity : quantity;
    const core::OrderId order = NextOrderId();
    OpenOrder& open = open_[order];
    open = OpenOrder{target, side, *price, size, core::Quantity::Zero(), core::TimerId{}};
    ++sim_->stats_.resting_orders_placed;
    if (target.instrument.has_value()) {
      OrderRequest request;
      request.participant = id_;
      request.order_id = order;
      request.instrument = *target.instrument;
      request.side = side;
      request.limit_price = *price;
      request.quantity = size;
      request.time_in_force = TimeInForce::kDay;
      request.role = config_.role;
      if (block) {
        // The venue's response window ends it (executed or expired): no lifetime of ours.
        request.handling = handling;
        ++sim_->stats_.block_orders_placed;
        SendSubmit(request);
        return;
      }
      SendSubmit(request);
    } else {
      ComplexOrderRequest request;
      request.participant = id_;
      request.order_id = order;
      request.combo = target.combo;
      request.side = side;
      request.limit_price = *price;
      request.quantity = quantity;
      request.time_in_force = TimeInForce::kDay;
      request.role = config_.role;
      SendSubmitComplex(request);
    }
    ScheduleLifetime(order, lifetime);
  }

  OrderHandling DrawHandling() {
    const bool block = rng_.Bernoulli(static_cast<double>(config_.block_percent) / 100.0);
    const bool facilitation =
        rng_.Bernoulli(static_cast<double>(config_.facilitation_percent) / 100.0);
    if (!block) return OrderHandling::kRegular;
    return facilitation ? OrderHandling::kFacilitation : OrderHandling::kBlock;
  }
  int64_t DrawOffset() {
    return rng_.UniformInt(config_.min_offset_ticks, config_.max_offset_ticks);
  }
  core::Duration DrawLifetime() {
    return core::Duration::Nanoseconds(
        rng_.UniformInt(config_.min_lifetime.nanoseconds(), config_.max_lifetime.nanoseconds()));
  }

  void ScheduleLifetime(core::OrderId order, core::Duration lifetime) {
    open_.at(order).lifetime = sim_->Schedule(lifetime, [this, order]() { EndOfLife(order); });
  }
  void CancelLifetime(OpenOrder& order) {
    if (order.lifetime.valid()) sim_->scheduler_->Cancel(order.lifetime);
    order.lifetime = core::TimerId{};
  }

  // The order's lifetime ran out: a replace to a fresh price (and a new lifetime) or a cancel.
  void EndOfLife(core::OrderId order) {
    auto it = open_.find(order);
    if (it == open_.end()) return;
    OpenOrder& open = it->second;
    open.lifetime = core::TimerId{};
    const bool replace = rng_.Bernoulli(static_cast<double>(config_.replace_percent) / 100.0);
    const int64_t offset = DrawOffset();
    const core::Duration lifetime = DrawLifetime();
    if (!replace) {
      ++sim_->stats_.resting_orders_cancelled;
      SendCancel(order);
      return;
    }
    const std::optional<core::Price> price =
        venue_halted() ? std::nullopt : LimitFor(open.target, open.side, offset);
    if (price.has_value() && *price != open.price) {
      open.price = *price;
      ++sim_->stats_.resting_orders_replaced;
      // The total stays (FIX semantics: it counts the filled part); the price moves.
      SendReplace(ReplaceRequest{id_, order, *price, open.total});
    }
    ScheduleLifetime(order, lifetime);
  }

  // The limit `offset` ticks from the same side's best price (fair value when that side is
  // empty), never locking or crossing the other side; nullopt when there is no such price (a
  // leg order needs a positive one).
  std::optional<core::Price> LimitFor(const Target& target, core::Side side, int64_t offset) const {
    const bool buy = side == core::Side::kBuy;
    const core::RoundingMode away = buy ? core::RoundingMode::kDown : core::RoundingMode::kUp;
    if (target.instrument.has_value()) {
      const InstrumentState& state = sim_->instruments_.at(*target.instrument);
      const core::TickRule& rule = state.instrument->tick_rule();
      const core::TopOfBook top = sim_->LastTop(venue_id_, *target.instrument);
      const std::optional<core::Price> reference = top.side(side).has_value()
                                                       ? std::optional(top.side(side)->price)
                                                       : ToTick(state.fair, rule, away);
      if (!reference.has_value()) return std::nullopt;
      const core::Price tick = rule.TickAt(*reference);
      absl::StatusOr<core::Price> price =
          rule.Round(buy ? *reference + tick * offset : *reference - tick * offset, away);
      if (!price.ok()) return std::nullopt;
      const std::optional<core::PriceLevel>& contra = top.side(core::Opposite(side));
      if (contra.has_value() && (buy ? *price >= contra->price : *price <= contra->price)) {
        const core::Price step = rule.TickAt(contra->price);
        price = rule.Round(buy ? contra->price - step : contra->price + step, away);
        if (!price.ok()) return std::nullopt;
      }
      if (!price->is_positive()) return std::nullopt;
      return *price;
    }
    const core::TopOfBook top = sim_->LastNativeTop(venue_id_, target.combo);
    const std::optional<core::Price> reference =
        top.side(side).has_value()
            ? std::optional(top.side(side)->price)
            : ToTick(sim_->ComboFair(sim_->combos_.at(target.combo)), config_.net_tick, away);
    if (!reference.has_value()) return std::nullopt;
    const core::Price step = config_.net_tick;
    core::Price price = buy ? *reference + step * offset : *reference - step * offset;
    const std::optional<core::PriceLevel>& contra = top.side(core::Opposite(side));
    if (contra.has_value() && (buy ? price >= contra->price : price <= contra->price)) {
      price = buy ? contra->price - step : contra->price + step;
    }
    return price;
  }

  void HandleFill(core::OrderId order, core::Quantity quantity, core::Quantity leaves) override {
    auto it = open_.find(order);
    if (it == open_.end()) return;
    it->second.filled += quantity;
    if (leaves.is_zero()) Finished(it);
  }
  void HandleFinished(core::OrderId order) override {
    auto it = open_.find(order);
    if (it != open_.end()) Finished(it);
  }
  void HandleReject(const OrderRejected& event) override {
    // A rejected new order never existed; a rejected replace leaves the order as it was.
    if (event.request != RequestKind::kNew && event.request != RequestKind::kNewComplex) return;
    auto it = open_.find(event.order_id);
    if (it != open_.end()) Finished(it);
  }
  void Finished(std::map<core::OrderId, OpenOrder>::iterator it) {
    CancelLifetime(it->second);
    open_.erase(it);
  }

  RestingTraderConfig config_;
  core::TimerId arrival_timer_;
  // Open orders by id (ordered: deterministic iteration).
  std::map<core::OrderId, OpenOrder> open_;
};

}  // namespace combo::venues::market_sim
