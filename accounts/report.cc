#include "accounts/report.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "absl/strings/str_cat.h"
#include "accounts/marks.h"
#include "core/absl_compat.h"

namespace combo::accounts {
namespace {

// Columns aligned to their widest cell, numbers right-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }

  std::string Render() const {
    std::vector<size_t> widths(headers_.size(), 0);
    for (size_t c = 0; c < headers_.size(); ++c) widths[c] = headers_[c].size();
    for (const auto& row : rows_) {
      for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
        widths[c] = std::max(widths[c], row[c].size());
      }
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
      std::string text;
      for (size_t c = 0; c < widths.size(); ++c) {
        const std::string& cell = c < cells.size() ? cells[c] : std::string();
        const bool numeric =
            !cell.empty() && (std::isdigit(static_cast<unsigned char>(cell.back())) != 0) &&
            (std::isdigit(static_cast<unsigned char>(cell.front())) != 0 || cell.front() == '-');
        const std::string pad(widths[c] - cell.size(), ' ');
        absl::StrAppend(&text, c == 0 ? "" : "  ", numeric ? pad + cell : cell + pad);
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      absl::StrAppend(&out, text, "\n");
    };
    line(headers_);
    std::vector<std::string> rule;
    for (size_t w : widths) rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& row : rows_) line(row);
    return out;
  }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A JSON object or array built member by member (values already rendered).
class JsonObject {
 public:
  JsonObject& Raw(std::string_view key, std::string_view value) {
    absl::StrAppend(&body_, body_.empty() ? "" : ",", JsonString(key), ":", core::AsAbsl(value));
    return *this;
  }
  JsonObject& Str(std::string_view key, std::string_view value) {
    return Raw(key, JsonString(value));
  }
  JsonObject& Int(std::string_view key, int64_t value) { return Raw(key, absl::StrCat(value)); }
  JsonObject& Uint(std::string_view key, uint64_t value) { return Raw(key, absl::StrCat(value)); }
  JsonObject& Null(std::string_view key) { return Raw(key, "null"); }
  std::string Render() const { return absl::StrCat("{", body_, "}"); }

 private:
  std::string body_;
};

std::string JsonArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) absl::StrAppend(&out, i == 0 ? "" : ",", items[i]);
  return out + "]";
}

std::string Optional(const std::optional<core::Price>& price) {
  return price.has_value() ? price->ToString() : "-";
}

std::string SideText(core::Side side) { return std::string(core::ToString(side)); }

}  // namespace

std::string PositionsReport(const Ledger& ledger, ReportFormat format) {
  if (format == ReportFormat::kJson) {
    std::vector<std::string> clients;
    for (const auto& [account, client] : ledger.clients()) {
      std::vector<std::string> positions;
      for (const auto& [sub_account, held] : client.sub_accounts) {
        for (const auto& [instrument, position] : held) {
          JsonObject p;
          p.Str("sub_account", ToString(sub_account))
              .Uint("instrument", instrument.value())
              .Str("symbol", ledger.FindInstrument(instrument)->symbol)
              .Int("quantity", position.quantity().value());
          if (auto average = position.AveragePrice()) {
            p.Str("average_price", average->ToString());
          } else {
            p.Null("average_price");
          }
          p.Str("realized_pnl", position.realized().ToString());
          positions.push_back(p.Render());
        }
      }
      clients.push_back(JsonObject()
                            .Str("account", account.value())
                            .Str("commissions", client.commissions.ToString())
                            .Uint("trades", client.trades.size())
                            .Raw("positions", JsonArray(positions))
                            .Render());
    }
    return JsonObject().Raw("clients", JsonArray(clients)).Render() + "\n";
  }
  Table table({"account", "sub-account", "symbol", "quantity", "avg price", "realized P&L"});
  Table fees({"account", "trades", "commissions"});
  for (const auto& [account, client] : ledger.clients()) {
    for (const auto& [sub_account, held] : client.sub_accounts) {
      for (const auto& [instrument, position] : held) {
        table.Add({account.value(), std::string(ToString(sub_account)),
                   ledger.FindInstrument(instrument)->symbol,
                   absl::StrCat(position.quantity().value()), Optional(position.AveragePrice()),
                   position.realized().ToString()});
      }
    }
    fees.Add({account.value(), absl::StrCat(client.trades.size()), client.commissions.ToString()});
  }
  return absl::StrCat("Client positions\n", table.Render(), "\nCommissions\n", fees.Render());
}

std::string ErrorAccountReport(const Ledger& ledger, ReportFormat format) {
  const ErrorAccountValue value = ValueErrorAccount(ledger, ledger.marks().mids);
  const std::string marked_at =
      ledger.marks().mids.empty() ? std::string("never") : ledger.marks().time.ToString();
  if (format == ReportFormat::kJson) {
    std::vector<std::string> positions;
    for (const PositionValue& line : value.positions) {
      JsonObject p;
      p.Uint("instrument", line.instrument.value())
          .Str("symbol", line.symbol)
          .Int("quantity", line.quantity.value());
      if (line.average_price)
        p.Str("average_price", line.average_price->ToString());
      else
        p.Null("average_price");
      if (line.mark)
        p.Str("mark", line.mark->ToString());
      else
        p.Null("mark");
      p.Str("realized_pnl", line.realized.ToString());
      if (line.unrealized)
        p.Str("unrealized_pnl", line.unrealized->ToString());
      else
        p.Null("unrealized_pnl");
      positions.push_back(p.Render());
    }
    std::vector<std::string> bookings;
    for (const ErrorBooking& b : ledger.error_account().bookings) {
      const InstrumentInfo* info = ledger.FindInstrument(b.booking.instrument);
      bookings.push_back(JsonObject()
                             .Uint("sequence", b.sequence)
                             .Str("time", b.booking.time.ToString())
                             .Str("kind", ToString(b.booking.kind))
                             .Uint("order", b.booking.order.value())
                             .Str("symbol", info != nullptr ? info->symbol : "")
                             .Str("side", SideText(b.booking.side))
                             .Int("quantity", b.booking.quantity.value())
                             .Str("price", b.booking.price.ToString())
                             .Str("reason", b.booking.reason)
                             .Render());
    }
    return JsonObject()
               .Raw("positions", JsonArray(positions))
               .Str("realized_pnl", value.realized.ToString())
               .Str("unrealized_pnl", value.unrealized.ToString())
               .Int("unmarked_positions", value.unmarked)
               .Str("marked_at", marked_at)
               .Raw("bookings", JsonArray(bookings))
               .Render() +
           "\n";
  }
  Table positions(
      {"symbol", "quantity", "avg price", "mark (mid)", "realized P&L", "unrealized P&L"});
  for (const PositionValue& line : value.positions) {
    positions.Add({line.symbol, absl::StrCat(line.quantity.value()), Optional(line.average_price),
                   Optional(line.mark), line.realized.ToString(),
                   line.unrealized ? line.unrealized->ToString() : "unmarked"});
  }
  Table bookings({"seq", "time", "kind", "order", "symbol", "side", "qty", "price", "reason"});
  for (const ErrorBooking& b : ledger.error_account().bookings) {
    const InstrumentInfo* info = ledger.FindInstrument(b.booking.instrument);
    bookings.Add({absl::StrCat(b.sequence), b.booking.time.ToString(),
                  std::string(ToString(b.booking.kind)), absl::StrCat(b.booking.order.value()),
                  info != nullptr ? info->symbol : "", SideText(b.booking.side),
                  absl::StrCat(b.booking.quantity.value()), b.booking.price.ToString(),
                  b.booking.reason});
  }
  return absl::StrCat("Error account (marked at ", marked_at, ")\n", positions.Render(),
                      "realized P&L ", value.realized.ToString(), ", unrealized P&L ",
                      value.unrealized.ToString(),
                      value.unmarked > 0 ? absl::StrCat(" (", value.unmarked, " unmarked)") : "",
                      "\n\nBookings\n", bookings.Render());
}

absl::StatusOr<std::string> TradesReport(const Ledger& ledger, const core::AccountId& client,
                                         ReportFormat format) {
  auto it = ledger.clients().find(client);
  if (it == ledger.clients().end()) {
    return absl::NotFoundError(absl::StrCat("no client account '", client.value(), "'"));
  }
  const ClientAccount& account = it->second;
  if (format == ReportFormat::kJson) {
    std::vector<std::string> trades;
    for (const Trade& trade : account.trades) {
      std::vector<std::string> legs;
      for (const TradeLeg& leg : trade.legs) {
        legs.push_back(JsonObject()
                           .Str("sub_account", ToString(leg.sub_account))
                           .Uint("instrument", leg.instrument.value())
                           .Str("symbol", leg.symbol)
                           .Str("side", SideText(leg.side))
                           .Int("quantity", leg.quantity.value())
                           .Str("price", leg.price.ToString())
                           .Render());
      }
      trades.push_back(JsonObject()
                           .Uint("sequence", trade.sequence)
                           .Str("time", trade.time.ToString())
                           .Uint("order", trade.order.value())
                           .Str("client_order", trade.client_order.value())
                           .Str("side", SideText(trade.side))
                           .Int("units", trade.units.value())
                           .Str("price", trade.price.ToString())
                           .Str("commission", trade.commission.ToString())
                           .Raw("legs", JsonArray(legs))
                           .Render());
    }
    return JsonObject()
               .Str("account", client.value())
               .Str("commissions", account.commissions.ToString())
               .Raw("trades", JsonArray(trades))
               .Render() +
           "\n";
  }
  Table table({"seq", "time", "order", "ClOrdID", "side", "units", "price", "commission", "leg",
               "sub-account", "leg side", "leg qty", "leg price"});
  for (const Trade& trade : account.trades) {
    bool first = true;
    for (const TradeLeg& leg : trade.legs) {
      std::vector<std::string> row;
      if (first) {
        row = {absl::StrCat(trade.sequence),
               trade.time.ToString(),
               absl::StrCat(trade.order.value()),
               trade.client_order.value(),
               SideText(trade.side),
               absl::StrCat(trade.units.value()),
               trade.price.ToString(),
               trade.commission.ToString()};
      } else {
        row.assign(8, "");
      }
      row.insert(row.end(), {leg.symbol, std::string(ToString(leg.sub_account)), SideText(leg.side),
                             absl::StrCat(leg.quantity.value()), leg.price.ToString()});
      table.Add(std::move(row));
      first = false;
    }
  }
  return absl::StrCat("Trades of ", client.value(), " (commissions ",
                      account.commissions.ToString(), ")\n", table.Render());
}

absl::StatusOr<std::string> OrderHistoryReport(const Ledger& ledger,
                                               std::span<const StoredEvent> order_events,
                                               core::OrderId order, ReportFormat format) {
  const OrderRecord* record = ledger.FindOrder(order);
  if (record == nullptr) {
    return absl::NotFoundError(absl::StrCat("no order ", order.value(), " in the journal"));
  }
  auto name_of = [&ledger](core::InstrumentId id) {
    const InstrumentInfo* info = ledger.FindInstrument(id);
    return info != nullptr ? info->symbol : absl::StrCat("#", id.value());
  };
  if (format == ReportFormat::kJson) {
    std::vector<std::string> events;
    for (const StoredEvent& e : order_events) {
      events.push_back(JsonObject()
                           .Uint("sequence", e.sequence)
                           .Str("time", TimeOf(e.event).ToString())
                           .Str("kind", ToString(KindOf(e.event)))
                           .Str("description", Describe(e.event, name_of))
                           .Render());
    }
    return JsonObject()
               .Uint("order", order.value())
               .Str("account", record->accepted.account.value())
               .Str("client_order", record->client_order.value())
               .Str("side", SideText(record->accepted.side))
               .Int("quantity", record->quantity.value())
               .Int("filled", record->filled.value())
               .Str("limit", record->limit.ToString())
               .Str("state", ToString(record->state))
               .Raw("events", JsonArray(events))
               .Render() +
           "\n";
  }
  Table table({"seq", "time", "event", "details"});
  for (const StoredEvent& e : order_events) {
    table.Add({absl::StrCat(e.sequence), TimeOf(e.event).ToString(),
               std::string(ToString(KindOf(e.event))), Describe(e.event, name_of)});
  }
  return absl::StrCat(
      "Order ", order.value(), " of ", record->accepted.account.value(), " (",
      record->client_order.value(), "): ", core::AsAbsl(core::ToString(record->accepted.side)), " ",
      record->quantity.value(), " limit ", record->limit.ToString(), ", filled ",
      record->filled.value(), ", ", core::AsAbsl(ToString(record->state)), "\n", table.Render());
}

}  // namespace combo::accounts
