#include "accounts/marks.h"

namespace combo::accounts {

std::optional<core::Price> MidOf(const core::TopOfBook& top) {
  if (!top.bid.has_value() || !top.ask.has_value()) return std::nullopt;
  const core::Money sum =
      core::Money::FromPrice(top.bid->price) + core::Money::FromPrice(top.ask->price);
  auto mid = sum.DivideToPrice(2, core::RoundingMode::kHalfEven);
  if (!mid.ok()) return std::nullopt;
  return *mid;
}

std::map<core::InstrumentId, core::Price> LiveMarks(const Ledger& ledger,
                                                    const MarkSource& source) {
  std::map<core::InstrumentId, core::Price> marks;
  for (const auto& [instrument, position] : ledger.error_account().positions) {
    if (position.is_flat()) continue;
    std::optional<core::TopOfBook> top = source.ConsolidatedTop(instrument);
    if (!top.has_value()) continue;
    if (std::optional<core::Price> mid = MidOf(*top)) marks.emplace(instrument, *mid);
  }
  return marks;
}

ErrorAccountValue ValueErrorAccount(const Ledger& ledger,
                                    const std::map<core::InstrumentId, core::Price>& marks) {
  ErrorAccountValue value;
  for (const auto& [instrument, position] : ledger.error_account().positions) {
    PositionValue line;
    line.instrument = instrument;
    const InstrumentInfo* info = ledger.FindInstrument(instrument);
    line.symbol = info != nullptr ? info->symbol : "#" + std::to_string(instrument.value());
    line.quantity = position.quantity();
    line.average_price = position.AveragePrice();
    line.realized = position.realized();
    value.realized += position.realized();
    auto mark = marks.find(instrument);
    if (mark != marks.end()) line.mark = mark->second;
    if (position.is_flat()) {
      line.unrealized = core::Money::Zero();
    } else if (line.mark.has_value()) {
      line.unrealized = position.Unrealized(*line.mark);
      value.unrealized += *line.unrealized;
    } else {
      ++value.unmarked;
    }
    value.positions.push_back(std::move(line));
  }
  return value;
}

}  // namespace combo::accounts
