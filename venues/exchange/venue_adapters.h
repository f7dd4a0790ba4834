// The adapters through which a SimulatedVenue hears its parts: each forwards one component's
// callbacks (a leg book, the complex book, the third-party market, the latency guard's hold
// decisions) to the venue's handlers. Private to venues/exchange/; the venue owns one of each
// it needs.
//
// Not thread-safe: they live with their venue, on its Scheduler's thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "venues/simulated_venue.h"

namespace combo::venues {

class SimulatedVenue::BookAdapter final : public OrderBookEvents {
 public:
  BookAdapter(SimulatedVenue* venue, OrderBookConfig config)
      : venue_(venue), book_(std::move(config), this) {}

  void OnTrade(const BookTrade& trade) override { venue_->OnBookTrade(book_, trade); }
  void OnOrderCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity) override {
    venue_->OnBookCancel(tag, reason, quantity);
  }
  void OnLevelUpdate(core::Side side, core::Price price, core::Quantity quantity,
                     uint64_t sequence) override {
    venue_->OnBookLevel(book_, side, price, quantity, sequence);
  }
  void OnQuoteRestated(uint64_t tag, RestatementReason reason, core::Price limit_price,
                       core::Quantity leaves, QueuePriority priority) override {
    venue_->OnBookQuoteRestated(tag, reason, limit_price, leaves, priority);
  }
  void OnQuoteMatchDelayed(OrderHandle handle, uint64_t tag) override {
    venue_->OnBookQuoteMatchDelayed(book_, handle, tag);
  }
  void OnDeriveOrTrade(DeriveOrTradeOutcome outcome) override {
    venue_->OnBookDeriveOrTrade(outcome);
  }

  OrderBook& book() { return book_; }
  const OrderBook& book() const { return book_; }

 private:
  SimulatedVenue* venue_;
  OrderBook book_;
};

class SimulatedVenue::AopObserver final : public aop::ThirdPartyMarketObserver {
 public:
  explicit AopObserver(SimulatedVenue* venue) : venue_(venue) {}
  void OnTpimQuote(core::InstrumentId instrument) override {
    venue_->AopOnQuote(instrument);
    venue_->ComplexOnAwayQuote(instrument);
    venue_->Flush();
  }
  void OnTpimTrade(const core::TradePrint& print) override {
    venue_->AopOnTrade(print);
    venue_->Flush();
  }
  void OnFeedState(aop::FeedState state, std::string_view reason) override {
    venue_->AopOnFeedState(state, reason);
    // A stale away market does not count (ComplexAwayMarket): every leg's away market changed.
    venue_->ComplexOnAwayQuote(std::nullopt);
    venue_->Flush();
  }

 private:
  SimulatedVenue* venue_;
};

class SimulatedVenue::LatencyInterceptor final : public MatchInterceptor {
 public:
  explicit LatencyInterceptor(SimulatedVenue* venue) : venue_(venue) {}
  core::Duration HoldPeriod(core::ParticipantId resting_owner,
                            core::ParticipantId incoming_owner) override {
    // The complex book's leg orders are never held here: the complex book holds the whole
    // package (PackagePolicy) and only sends leg orders when its package period is zero.
    if (resting_owner == kComplexLegOwner || incoming_owner == kComplexLegOwner) {
      return core::Duration::Zero();
    }
    const core::Duration period = venue_->latency_guard_->PeriodFor(resting_owner, incoming_owner);
    // The book asks only for a match it will trade now or hold.
    if (period <= core::Duration::Zero()) venue_->latency_guard_->CountImmediate();
    return period;
  }
  void OnHeld(const HeldMatch& hold) override { venue_->LatencyOnHeld(hold); }

 private:
  SimulatedVenue* venue_;
};

class SimulatedVenue::PackagePolicy final : public PackageHoldPolicy {
 public:
  explicit PackagePolicy(SimulatedVenue* venue) : venue_(venue) {}
  core::Duration PackagePeriod(core::ParticipantId incoming,
                               std::span<const core::ParticipantId> resting) override {
    const core::Duration period = venue_->latency_guard_->PeriodForPackage(incoming, resting);
    // The complex book asks only for a package it will execute now or hold.
    if (period <= core::Duration::Zero()) venue_->latency_guard_->CountImmediate();
    return period;
  }
  void OnPackageHeld(const HeldPackage& package) override { venue_->LatencyOnPackageHeld(package); }

 private:
  SimulatedVenue* venue_;
};

// The complex book's away market (seed 001 R8's OPRA BBO) is the venue's third-party market,
// consolidated from the configured other venues; unusable while it is stale.
class SimulatedVenue::ComplexAwayMarket final : public AwayMarket {
 public:
  explicit ComplexAwayMarket(const aop::ThirdPartyMarket* market) : market_(market) {}
  std::optional<core::TopOfBook> AwayTop(core::InstrumentId instrument) const override {
    if (market_->stale()) return std::nullopt;
    return market_->Top(instrument);
  }

 private:
  const aop::ThirdPartyMarket* market_;
};

class SimulatedVenue::ComplexAdapter final : public ComplexBookListener {
 public:
  explicit ComplexAdapter(SimulatedVenue* venue) : venue_(venue) {}

  void OnComplexExecution(const ComplexExecution& execution) override {
    venue_->OnComplexExecution(execution);
  }
  void OnComplexCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity) override {
    venue_->OnComplexCancelled(tag, reason, quantity);
  }
  void OnComplexTop(core::ComboId combo, const core::TopOfBook& top,
                    const core::TopOfBook& legs_implied) override {
    venue_->OnComplexTop(combo, top, legs_implied);
  }
  void RequestWakeUp(core::Timestamp when) override { venue_->ScheduleComplexWakeUp(when); }

 private:
  SimulatedVenue* venue_;
};

// The primary market's market data, of which only its series phases matter here.
class SimulatedVenue::PrimaryMarketWatcher final : public MarketDataListener {
 public:
  explicit PrimaryMarketWatcher(SimulatedVenue* venue) : venue_(venue) {}
  void OnLegBookUpdate(const core::LegBookUpdate& /*update*/) override {}
  void OnSeriesStatus(const SeriesStatusChanged& change) override {
    venue_->OnPrimaryMarketStatus(change);
  }

 private:
  SimulatedVenue* venue_;
};

}  // namespace combo::venues
