#include "accounts/events.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::accounts {
namespace {

// The payload format's version: a record written by a newer format is refused, not misread.
constexpr int kPayloadVersion = 1;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

absl::StatusOr<std::string> Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) {
      return absl::InvalidArgumentError("truncated % escape");
    }
    const int hi = HexValue(text[i + 1]);
    const int lo = HexValue(text[i + 2]);
    if (hi < 0 || lo < 0) return absl::InvalidArgumentError("bad % escape");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// A key of a repeated group's field: "leg0.instrument".
struct IndexedKey {
  std::string_view prefix;
  size_t index;
  std::string_view field;
};

// Builds a record field by field, straight into one string: an order's acceptance is written
// on every order's path, so no field makes a temporary of its own.
class Writer {
 public:
  explicit Writer() {
    out_.reserve(256);
    Add("v", kPayloadVersion);
  }
  template <class Value>
  void Add(std::string_view key, const Value& value) {
    out_.append(key);
    PutValue(value);
  }
  template <class Value>
  void Add(const IndexedKey& key, const Value& value) {
    out_.append(key.prefix);
    PutInteger(static_cast<uint64_t>(key.index));
    out_.push_back('.');
    out_.append(key.field);
    PutValue(value);
  }
  std::string Take() { return std::move(out_); }

 private:
  // "=value;" after a key.
  template <class Value>
  void PutValue(const Value& value) {
    out_.push_back('=');
    Put(value);
    out_.push_back(';');
  }
  // Text, escaped (what the reader unescapes).
  void Put(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '%' || c == ';' || c == '=' || byte < 0x20 || byte == 0x7f) {
        out_.push_back('%');
        out_.push_back(kHex[byte >> 4]);
        out_.push_back(kHex[byte & 0xf]);
      } else {
        out_.push_back(c);
      }
    }
  }
  void Put(const std::string& text) { Put(std::string_view(text)); }
  void Put(const char* text) { Put(std::string_view(text)); }
  // Numbers need no escaping.
  template <class Integer>
  void PutInteger(Integer value) {
    char digits[absl::numbers_internal::kFastToBufferSize];
    const char* end = absl::numbers_internal::FastIntToBuffer(value, digits);
    out_.append(digits, static_cast<size_t>(end - digits));
  }
  void Put(int64_t value) { PutInteger(value); }
  void Put(uint64_t value) { PutInteger(value); }
  void Put(int value) { PutInteger(static_cast<int64_t>(value)); }
  void Put(uint32_t value) { PutInteger(static_cast<uint64_t>(value)); }
  void Put(core::Price value) { PutInteger(value.raw()); }
  void Put(core::Quantity value) { PutInteger(value.value()); }
  void Put(core::Timestamp value) { PutInteger(value.unix_nanos()); }
  void Put(core::Side value) { Put(core::ToString(value)); }
  void Put(core::Money value) { Put(std::string_view(MoneyToRawText(value))); }

  std::string out_;
};

// Reads the fields of a record, naming the one that is missing or malformed.
class Reader {
 public:
  static absl::StatusOr<Reader> Parse(std::string_view payload) {
    Reader reader;
    size_t start = 0;
    while (start < payload.size()) {
      const size_t end = payload.find(';', start);
      if (end == std::string_view::npos) {
        return absl::InvalidArgumentError("record does not end with ';'");
      }
      const std::string_view field = payload.substr(start, end - start);
      const size_t eq = field.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("malformed field '", core::AsAbsl(field), "'"));
      }
      auto value = Unescape(field.substr(eq + 1));
      if (!value.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("field '", core::AsAbsl(field.substr(0, eq)),
                                                       "': ", value.status().message()));
      }
      reader.fields_[std::string(field.substr(0, eq))] = *std::move(value);
      start = end + 1;
    }
    COMBO_ASSIGN_OR_RETURN(int64_t version, reader.Int("v"));
    if (version != kPayloadVersion) {
      return absl::FailedPreconditionError(absl::StrCat("record format version ", version,
                                                        " is not supported (this build reads ",
                                                        kPayloadVersion, ")"));
    }
    return reader;
  }

  bool Has(std::string_view key) const { return fields_.find(key) != fields_.end(); }

  absl::StatusOr<std::string> String(std::string_view key) const {
    auto it = fields_.find(key);
    if (it == fields_.end()) {
      return absl::InvalidArgumentError(absl::StrCat("field '", core::AsAbsl(key), "' missing"));
    }
    return it->second;
  }
  absl::StatusOr<int64_t> Int(std::string_view key) const {
    COMBO_ASSIGN_OR_RETURN(std::string text, String(key));
    int64_t value = 0;
    if (!absl::SimpleAtoi(text, &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", core::AsAbsl(key), "' is not an integer: '", text, "'"));
    }
    return value;
  }
  absl::StatusOr<uint64_t> Uint(std::string_view key) const {
    COMBO_ASSIGN_OR_RETURN(std::string text, String(key));
    uint64_t value = 0;
    if (!absl::SimpleAtoi(text, &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", core::AsAbsl(key), "' is not an unsigned integer: '", text, "'"));
    }
    return value;
  }
  absl::StatusOr<uint32_t> Uint32(std::string_view key) const {
    COMBO_ASSIGN_OR_RETURN(uint64_t value, Uint(key));
    if (value > UINT32_MAX) {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", core::AsAbsl(key), "' is out of range: ", value));
    }
    return static_cast<uint32_t>(value);
  }
  absl::StatusOr<core::Price> PriceField(std::string_view key) const {
    COMBO_ASSIGN_OR_RETURN(int64_t raw, Int(key));
    return core::Price::FromRaw(raw);
  }
  absl::StatusOr<core::Quantity> QuantityField(std::string_view key) const {
    COMBO_ASSIGN_OR_RETURN(int64_t value, Int(key));
    return core::Quantity(value);
  }
  absl::StatusOr<core::Timestamp> TimeField(std::string_view key) const {
    COMBO_ASSIGN_OR_RETURN(int64_t ns, Int(key));
    return core::Timestamp::FromUnixNanos(ns);
  }
  absl::StatusOr<core::Money> MoneyField(std::string_view key) const {
    COMBO_ASSIGN_OR_RETURN(std::string text, String(key));
    auto money = MoneyFromRawText(text);
    if (!money.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", core::AsAbsl(key), "': ", money.status().message()));
    }
    return *money;
  }
  absl::StatusOr<core::Side> SideField(std::string_view key) const {
    COMBO_ASSIGN_OR_RETURN(std::string text, String(key));
    if (text == "buy") return core::Side::kBuy;
    if (text == "sell") return core::Side::kSell;
    return absl::InvalidArgumentError(
        absl::StrCat("field '", core::AsAbsl(key), "' is not a side: '", text, "'"));
  }

 private:
  std::map<std::string, std::string, std::less<>> fields_;
};

std::string Indexed(std::string_view prefix, size_t i, std::string_view field) {
  return absl::StrCat(core::AsAbsl(prefix), i, ".", core::AsAbsl(field));
}

std::string_view ToString(JournaledOrderType type) {
  return type == JournaledOrderType::kMarket ? "market" : "limit";
}

std::string_view ToString(JournaledTimeInForce tif) {
  switch (tif) {
    case JournaledTimeInForce::kDay:
      return "day";
    case JournaledTimeInForce::kGoodTillCancel:
      return "gtc";
    case JournaledTimeInForce::kImmediateOrCancel:
      return "ioc";
    case JournaledTimeInForce::kFillOrKill:
      return "fok";
    case JournaledTimeInForce::kGoodTillDate:
      return "gtd";
  }
  return "day";
}

void EncodeLegs(Writer& w, const std::vector<LegTerms>& legs) {
  w.Add("legs", static_cast<uint64_t>(legs.size()));
  for (size_t i = 0; i < legs.size(); ++i) {
    const LegTerms& leg = legs[i];
    w.Add(IndexedKey{"leg", i, "instrument"}, leg.instrument.value());
    w.Add(IndexedKey{"leg", i, "symbol"}, leg.symbol);
    w.Add(IndexedKey{"leg", i, "asset_class"}, core::ToString(leg.asset_class));
    w.Add(IndexedKey{"leg", i, "multiplier"}, leg.multiplier);
    w.Add(IndexedKey{"leg", i, "ratio"}, leg.ratio);
    w.Add(IndexedKey{"leg", i, "side"}, leg.side);
  }
}

std::string Encode(const ComboDefined& e) {
  Writer w;
  w.Add("combo", e.combo.value());
  w.Add("time", e.time);
  EncodeLegs(w, e.legs);
  return w.Take();
}

std::string Encode(const OrderAccepted& e) {
  Writer w;
  w.Add("order", e.order.value());
  w.Add("account", e.account.value());
  w.Add("client_order", e.client_order.value());
  w.Add("side", e.side);
  w.Add("quantity", e.quantity);
  w.Add("limit", e.limit);
  w.Add("time", e.time);
  EncodeLegs(w, e.legs);
  w.Add("client", e.client);
  w.Add("type", ToString(e.type));
  w.Add("tif", ToString(e.time_in_force));
  if (e.security_id.has_value()) w.Add("security_id", e.security_id->value());
  if (e.expires_at.has_value()) w.Add("expires_at", *e.expires_at);
  return w.Take();
}

std::string Encode(const LegFill& e) {
  Writer w;
  w.Add("order", e.order.value());
  w.Add("venue", e.venue.value());
  w.Add("execution_id", e.execution_id);
  w.Add("instrument", e.instrument.value());
  w.Add("side", e.side);
  w.Add("quantity", e.quantity);
  w.Add("price", e.price);
  w.Add("time", e.time);
  return w.Take();
}

std::string Encode(const ComboFillReported& e) {
  Writer w;
  w.Add("order", e.order.value());
  w.Add("units", e.units);
  w.Add("price", e.price);
  w.Add("commission", e.commission);
  w.Add("time", e.time);
  w.Add("legs", static_cast<uint64_t>(e.leg_prices.size()));
  for (size_t i = 0; i < e.leg_prices.size(); ++i) {
    w.Add(IndexedKey{"leg", i, "instrument"}, e.leg_prices[i].instrument.value());
    w.Add(IndexedKey{"leg", i, "price"}, e.leg_prices[i].price);
  }
  return w.Take();
}

std::string Encode(const ErrorAccountBooking& e) {
  Writer w;
  w.Add("kind", ToString(e.kind));
  w.Add("order", e.order.value());
  w.Add("instrument", e.instrument.value());
  w.Add("side", e.side);
  w.Add("quantity", e.quantity);
  w.Add("price", e.price);
  w.Add("reason", e.reason);
  w.Add("time", e.time);
  return w.Take();
}

std::string Encode(const OrderCancelled& e) {
  Writer w;
  w.Add("order", e.order.value());
  w.Add("reason", e.reason);
  w.Add("time", e.time);
  return w.Take();
}

std::string Encode(const OrderReplaced& e) {
  Writer w;
  w.Add("order", e.order.value());
  w.Add("client_order", e.client_order.value());
  w.Add("quantity", e.quantity);
  w.Add("limit", e.limit);
  w.Add("time", e.time);
  return w.Take();
}

std::string Encode(const MarksRecorded& e) {
  Writer w;
  w.Add("time", e.time);
  w.Add("marks", static_cast<uint64_t>(e.marks.size()));
  for (size_t i = 0; i < e.marks.size(); ++i) {
    w.Add(IndexedKey{"mark", i, "instrument"}, e.marks[i].instrument.value());
    w.Add(IndexedKey{"mark", i, "mid"}, e.marks[i].mid);
  }
  return w.Take();
}

// Bounds a repeated group's count so that a damaged record cannot ask for billions of entries.
absl::StatusOr<size_t> Count(const Reader& r, std::string_view key) {
  COMBO_ASSIGN_OR_RETURN(uint64_t n, r.Uint(key));
  if (n > 10'000) {
    return absl::InvalidArgumentError(
        absl::StrCat("field '", core::AsAbsl(key), "' is implausibly large: ", n));
  }
  return static_cast<size_t>(n);
}

std::string Encode(const ResidualAction& e) {
  Writer w;
  w.Add("order", e.order.value());
  w.Add("action", ToString(e.action));
  w.Add("outcome", e.outcome);
  w.Add("detail", e.detail);
  w.Add("time", e.time);
  return w.Take();
}

std::string Encode(const ResolverFill& e) {
  Writer w;
  w.Add("order", e.order.value());
  w.Add("purpose", ToString(e.purpose));
  w.Add("venue", e.venue.value());
  w.Add("execution_id", e.execution_id);
  w.Add("instrument", e.instrument.value());
  w.Add("symbol", e.symbol);
  w.Add("asset_class", core::ToString(e.asset_class));
  w.Add("multiplier", e.multiplier);
  w.Add("side", e.side);
  w.Add("quantity", e.quantity);
  w.Add("price", e.price);
  w.Add("time", e.time);
  return w.Take();
}

std::string Encode(const ResidualDelivered& e) {
  Writer w;
  w.Add("order", e.order.value());
  w.Add("units", e.units);
  w.Add("time", e.time);
  w.Add("legs", static_cast<uint64_t>(e.leg_prices.size()));
  for (size_t i = 0; i < e.leg_prices.size(); ++i) {
    w.Add(IndexedKey{"leg", i, "instrument"}, e.leg_prices[i].instrument.value());
    w.Add(IndexedKey{"leg", i, "price"}, e.leg_prices[i].price);
  }
  return w.Take();
}

absl::StatusOr<std::vector<LegTerms>> DecodeLegs(const Reader& r) {
  std::vector<LegTerms> decoded;
  COMBO_ASSIGN_OR_RETURN(size_t legs, Count(r, "legs"));
  for (size_t i = 0; i < legs; ++i) {
    LegTerms leg;
    COMBO_ASSIGN_OR_RETURN(uint32_t instrument, r.Uint32(Indexed("leg", i, "instrument")));
    leg.instrument = core::InstrumentId(instrument);
    COMBO_ASSIGN_OR_RETURN(leg.symbol, r.String(Indexed("leg", i, "symbol")));
    COMBO_ASSIGN_OR_RETURN(std::string asset_class, r.String(Indexed("leg", i, "asset_class")));
    COMBO_ASSIGN_OR_RETURN(leg.asset_class, core::ParseAssetClass(asset_class));
    COMBO_ASSIGN_OR_RETURN(leg.multiplier, r.Int(Indexed("leg", i, "multiplier")));
    COMBO_ASSIGN_OR_RETURN(leg.ratio, r.Int(Indexed("leg", i, "ratio")));
    COMBO_ASSIGN_OR_RETURN(leg.side, r.SideField(Indexed("leg", i, "side")));
    decoded.push_back(std::move(leg));
  }
  return decoded;
}

// Fields added after the first release are optional: an older record reads with the default.
absl::Status DecodeRestoreFields(const Reader& r, OrderAccepted& e) {
  if (r.Has("client")) {
    COMBO_ASSIGN_OR_RETURN(e.client, r.String("client"));
  } else {
    e.client = e.account.value();
  }
  if (r.Has("type")) {
    COMBO_ASSIGN_OR_RETURN(std::string type, r.String("type"));
    if (type == ToString(JournaledOrderType::kLimit)) {
      e.type = JournaledOrderType::kLimit;
    } else if (type == ToString(JournaledOrderType::kMarket)) {
      e.type = JournaledOrderType::kMarket;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("field 'type' is not an order type: '", type, "'"));
    }
  }
  if (r.Has("tif")) {
    COMBO_ASSIGN_OR_RETURN(std::string tif, r.String("tif"));
    bool known = false;
    for (JournaledTimeInForce candidate :
         {JournaledTimeInForce::kDay, JournaledTimeInForce::kGoodTillCancel,
          JournaledTimeInForce::kImmediateOrCancel, JournaledTimeInForce::kFillOrKill,
          JournaledTimeInForce::kGoodTillDate}) {
      if (tif == ToString(candidate)) {
        e.time_in_force = candidate;
        known = true;
      }
    }
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("field 'tif' is not a time in force: '", tif, "'"));
    }
  }
  if (r.Has("security_id")) {
    COMBO_ASSIGN_OR_RETURN(uint32_t security_id, r.Uint32("security_id"));
    e.security_id = core::ComboId(security_id);
  }
  if (r.Has("expires_at")) {
    COMBO_ASSIGN_OR_RETURN(core::Timestamp expires_at, r.TimeField("expires_at"));
    e.expires_at = expires_at;
  }
  return absl::OkStatus();
}

absl::StatusOr<JournalEvent> DecodeComboDefined(const Reader& r) {
  ComboDefined e;
  COMBO_ASSIGN_OR_RETURN(uint32_t combo, r.Uint32("combo"));
  e.combo = core::ComboId(combo);
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  COMBO_ASSIGN_OR_RETURN(e.legs, DecodeLegs(r));
  return e;
}

absl::StatusOr<JournalEvent> DecodeOrderAccepted(const Reader& r) {
  OrderAccepted e;
  COMBO_ASSIGN_OR_RETURN(uint64_t order, r.Uint("order"));
  e.order = core::OrderId(order);
  COMBO_ASSIGN_OR_RETURN(std::string account, r.String("account"));
  e.account = core::AccountId(account);
  COMBO_ASSIGN_OR_RETURN(std::string client_order, r.String("client_order"));
  e.client_order = core::ClientOrderId(client_order);
  COMBO_ASSIGN_OR_RETURN(e.side, r.SideField("side"));
  COMBO_ASSIGN_OR_RETURN(e.quantity, r.QuantityField("quantity"));
  COMBO_ASSIGN_OR_RETURN(e.limit, r.PriceField("limit"));
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  COMBO_ASSIGN_OR_RETURN(e.legs, DecodeLegs(r));
  COMBO_RETURN_IF_ERROR(DecodeRestoreFields(r, e));
  return e;
}

absl::StatusOr<JournalEvent> DecodeLegFill(const Reader& r) {
  LegFill e;
  COMBO_ASSIGN_OR_RETURN(uint64_t order, r.Uint("order"));
  e.order = core::OrderId(order);
  COMBO_ASSIGN_OR_RETURN(uint32_t venue, r.Uint32("venue"));
  e.venue = core::VenueId(venue);
  COMBO_ASSIGN_OR_RETURN(e.execution_id, r.String("execution_id"));
  COMBO_ASSIGN_OR_RETURN(uint32_t instrument, r.Uint32("instrument"));
  e.instrument = core::InstrumentId(instrument);
  COMBO_ASSIGN_OR_RETURN(e.side, r.SideField("side"));
  COMBO_ASSIGN_OR_RETURN(e.quantity, r.QuantityField("quantity"));
  COMBO_ASSIGN_OR_RETURN(e.price, r.PriceField("price"));
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  return e;
}

absl::StatusOr<JournalEvent> DecodeComboFill(const Reader& r) {
  ComboFillReported e;
  COMBO_ASSIGN_OR_RETURN(uint64_t order, r.Uint("order"));
  e.order = core::OrderId(order);
  COMBO_ASSIGN_OR_RETURN(e.units, r.QuantityField("units"));
  COMBO_ASSIGN_OR_RETURN(e.price, r.PriceField("price"));
  COMBO_ASSIGN_OR_RETURN(e.commission, r.MoneyField("commission"));
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  COMBO_ASSIGN_OR_RETURN(size_t legs, Count(r, "legs"));
  for (size_t i = 0; i < legs; ++i) {
    LegPrice leg;
    COMBO_ASSIGN_OR_RETURN(uint32_t instrument, r.Uint32(Indexed("leg", i, "instrument")));
    leg.instrument = core::InstrumentId(instrument);
    COMBO_ASSIGN_OR_RETURN(leg.price, r.PriceField(Indexed("leg", i, "price")));
    e.leg_prices.push_back(leg);
  }
  return e;
}

absl::StatusOr<JournalEvent> DecodeErrorBooking(const Reader& r) {
  ErrorAccountBooking e;
  COMBO_ASSIGN_OR_RETURN(std::string kind, r.String("kind"));
  if (kind == ToString(ErrorBookingKind::kLegInFailure)) {
    e.kind = ErrorBookingKind::kLegInFailure;
  } else if (kind == ToString(ErrorBookingKind::kUnwindFill)) {
    e.kind = ErrorBookingKind::kUnwindFill;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'kind' is not a booking kind: '", kind, "'"));
  }
  COMBO_ASSIGN_OR_RETURN(uint64_t order, r.Uint("order"));
  e.order = core::OrderId(order);
  COMBO_ASSIGN_OR_RETURN(uint32_t instrument, r.Uint32("instrument"));
  e.instrument = core::InstrumentId(instrument);
  COMBO_ASSIGN_OR_RETURN(e.side, r.SideField("side"));
  COMBO_ASSIGN_OR_RETURN(e.quantity, r.QuantityField("quantity"));
  COMBO_ASSIGN_OR_RETURN(e.price, r.PriceField("price"));
  COMBO_ASSIGN_OR_RETURN(e.reason, r.String("reason"));
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  return e;
}

absl::StatusOr<JournalEvent> DecodeCancel(const Reader& r) {
  OrderCancelled e;
  COMBO_ASSIGN_OR_RETURN(uint64_t order, r.Uint("order"));
  e.order = core::OrderId(order);
  COMBO_ASSIGN_OR_RETURN(e.reason, r.String("reason"));
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  return e;
}

absl::StatusOr<JournalEvent> DecodeReplace(const Reader& r) {
  OrderReplaced e;
  COMBO_ASSIGN_OR_RETURN(uint64_t order, r.Uint("order"));
  e.order = core::OrderId(order);
  COMBO_ASSIGN_OR_RETURN(std::string client_order, r.String("client_order"));
  e.client_order = core::ClientOrderId(client_order);
  COMBO_ASSIGN_OR_RETURN(e.quantity, r.QuantityField("quantity"));
  COMBO_ASSIGN_OR_RETURN(e.limit, r.PriceField("limit"));
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  return e;
}

absl::StatusOr<JournalEvent> DecodeMarks(const Reader& r) {
  MarksRecorded e;
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  COMBO_ASSIGN_OR_RETURN(size_t marks, Count(r, "marks"));
  for (size_t i = 0; i < marks; ++i) {
    InstrumentMark mark;
    COMBO_ASSIGN_OR_RETURN(uint32_t instrument, r.Uint32(Indexed("mark", i, "instrument")));
    mark.instrument = core::InstrumentId(instrument);
    COMBO_ASSIGN_OR_RETURN(mark.mid, r.PriceField(Indexed("mark", i, "mid")));
    e.marks.push_back(mark);
  }
  return e;
}

absl::StatusOr<JournalEvent> DecodeResidualAction(const Reader& r) {
  ResidualAction e;
  COMBO_ASSIGN_OR_RETURN(uint64_t order, r.Uint("order"));
  e.order = core::OrderId(order);
  COMBO_ASSIGN_OR_RETURN(std::string action, r.String("action"));
  COMBO_ASSIGN_OR_RETURN(e.action, ParseResidualActionKind(action));
  COMBO_ASSIGN_OR_RETURN(e.outcome, r.String("outcome"));
  COMBO_ASSIGN_OR_RETURN(e.detail, r.String("detail"));
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  return e;
}

absl::StatusOr<JournalEvent> DecodeResolverFill(const Reader& r) {
  ResolverFill e;
  COMBO_ASSIGN_OR_RETURN(uint64_t order, r.Uint("order"));
  e.order = core::OrderId(order);
  COMBO_ASSIGN_OR_RETURN(std::string purpose, r.String("purpose"));
  if (purpose == ToString(ResolverPurpose::kComplete)) {
    e.purpose = ResolverPurpose::kComplete;
  } else if (purpose == ToString(ResolverPurpose::kUnwind)) {
    e.purpose = ResolverPurpose::kUnwind;
  } else if (purpose == ToString(ResolverPurpose::kHedge)) {
    e.purpose = ResolverPurpose::kHedge;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'purpose' is not a resolver purpose: '", purpose, "'"));
  }
  COMBO_ASSIGN_OR_RETURN(uint32_t venue, r.Uint32("venue"));
  e.venue = core::VenueId(venue);
  COMBO_ASSIGN_OR_RETURN(e.execution_id, r.String("execution_id"));
  COMBO_ASSIGN_OR_RETURN(uint32_t instrument, r.Uint32("instrument"));
  e.instrument = core::InstrumentId(instrument);
  COMBO_ASSIGN_OR_RETURN(e.symbol, r.String("symbol"));
  COMBO_ASSIGN_OR_RETURN(std::string asset_class, r.String("asset_class"));
  COMBO_ASSIGN_OR_RETURN(e.asset_class, core::ParseAssetClass(asset_class));
  COMBO_ASSIGN_OR_RETURN(e.multiplier, r.Int("multiplier"));
  COMBO_ASSIGN_OR_RETURN(e.side, r.SideField("side"));
  COMBO_ASSIGN_OR_RETURN(e.quantity, r.QuantityField("quantity"));
  COMBO_ASSIGN_OR_RETURN(e.price, r.PriceField("price"));
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  return e;
}

absl::StatusOr<JournalEvent> DecodeResidualDelivered(const Reader& r) {
  ResidualDelivered e;
  COMBO_ASSIGN_OR_RETURN(uint64_t order, r.Uint("order"));
  e.order = core::OrderId(order);
  COMBO_ASSIGN_OR_RETURN(e.units, r.QuantityField("units"));
  COMBO_ASSIGN_OR_RETURN(e.time, r.TimeField("time"));
  COMBO_ASSIGN_OR_RETURN(size_t legs, Count(r, "legs"));
  for (size_t i = 0; i < legs; ++i) {
    LegPrice leg;
    COMBO_ASSIGN_OR_RETURN(uint32_t instrument, r.Uint32(Indexed("leg", i, "instrument")));
    leg.instrument = core::InstrumentId(instrument);
    COMBO_ASSIGN_OR_RETURN(leg.price, r.PriceField(Indexed("leg", i, "price")));
    e.leg_prices.push_back(leg);
  }
  return e;
}

}  // namespace

EventKind KindOf(const JournalEvent& event) { return static_cast<EventKind>(event.index()); }

std::string_view ToString(EventKind kind) {
  switch (kind) {
    case EventKind::kOrderAccepted:
      return "order_accepted";
    case EventKind::kLegFill:
      return "leg_fill";
    case EventKind::kComboFillReported:
      return "combo_fill_reported";
    case EventKind::kErrorAccountBooking:
      return "error_account_booking";
    case EventKind::kOrderCancelled:
      return "order_cancelled";
    case EventKind::kOrderReplaced:
      return "order_replaced";
    case EventKind::kMarksRecorded:
      return "marks_recorded";
    case EventKind::kComboDefined:
      return "combo_defined";
    case EventKind::kResidualAction:
      return "residual_action";
    case EventKind::kResolverFill:
      return "resolver_fill";
    case EventKind::kResidualDelivered:
      return "residual_delivered";
  }
  return "unknown";
}

absl::StatusOr<EventKind> ParseEventKind(std::string_view text) {
  for (EventKind kind :
       {EventKind::kOrderAccepted, EventKind::kLegFill, EventKind::kComboFillReported,
        EventKind::kErrorAccountBooking, EventKind::kOrderCancelled, EventKind::kOrderReplaced,
        EventKind::kMarksRecorded, EventKind::kComboDefined, EventKind::kResidualAction,
        EventKind::kResolverFill, EventKind::kResidualDelivered}) {
    if (ToString(kind) == text) return kind;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown journal event kind '", core::AsAbsl(text), "'"));
}

std::string_view ToString(ErrorBookingKind kind) {
  switch (kind) {
    case ErrorBookingKind::kLegInFailure:
      return "leg_in_failure";
    case ErrorBookingKind::kUnwindFill:
      return "unwind_fill";
    case ErrorBookingKind::kResolverFill:
      return "resolver_fill";
    case ErrorBookingKind::kDelivered:
      return "delivered";
  }
  return "unknown";
}

std::string_view ToString(ResidualActionKind kind) {
  switch (kind) {
    case ResidualActionKind::kComplete:
      return "complete";
    case ResidualActionKind::kUnwind:
      return "unwind";
    case ResidualActionKind::kHedge:
      return "hedge";
    case ResidualActionKind::kHold:
      return "hold";
    case ResidualActionKind::kHandOff:
      return "hand_off";
    case ResidualActionKind::kDeliver:
      return "deliver";
    case ResidualActionKind::kResolved:
      return "resolved";
  }
  return "unknown";
}

absl::StatusOr<ResidualActionKind> ParseResidualActionKind(std::string_view text) {
  for (ResidualActionKind kind :
       {ResidualActionKind::kComplete, ResidualActionKind::kUnwind, ResidualActionKind::kHedge,
        ResidualActionKind::kHold, ResidualActionKind::kHandOff, ResidualActionKind::kDeliver,
        ResidualActionKind::kResolved}) {
    if (ToString(kind) == text) return kind;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("not a residual action: '", core::AsAbsl(text), "'"));
}

std::string_view ToString(ResolverPurpose purpose) {
  switch (purpose) {
    case ResolverPurpose::kComplete:
      return "complete";
    case ResolverPurpose::kUnwind:
      return "unwind";
    case ResolverPurpose::kHedge:
      return "hedge";
  }
  return "unknown";
}

std::optional<core::OrderId> OrderOf(const JournalEvent& event) {
  return std::visit(
      Overloaded{[](const MarksRecorded&) -> std::optional<core::OrderId> { return std::nullopt; },
                 [](const ComboDefined&) -> std::optional<core::OrderId> { return std::nullopt; },
                 [](const auto& e) -> std::optional<core::OrderId> { return e.order; }},
      event);
}

core::Timestamp TimeOf(const JournalEvent& event) {
  return std::visit([](const auto& e) { return e.time; }, event);
}

std::string EncodePayload(const JournalEvent& event) {
  return std::visit([](const auto& e) { return Encode(e); }, event);
}

absl::StatusOr<JournalEvent> DecodePayload(EventKind kind, std::string_view payload) {
  COMBO_ASSIGN_OR_RETURN(Reader reader, Reader::Parse(payload));
  switch (kind) {
    case EventKind::kOrderAccepted:
      return DecodeOrderAccepted(reader);
    case EventKind::kLegFill:
      return DecodeLegFill(reader);
    case EventKind::kComboFillReported:
      return DecodeComboFill(reader);
    case EventKind::kErrorAccountBooking:
      return DecodeErrorBooking(reader);
    case EventKind::kOrderCancelled:
      return DecodeCancel(reader);
    case EventKind::kOrderReplaced:
      return DecodeReplace(reader);
    case EventKind::kMarksRecorded:
      return DecodeMarks(reader);
    case EventKind::kComboDefined:
      return DecodeComboDefined(reader);
    case EventKind::kResidualAction:
      return DecodeResidualAction(reader);
    case EventKind::kResolverFill:
      return DecodeResolverFill(reader);
    case EventKind::kResidualDelivered:
      return DecodeResidualDelivered(reader);
  }
  return absl::InvalidArgumentError("unknown journal event kind");
}

std::string Describe(const JournalEvent& event) {
  return Describe(event, [](core::InstrumentId id) { return absl::StrCat("#", id.value()); });
}

std::string Describe(const JournalEvent& event,
                     absl::FunctionRef<std::string(core::InstrumentId)> name_of) {
  return std::visit(
      Overloaded{
          [](const OrderAccepted& e) {
            std::string legs;
            for (const LegTerms& leg : e.legs) {
              absl::StrAppend(&legs, legs.empty() ? "" : " / ", leg.symbol, " ",
                              leg.side == core::Side::kBuy ? "+" : "-", leg.ratio);
            }
            return absl::StrCat("accepted ", core::AsAbsl(core::ToString(e.side)), " ",
                                e.quantity.value(), " [", legs, "] limit ", e.limit.ToString(),
                                " for ", e.account.value(), " (", e.client_order.value(), ")");
          },
          [&](const LegFill& e) {
            return absl::StrCat("leg fill ", core::AsAbsl(core::ToString(e.side)), " ",
                                e.quantity.value(), " ", name_of(e.instrument), " @ ",
                                e.price.ToString(), " at venue ", e.venue.value(), " (",
                                e.execution_id, ")");
          },
          [](const ComboFillReported& e) {
            return absl::StrCat("combo fill ", e.units.value(), " @ ", e.price.ToString(),
                                " commission ", e.commission.ToString());
          },
          [&](const ErrorAccountBooking& e) {
            return absl::StrCat("error account ", core::AsAbsl(ToString(e.kind)), " ",
                                core::AsAbsl(core::ToString(e.side)), " ", e.quantity.value(), " ",
                                name_of(e.instrument), " @ ", e.price.ToString(), ": ", e.reason);
          },
          [](const OrderCancelled& e) { return absl::StrCat("cancelled: ", e.reason); },
          [](const OrderReplaced& e) {
            return absl::StrCat("replaced: quantity ", e.quantity.value(), " limit ",
                                e.limit.ToString(), " (", e.client_order.value(), ")");
          },
          [](const MarksRecorded& e) {
            return absl::StrCat("marks for ", e.marks.size(), " instruments");
          },
          [](const ComboDefined& e) {
            std::string legs;
            for (const LegTerms& leg : e.legs) {
              absl::StrAppend(&legs, legs.empty() ? "" : " / ", leg.symbol, " ",
                              leg.side == core::Side::kBuy ? "+" : "-", leg.ratio);
            }
            return absl::StrCat("combo ", e.combo.value(), " defined: [", legs, "]");
          },
          [](const ResidualAction& e) {
            return absl::StrCat("residual of order ", e.order.value(), " ",
                                core::AsAbsl(ToString(e.action)), " ", e.outcome,
                                e.detail.empty() ? "" : ": ", e.detail);
          },
          [&](const ResolverFill& e) {
            return absl::StrCat("resolver ", core::AsAbsl(ToString(e.purpose)), " fill ",
                                core::AsAbsl(core::ToString(e.side)), " ", e.quantity.value(), " ",
                                e.symbol, " @ ", e.price.ToString(), " at venue ", e.venue.value(),
                                " (", e.execution_id, ") for the residual of order ",
                                e.order.value());
          },
          [](const ResidualDelivered& e) {
            return absl::StrCat("residual delivered: ", e.units.value(),
                                " units completed by the resolver to the order");
          },
      },
      event);
}

std::string MoneyToRawText(core::Money money) {
  const absl::int128 raw = money.raw();
  const bool negative = raw < 0;
  absl::uint128 magnitude = negative ? absl::uint128(-raw) : absl::uint128(raw);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude > 0);
  return negative ? "-" + digits : digits;
}

absl::StatusOr<core::Money> MoneyFromRawText(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.size() > 38) {
    return absl::InvalidArgumentError(absl::StrCat("not an amount: '", core::AsAbsl(text), "'"));
  }
  absl::int128 value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError(absl::StrCat("not an amount: '", core::AsAbsl(text), "'"));
    }
    value = value * 10 + (c - '0');
  }
  return core::Money::FromRaw(negative ? -value : value);
}

}  // namespace combo::accounts
