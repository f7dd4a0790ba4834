// Test harness for ComplexBook: real leg OrderBooks wired to a ComplexBook on simulated time,
// recording every execution (with the leg books' tops when it was decided), cancel, top and
// leg trade. Test-only; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/combo_spec.h"
#include "core/simulated_time.h"
#include "venues/complex_book.h"
#include "venues/order_book.h"

namespace combo::venues::testing {

inline core::Price Cents(int64_t cents) { return core::Price::FromRaw(cents * 10'000'000); }

inline ListedCombo MakeCombo(uint32_t id, std::vector<core::ComboLeg> legs) {
  return ListedCombo{core::ComboId(id), core::ComboSpec::Create(std::move(legs)).value(), {}};
}

struct RecordedExecution {
  ComplexExecution execution;
  // The leg books' tops when the execution was decided, per leg (canonical order).
  std::vector<core::TopOfBook> tops;
};

struct RecordedComplexCancel {
  uint64_t tag = 0;
  CancelReason reason = CancelReason::kRequested;
  int64_t quantity = 0;
};

struct RecordedLegTrade {
  core::InstrumentId instrument;
  BookTrade trade;
};

class ComplexHarness : public ComplexBookListener {
 public:
  // Leg books on `leg_tick` (default 0.01) for `instruments`; the complex book with `config`
  // (enabled).
  ComplexHarness(ComplexBookConfig config, const std::vector<core::InstrumentId>& instruments,
                 AllocationRule allocation = AllocationRule::kPriceTime,
                 const core::TickRule& leg_tick = core::TickRule::Uniform(Cents(1))) {
    config.enabled = true;
    std::map<core::InstrumentId, OrderBook*> books;
    for (core::InstrumentId instrument : instruments) {
      auto events = std::make_unique<LegEvents>(this, instrument);
      OrderBookConfig book_config;
      book_config.instrument = instrument;
      book_config.tick_rule = leg_tick;
      book_config.allocation = allocation;
      auto book = std::make_unique<OrderBook>(book_config, events.get());
      books.emplace(instrument, book.get());
      leg_events_.emplace(instrument, std::move(events));
      leg_books_.emplace(instrument, std::move(book));
    }
    complex_ = std::make_unique<ComplexBook>(std::move(config), books, &time_, this);
  }

  ComplexBook& complex() { return *complex_; }
  OrderBook& leg(core::InstrumentId instrument) { return *leg_books_.at(instrument); }
  core::SimulatedTime& time() { return time_; }

  // A leg order; returns its resting handle (if it rests). Runs the complex book's triggers.
  OrderHandle AddLeg(core::InstrumentId instrument, core::Side side, core::Price price,
                     int64_t quantity, ParticipantRole role = ParticipantRole::kProfessional,
                     uint32_t owner = 100, TimeInForce tif = TimeInForce::kDay) {
    BookOrder order;
    order.tag = next_leg_tag_++;
    order.owner = core::ParticipantId(owner);
    order.role = role;
    order.instrument = instrument;
    order.side = side;
    order.limit_price = price;
    order.quantity = core::Quantity(quantity);
    order.time_in_force = tif;
    const AddResult result = leg(instrument).Add(order);
    complex_->ProcessPending();
    return result.handle;
  }

  void CancelLeg(core::InstrumentId instrument, OrderHandle handle) {
    leg(instrument).Cancel(handle);
    complex_->ProcessPending();
  }

  struct ComplexOptions {
    OrderType type = OrderType::kLimit;
    TimeInForce tif = TimeInForce::kDay;
    FillCondition condition = FillCondition::kAnyQuantity;
    uint32_t owner = 0;  // 0: one owner per tag
    ParticipantRole role = ParticipantRole::kProfessional;
    // R22: the order's sold stock legs are short sales.
    bool short_sale = false;
  };

  ComplexAddResult AddComplex(uint64_t tag, uint32_t combo, core::Side side, core::Price price,
                              int64_t quantity, ComplexOptions options) {
    ComplexBookOrder order;
    order.tag = tag;
    order.owner =
        core::ParticipantId(options.owner == 0 ? static_cast<uint32_t>(tag) : options.owner);
    order.role = options.role;
    order.combo = core::ComboId(combo);
    order.side = side;
    order.type = options.type;
    order.limit_price = price;
    order.quantity = core::Quantity(quantity);
    order.time_in_force = options.tif;
    order.condition = options.condition;
    order.short_sale = options.short_sale;
    submitted_[tag] = order;
    return complex_->Add(order);
  }
  ComplexAddResult AddComplex(uint64_t tag, uint32_t combo, core::Side side, core::Price price,
                              int64_t quantity) {
    return AddComplex(tag, combo, side, price, quantity, ComplexOptions{});
  }

  // ComplexBookListener.
  void OnComplexExecution(const ComplexExecution& execution) override {
    RecordedExecution recorded{execution, {}};
    for (const LegExecution& leg_execution : execution.legs) {
      recorded.tops.push_back(leg(leg_execution.instrument).Top());
    }
    executions.push_back(std::move(recorded));
  }
  void OnComplexCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity) override {
    cancels.push_back({tag, reason, quantity.value()});
  }
  void OnComplexTop(core::ComboId combo, const core::TopOfBook& top,
                    const core::TopOfBook& legs_implied_top) override {
    tops[combo] = top;
    legs_implied[combo] = legs_implied_top;
    ++top_updates;
  }
  void RequestWakeUp(core::Timestamp when) override {
    time_.ScheduleAt(when, [this]() { complex_->OnWakeUp(); });
  }

  const ComplexBookOrder& submitted(uint64_t tag) const { return submitted_.at(tag); }

  std::vector<RecordedExecution> executions;
  std::vector<RecordedComplexCancel> cancels;
  std::map<core::ComboId, core::TopOfBook> tops;
  std::map<core::ComboId, core::TopOfBook> legs_implied;
  int top_updates = 0;
  std::vector<RecordedLegTrade> leg_trades;
  std::vector<std::pair<uint64_t, CancelReason>> leg_cancels;

 private:
  class LegEvents : public OrderBookEvents {
   public:
    LegEvents(ComplexHarness* harness, core::InstrumentId instrument)
        : harness_(harness), instrument_(instrument) {}
    void OnTrade(const BookTrade& trade) override {
      harness_->leg_trades.push_back({instrument_, trade});
    }
    void OnOrderCancelled(uint64_t tag, CancelReason reason, core::Quantity) override {
      harness_->leg_cancels.emplace_back(tag, reason);
    }
    void OnLevelUpdate(core::Side, core::Price, core::Quantity, uint64_t) override {
      harness_->complex_->OnLegBookChanged(instrument_);
    }

   private:
    ComplexHarness* harness_;
    core::InstrumentId instrument_;
  };

  core::SimulatedTime time_;
  std::map<core::InstrumentId, std::unique_ptr<LegEvents>> leg_events_;
  std::map<core::InstrumentId, std::unique_ptr<OrderBook>> leg_books_;
  std::unique_ptr<ComplexBook> complex_;
  std::map<uint64_t, ComplexBookOrder> submitted_;
  uint64_t next_leg_tag_ = 1'000'000;
};

}  // namespace combo::venues::testing
