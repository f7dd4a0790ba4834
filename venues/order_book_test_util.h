// Test helpers for OrderBook: an event recorder and order builders. Test-only; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "core/price.h"
#include "core/quantity.h"
#include "venues/order_book.h"

namespace combo::venues::testing {

struct RecordedCancel {
  uint64_t tag = 0;
  CancelReason reason = CancelReason::kRequested;
  int64_t quantity = 0;
  friend bool operator==(const RecordedCancel&, const RecordedCancel&) = default;
};

struct RecordedRestatement {
  uint64_t tag = 0;
  RestatementReason reason = RestatementReason::kReplaced;
  core::Price price;
  int64_t leaves = 0;
  QueuePriority priority = QueuePriority::kKept;
  friend bool operator==(const RecordedRestatement&, const RecordedRestatement&) = default;
};

struct RecordedLevel {
  core::Side side = core::Side::kBuy;
  core::Price price;
  int64_t quantity = 0;
  uint64_t sequence = 0;
};

// Records everything a book emits, and rebuilds its depth from the level updates alone.
class RecordingEvents : public OrderBookEvents {
 public:
  void OnTrade(const BookTrade& trade) override { trades.push_back(trade); }
  void OnOrderCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity) override {
    cancels.push_back({tag, reason, quantity.value()});
  }
  void OnLevelUpdate(core::Side side, core::Price price, core::Quantity quantity,
                     uint64_t sequence) override {
    levels.push_back({side, price, quantity.value(), sequence});
    auto& book = side == core::Side::kBuy ? rebuilt_bids : rebuilt_asks;
    if (quantity.is_zero()) {
      book.erase(price);
    } else {
      book[price] = quantity.value();
    }
  }
  void OnQuoteRestated(uint64_t tag, RestatementReason reason, core::Price limit_price,
                       core::Quantity leaves, QueuePriority priority) override {
    restatements.push_back({tag, reason, limit_price, leaves.value(), priority});
  }
  void OnDeriveOrTrade(DeriveOrTradeOutcome outcome) override {
    derive_or_trade.push_back(outcome);
  }
  void Clear() {
    trades.clear();
    cancels.clear();
    levels.clear();
    restatements.clear();
    derive_or_trade.clear();
  }

  std::vector<BookTrade> trades;
  std::vector<RecordedCancel> cancels;
  std::vector<RecordedLevel> levels;
  std::vector<RecordedRestatement> restatements;
  std::vector<DeriveOrTradeOutcome> derive_or_trade;
  std::map<core::Price, int64_t> rebuilt_bids;
  std::map<core::Price, int64_t> rebuilt_asks;
};

// Prices in hundredths (cents) or sixteenths keep the seed's fractions exact.
inline core::Price Cents(int64_t cents) { return core::Price::FromRaw(cents * 10'000'000); }
inline core::Price Sixteenths(int64_t sixteenths) {
  return core::Price::FromRaw(sixteenths * 62'500'000);
}

inline BookOrder Limit(uint64_t tag, uint32_t owner, core::Side side, core::Price price,
                       int64_t quantity, ParticipantRole role = ParticipantRole::kProfessional) {
  BookOrder order;
  order.tag = tag;
  order.owner = core::ParticipantId(owner);
  order.role = role;
  order.instrument = core::InstrumentId(1);
  order.side = side;
  order.type = OrderType::kLimit;
  order.limit_price = price;
  order.quantity = core::Quantity(quantity);
  order.time_in_force = TimeInForce::kDay;
  return order;
}

inline BookOrder Market(uint64_t tag, uint32_t owner, core::Side side, int64_t quantity,
                        ParticipantRole role = ParticipantRole::kCustomer) {
  BookOrder order = Limit(tag, owner, side, core::Price::Zero(), quantity, role);
  order.type = OrderType::kMarket;
  order.time_in_force = TimeInForce::kImmediateOrCancel;
  return order;
}

inline BookOrder WithTif(BookOrder order, TimeInForce time_in_force) {
  order.time_in_force = time_in_force;
  return order;
}

inline BookOrder AllOrNone(BookOrder order) {
  order.condition = FillCondition::kAllOrNone;
  return order;
}

// (resting tag, quantity) of each trade, for compact expectations.
inline std::vector<std::pair<uint64_t, int64_t>> Fills(const std::vector<BookTrade>& trades) {
  std::vector<std::pair<uint64_t, int64_t>> out;
  for (const BookTrade& t : trades) out.emplace_back(t.resting_tag, t.quantity.value());
  return out;
}

}  // namespace combo::venues::testing
