#include "fix/translation.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "fix/fix_enums.h"
#include "fix/leg_fields.h"
#include "pricing/strategy_legs.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"

namespace combo::fix {
namespace {

using core::AsAbsl;
using router::ComboOrderType;
using router::ComboTimeInForce;
using router::RejectReason;

constexpr size_t kMaxIdLength = 64;

std::optional<std::string> Get(const FIX::FieldMap& map, int tag) {
  if (!map.isSetField(tag)) return std::nullopt;
  return map.getField(tag);
}

std::string GetOr(const FIX::FieldMap& map, int tag) {
  std::optional<std::string> value = Get(map, tag);
  return value.has_value() ? *value : std::string();
}

// A reject under construction, with what the message echoes filled in.
class Rejecter {
 public:
  Rejecter(const FIX::Message& message, RejectChannel channel) {
    reject_.channel = channel;
    reject_.msg_type = GetOr(message.getHeader(), FIX::FIELD::MsgType);
    int seq = 0;
    if (absl::SimpleAtoi(AsAbsl(GetOr(message.getHeader(), FIX::FIELD::MsgSeqNum)), &seq)) {
      reject_.ref_seq_num = seq;
    }
    reject_.client_order_id = GetOr(message, FIX::FIELD::ClOrdID);
    reject_.original_client_order_id = GetOr(message, FIX::FIELD::OrigClOrdID);
    reject_.account = GetOr(message, FIX::FIELD::Account);
    reject_.side = SideFromFix(GetOr(message, FIX::FIELD::Side));
  }

  Rejecter& RequestId(std::string id) {
    reject_.request_id = std::move(id);
    return *this;
  }
  Rejecter& ResponseTo(router::CancelRejectResponseTo to) {
    reject_.response_to = to;
    return *this;
  }

  InboundReject operator()(RejectReason reason, int ref_tag, std::string text) const {
    InboundReject out = reject_;
    out.reason = reason;
    out.ref_tag = ref_tag;
    out.text = std::move(text);
    return out;
  }
  InboundReject Business(BusinessRejectCode code, int ref_tag, std::string text) const {
    InboundReject out = (*this)(RejectReason::kUnsupportedOrder, ref_tag, std::move(text));
    out.channel = RejectChannel::kBusinessReject;
    out.business_code = code;
    return out;
  }

 private:
  InboundReject reject_;
};

// A required string id (ClOrdID, OrigClOrdID, MDReqID, SecurityReqID): present, non-empty, short.
absl::StatusOr<std::string> RequiredId(const FIX::FieldMap& map, int tag, std::string_view name) {
  std::optional<std::string> value = Get(map, tag);
  if (!value.has_value() || value->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(name), "(", tag, ") is required"));
  }
  if (value->size() > kMaxIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(name), "(", tag, ") is longer than ", kMaxIdLength, " characters"));
  }
  return *value;
}

absl::StatusOr<core::Side> ParseSide(const FIX::FieldMap& map, int tag, std::string_view name) {
  std::optional<std::string> value = Get(map, tag);
  if (!value.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(name), "(", tag, ") is required"));
  }
  if (std::optional<core::Side> side = SideFromFix(*value)) return *side;
  return absl::InvalidArgumentError(absl::StrCat(AsAbsl(name), "(", tag, ") \"", *value,
                                                 "\" is not supported: use 1 (buy) or 2 (sell)"));
}

absl::StatusOr<uint32_t> ParseId(std::string_view text, std::string_view what) {
  uint32_t id = 0;
  if (text.empty() || text.size() > 10 || !absl::SimpleAtoi(AsAbsl(text), &id) ||
      text.front() == '+' || text.front() == '-' || text.front() == ' ') {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(what), " \"", AsAbsl(text), "\" is not a numeric id"));
  }
  return id;
}

struct LegError {
  RejectReason reason;
  int tag;
  std::string text;
};

// How a leg's LegRatioQty(623) and LegSide(624) are read: required for a combo given by its
// legs; optional for a strategy template, which completes what is left out.
enum class LegTerms : uint8_t { kRequired, kFromTemplate };

// The instrument-naming fields of one leg of a NoLegs group.
LegInstrumentFields ReadLegFields(const FIX::FieldMap& group) {
  LegInstrumentFields fields;
  fields.symbol = GetOr(group, FIX::FIELD::LegSymbol);
  fields.security_id = GetOr(group, FIX::FIELD::LegSecurityID);
  fields.security_type = GetOr(group, FIX::FIELD::LegSecurityType);
  fields.cfi_code = GetOr(group, FIX::FIELD::LegCFICode);
  fields.maturity_month_year = GetOr(group, FIX::FIELD::LegMaturityMonthYear);
  fields.maturity_date = GetOr(group, FIX::FIELD::LegMaturityDate);
  fields.strike = GetOr(group, FIX::FIELD::LegStrikePrice);
  return fields;
}

bool IsNumericId(const std::string& text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The product a leg names: a listed instrument's underlying, else the root its fields name
// without the catalog (a product another shard lists).
std::string LegProduct(const FIX::FieldMap& group, const core::InstrumentCatalog& instruments) {
  const LegInstrumentFields fields = ReadLegFields(group);
  const core::Instrument* listed = nullptr;
  uint32_t id = 0;
  if (IsNumericId(fields.security_id) && absl::SimpleAtoi(fields.security_id, &id)) {
    listed = instruments.Find(core::InstrumentId(id));
  } else if (absl::StatusOr<const core::Instrument*> named =
                 ResolveLegInstrument(fields, instruments);
             named.ok()) {
    listed = *named;
  }
  return listed != nullptr ? listed->underlying() : LegProductName(fields);
}

// One leg of a NoLegs group, resolving its instrument in the catalog.
std::variant<pricing::NamedLeg, LegError> ResolveLeg(const FIX::FieldMap& group, size_t index,
                                                     const core::InstrumentCatalog& instruments,
                                                     LegTerms terms) {
  // The error's text names the leg; built only for an error.
  auto error = [index](RejectReason reason, int tag, absl::string_view text) {
    return LegError{reason, tag, absl::StrCat("leg ", index, ": ", text)};
  };
  const LegInstrumentFields fields = ReadLegFields(group);

  const core::Instrument* instrument = nullptr;
  const bool numeric_id = IsNumericId(fields.security_id);
  if (group.isSetField(FIX::FIELD::LegSecurityID)) {
    const std::string source = GetOr(group, FIX::FIELD::LegSecurityIDSource);
    if (group.isSetField(FIX::FIELD::LegSecurityIDSource) &&
        source != FIX::SecurityIDSource_EXCHANGE_SYMBOL) {
      return error(RejectReason::kUnknownInstrument, FIX::FIELD::LegSecurityIDSource,
                   absl::StrCat("LegSecurityIDSource(603) \"", source,
                                "\" is not supported: use 8 (the gateway's instrument ids or an "
                                "exchange symbol)"));
    }
    if (numeric_id) {
      absl::StatusOr<uint32_t> id = ParseId(fields.security_id, "LegSecurityID(602)");
      if (!id.ok())
        return error(RejectReason::kUnknownInstrument, FIX::FIELD::LegSecurityID,
                     id.status().message());
      instrument = instruments.Find(core::InstrumentId(*id));
      if (const core::Instrument* expired = instruments.FindExpired(core::InstrumentId(*id));
          instrument == nullptr && expired != nullptr) {
        return error(RejectReason::kUnknownInstrument, FIX::FIELD::LegSecurityID,
                     absl::StrCat("LegSecurityID(602) ", *id, ": ",
                                  ExpiredInstrumentError(*expired).message()));
      }
      if (instrument == nullptr) {
        return error(RejectReason::kUnknownInstrument, FIX::FIELD::LegSecurityID,
                     absl::StrCat("unknown instrument: LegSecurityID(602) ", *id));
      }
    } else {
      // An exchange symbol: an OCC option symbol or a catalog symbol.
      LegInstrumentFields by_id;
      by_id.symbol = fields.security_id;
      absl::StatusOr<const core::Instrument*> named = ResolveLegInstrument(by_id, instruments);
      if (!named.ok()) {
        return error(RejectReason::kUnknownInstrument, FIX::FIELD::LegSecurityID,
                     absl::StrCat("LegSecurityID(602): ", named.status().message()));
      }
      instrument = *named;
    }
    if (!fields.symbol.empty() && fields.symbol != "[N/A]" &&
        fields.symbol != instrument->symbol() &&
        fields.symbol != InstrumentToLegFields(*instrument).symbol) {
      return error(
          RejectReason::kInvalidCombo, FIX::FIELD::LegSymbol,
          absl::StrCat("LegSymbol(600) \"", fields.symbol, "\" does not match LegSecurityID(602) ",
                       fields.security_id, " (\"", instrument->symbol(), "\")"));
    }
  } else {
    if (fields.symbol.empty()) {
      return error(
          RejectReason::kUnknownInstrument, FIX::FIELD::LegSymbol,
          absl::string_view("name the instrument by LegSymbol(600) or LegSecurityID(602)"));
    }
    absl::StatusOr<const core::Instrument*> named = ResolveLegInstrument(fields, instruments);
    if (!named.ok()) {
      return error(RejectReason::kUnknownInstrument, FIX::FIELD::LegSymbol,
                   named.status().message());
    }
    instrument = *named;
  }

  pricing::NamedLeg leg{instrument->id(), std::nullopt, std::nullopt};
  std::optional<std::string> ratio_text = Get(group, FIX::FIELD::LegRatioQty);
  if (!ratio_text.has_value() && terms == LegTerms::kRequired) {
    return error(RejectReason::kInvalidCombo, FIX::FIELD::LegRatioQty,
                 absl::string_view("LegRatioQty(623) is required"));
  }
  if (ratio_text.has_value()) {
    absl::StatusOr<int64_t> ratio = ParseWholeNumber(*ratio_text, "LegRatioQty(623)");
    if (!ratio.ok())
      return error(RejectReason::kInvalidCombo, FIX::FIELD::LegRatioQty, ratio.status().message());
    leg.ratio = *ratio;
  }
  if (group.isSetField(FIX::FIELD::LegSide) || terms == LegTerms::kRequired) {
    absl::StatusOr<core::Side> side = ParseSide(group, FIX::FIELD::LegSide, "LegSide");
    if (!side.ok())
      return error(RejectReason::kInvalidCombo, FIX::FIELD::LegSide, side.status().message());
    leg.side = *side;
  }
  return leg;
}

struct ComboError {
  RejectReason reason;
  int tag;
  std::string text;
};

// The combo a message names: NoLegs(555) legs, or SecurityID(48) of a defined combo.
// `legs_required`: whether naming no combo at all is an error.
enum class ComboNaming : uint8_t { kRequired, kOptional };

struct NamedCombo {
  core::ComboSpec spec;
  // Set when the message named a defined combo by SecurityID(48).
  std::optional<core::ComboId> security_id;
};

std::variant<std::vector<pricing::NamedLeg>, ComboError> ResolveLegs(
    const FIX::Message& message, const TranslationContext& context, LegTerms terms);

std::variant<std::optional<NamedCombo>, ComboError> ResolveCombo(const FIX::Message& message,
                                                                 const TranslationContext& context,
                                                                 ComboNaming naming) {
  const bool has_security_id = message.isSetField(FIX::FIELD::SecurityID);
  const size_t group_count = message.groupCount(FIX::FIELD::NoLegs);
  const bool has_legs = message.isSetField(FIX::FIELD::NoLegs) || group_count > 0;
  if (has_security_id && has_legs) {
    return ComboError{RejectReason::kInvalidCombo, FIX::FIELD::SecurityID,
                      "name the combo either by SecurityID(48) or by NoLegs(555), not both"};
  }
  if (has_security_id) {
    const std::string source = GetOr(message, FIX::FIELD::SecurityIDSource);
    if (message.isSetField(FIX::FIELD::SecurityIDSource) &&
        source != FIX::SecurityIDSource_EXCHANGE_SYMBOL) {
      return ComboError{RejectReason::kInvalidCombo, FIX::FIELD::SecurityIDSource,
                        absl::StrCat("SecurityIDSource(22) \"", source,
                                     "\" is not supported: use 8 (the gateway's combo ids)")};
    }
    absl::StatusOr<uint32_t> id = ParseId(GetOr(message, FIX::FIELD::SecurityID), "SecurityID(48)");
    if (!id.ok()) {
      return ComboError{RejectReason::kInvalidCombo, FIX::FIELD::SecurityID,
                        std::string(id.status().message())};
    }
    const core::ComboSpec* spec =
        context.find_combo ? context.find_combo(core::ComboId(*id)) : nullptr;
    if (spec == nullptr) {
      return ComboError{RejectReason::kInvalidCombo, FIX::FIELD::SecurityID,
                        absl::StrCat("SecurityID(48) ", *id,
                                     " is not a combo defined by SecurityDefinitionRequest")};
    }
    return std::optional<NamedCombo>(NamedCombo{*spec, core::ComboId(*id)});
  }
  if (!has_legs) {
    if (naming == ComboNaming::kOptional) return std::optional<NamedCombo>();
    return ComboError{
        RejectReason::kInvalidCombo, FIX::FIELD::NoLegs,
        "NoLegs(555) is required: name the legs, or a defined combo in SecurityID(48)"};
  }
  std::variant<std::vector<pricing::NamedLeg>, ComboError> named =
      ResolveLegs(message, context, LegTerms::kRequired);
  if (ComboError* e = std::get_if<ComboError>(&named)) return std::move(*e);
  std::vector<core::ComboLeg> legs;
  for (const pricing::NamedLeg& leg : std::get<std::vector<pricing::NamedLeg>>(named)) {
    legs.push_back(core::ComboLeg{leg.instrument, *leg.ratio, *leg.side});
  }
  absl::StatusOr<core::ComboSpec> spec = core::ComboSpec::Create(std::move(legs));
  if (!spec.ok()) {
    return ComboError{RejectReason::kInvalidCombo, FIX::FIELD::NoLegs,
                      absl::StrCat("invalid combo: ", spec.status().message())};
  }
  return std::optional<NamedCombo>(NamedCombo{*std::move(spec), std::nullopt});
}

// A sharded set's refusal of a combo whose legs are not all this shard's
// (router::ShardOwnership::Refusal), or nullopt.
std::optional<std::string> ShardRefusal(const FIX::Message& message,
                                        const TranslationContext& context) {
  std::vector<std::string> products;
  for (size_t i = 1; i <= message.groupCount(FIX::FIELD::NoLegs); ++i) {
    products.push_back(LegProduct(message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoLegs),
                                  *context.instruments));
  }
  return context.shards->Refusal(products);
}

// The legs of a NoLegs(555) group, checked for count.
std::variant<std::vector<pricing::NamedLeg>, ComboError> ResolveLegs(
    const FIX::Message& message, const TranslationContext& context, LegTerms terms) {
  const size_t group_count = message.groupCount(FIX::FIELD::NoLegs);
  int declared = -1;
  if (!absl::SimpleAtoi(AsAbsl(GetOr(message, FIX::FIELD::NoLegs)), &declared) || declared < 0 ||
      static_cast<size_t>(declared) != group_count) {
    return ComboError{RejectReason::kInvalidCombo, FIX::FIELD::NoLegs,
                      absl::StrCat("NoLegs(555) \"", GetOr(message, FIX::FIELD::NoLegs),
                                   "\" does not match the ", group_count, " legs in the message")};
  }
  if (group_count < 2) {
    return ComboError{RejectReason::kInvalidCombo, FIX::FIELD::NoLegs,
                      absl::StrCat("a combo needs at least 2 legs, got ", group_count)};
  }
  if (group_count > context.max_legs) {
    return ComboError{RejectReason::kInvalidCombo, FIX::FIELD::NoLegs,
                      absl::StrCat("too many legs: ", group_count, ", at most ", context.max_legs)};
  }
  std::vector<pricing::NamedLeg> legs;
  for (size_t i = 1; i <= group_count; ++i) {
    const FIX::FieldMap& group = message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoLegs);
    std::variant<pricing::NamedLeg, LegError> leg =
        ResolveLeg(group, i, *context.instruments, terms);
    if (LegError* e = std::get_if<LegError>(&leg)) {
      // An instrument this shard does not list may be another shard's: then the broker is told
      // which shard owns it rather than that it is unknown.
      if (e->reason == RejectReason::kUnknownInstrument && context.shards != nullptr) {
        if (std::optional<std::string> refusal = ShardRefusal(message, context)) {
          return ComboError{RejectReason::kUnknownInstrument, FIX::FIELD::LegSymbol,
                            *std::move(refusal)};
        }
      }
      return ComboError{e->reason, e->tag, e->text};
    }
    legs.push_back(std::get<pricing::NamedLeg>(leg));
  }
  return legs;
}

absl::StatusOr<std::optional<ComboTimeInForce>> ParseTimeInForce(const FIX::FieldMap& map) {
  std::optional<std::string> value = Get(map, FIX::FIELD::TimeInForce);
  if (!value.has_value()) return std::optional<ComboTimeInForce>();
  if (std::optional<ComboTimeInForce> tif = TimeInForceFromFix(*value)) return tif;
  return absl::InvalidArgumentError(
      absl::StrCat("TimeInForce(59) \"", *value,
                   "\" is not supported: use 0 (day), 1 (good till cancel), 3 (IOC), 4 (FOK) or 6 "
                   "(good till date)"));
}

// Price(44): required for a limit order (a limit order without one is incomplete), parsed when
// present on any other. Whether an order of its type may carry one is the router's rule.
absl::StatusOr<std::optional<core::Price>> ParsePrice(const FIX::FieldMap& map,
                                                      ComboOrderType type) {
  std::optional<std::string> value = Get(map, FIX::FIELD::Price);
  if (!value.has_value()) {
    if (type != ComboOrderType::kLimit) return std::optional<core::Price>();
    return absl::InvalidArgumentError("Price(44) is required for a limit order");
  }
  absl::StatusOr<core::Price> price = core::Price::Parse(*value);
  if (!price.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Price(44) \"", *value, "\" is not a decimal price with at most 9 decimals"));
  }
  return std::optional<core::Price>(*price);
}

// OrdType(40): 1 (market) or 2 (limit).
// Every product in the catalog trades in US dollars. Currency(15) is accepted because
// mainstream engines send it on every order; a different currency is refused rather than
// ignored, since prices in it would be read as dollars.
absl::Status CheckCurrency(const FIX::FieldMap& map) {
  std::optional<std::string> value = Get(map, FIX::FIELD::Currency);
  if (!value.has_value() || *value == "USD") return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "Currency(15) \"", *value, "\" is not supported: every product here trades in USD"));
}

// ExecInst(18) is accepted so that an engine sending it is answered by the router, not by a
// session Reject; but every instruction it carries (all-or-none, do-not-increase, peg, ...)
// changes how the order must be worked, and the router offers none of them, so an order naming
// one is refused rather than worked as if it had not.
absl::Status CheckExecInst(const FIX::FieldMap& map) {
  std::optional<std::string> value = Get(map, FIX::FIELD::ExecInst);
  if (!value.has_value()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("ExecInst(18) \"", *value,
                   "\" is not supported: the router takes no execution instructions (for "
                   "all-or-none, send TimeInForce(59) 4, fill or kill)"));
}

// A good-till-date order's end: ExpireTime(126), a UTC timestamp, or ExpireDate(432), a date whose
// session close ends it. Either on an order of another time in force is the router's to refuse.
struct OrderEnd {
  std::optional<core::Timestamp> time;
  std::optional<absl::CivilDay> date;
};
absl::StatusOr<OrderEnd> ParseOrderEnd(const FIX::FieldMap& map) {
  OrderEnd end;
  if (std::optional<std::string> time = Get(map, FIX::FIELD::ExpireTime)) {
    try {
      const FIX::UtcTimeStamp parsed = FIX::UtcTimeStampConvertor::convert(*time);
      end.time = core::Timestamp::FromUnixNanos(
          static_cast<int64_t>(parsed.getTimeT()) * 1'000'000'000 + parsed.getNanosecond());
    } catch (const FIX::FieldConvertError&) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ExpireTime(126) \"", *time, "\" is not a UTC timestamp (YYYYMMDD-HH:MM:SS[.sss])"));
    }
  }
  if (std::optional<std::string> date = Get(map, FIX::FIELD::ExpireDate)) {
    end.date = ParseFixDate(*date);
    if (!end.date.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("ExpireDate(432) \"", *date, "\" is not a YYYYMMDD date"));
    }
  }
  return end;
}

// An order's field whose value the router cannot honour, with the reject's text.
struct RefusedField {
  int tag;
  std::string text;
};
std::optional<RefusedField> RefuseOrderFields(const FIX::FieldMap& map) {
  if (absl::Status currency = CheckCurrency(map); !currency.ok())
    return RefusedField{FIX::FIELD::Currency, std::string(currency.message())};
  if (absl::Status instruction = CheckExecInst(map); !instruction.ok())
    return RefusedField{FIX::FIELD::ExecInst, std::string(instruction.message())};
  return std::nullopt;
}

absl::StatusOr<ComboOrderType> ParseOrdType(const FIX::FieldMap& map) {
  const std::string ord_type = GetOr(map, FIX::FIELD::OrdType);
  if (std::optional<ComboOrderType> type = OrdTypeFromFix(ord_type)) return *type;
  return absl::InvalidArgumentError(
      absl::StrCat("OrdType(40) \"", ord_type, "\" is not supported: use 1 (market) or 2 (limit)"));
}

Inbound TranslateNewOrder(const FIX::Message& message, const TranslationContext& context) {
  const Rejecter reject(message, RejectChannel::kOrderReject);
  // Filled field by field; NewComboOrder itself needs its combo to exist.
  struct {
    core::ClientId client;
    core::ClientOrderId client_order_id;
    core::AccountId account;
    core::Side side = core::Side::kBuy;
    core::Quantity quantity;
    ComboOrderType type = ComboOrderType::kLimit;
    std::optional<core::Price> limit_price;
    ComboTimeInForce time_in_force = ComboTimeInForce::kDay;
  } order;
  order.client = context.client;
  absl::StatusOr<std::string> id = RequiredId(message, FIX::FIELD::ClOrdID, "ClOrdID");
  if (!id.ok()) {
    return reject.Business(BusinessRejectCode::kConditionallyRequiredFieldMissing,
                           FIX::FIELD::ClOrdID, std::string(id.status().message()));
  }
  order.client_order_id = core::ClientOrderId(*id);
  absl::StatusOr<core::Side> side = ParseSide(message, FIX::FIELD::Side, "Side");
  if (!side.ok())
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::Side,
                  std::string(side.status().message()));
  order.side = *side;
  const std::string account = GetOr(message, FIX::FIELD::Account);
  if (account.size() > kMaxIdLength) {
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::Account,
                  absl::StrCat("Account(1) is longer than ", kMaxIdLength, " characters"));
  }
  order.account = account.empty() ? context.default_account : core::AccountId(account);

  std::optional<std::string> quantity_text = Get(message, FIX::FIELD::OrderQty);
  if (!quantity_text.has_value()) {
    return reject(RejectReason::kInvalidQuantity, FIX::FIELD::OrderQty, "OrderQty(38) is required");
  }
  absl::StatusOr<int64_t> quantity = ParseWholeNumber(*quantity_text, "OrderQty(38)");
  if (!quantity.ok()) {
    return reject(RejectReason::kInvalidQuantity, FIX::FIELD::OrderQty,
                  std::string(quantity.status().message()));
  }
  order.quantity = core::Quantity(*quantity);

  absl::StatusOr<ComboOrderType> type = ParseOrdType(message);
  if (!type.ok()) {
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::OrdType,
                  std::string(type.status().message()));
  }
  order.type = *type;
  absl::StatusOr<std::optional<ComboTimeInForce>> tif = ParseTimeInForce(message);
  if (!tif.ok())
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::TimeInForce,
                  std::string(tif.status().message()));
  // FIX's default time in force is Day; a market order's is IOC (it would never rest). Which
  // combinations the router takes is its rule, not translation's.
  order.time_in_force =
      tif->value_or(order.type == ComboOrderType::kMarket ? ComboTimeInForce::kImmediateOrCancel
                                                          : ComboTimeInForce::kDay);
  absl::StatusOr<std::optional<core::Price>> price = ParsePrice(message, order.type);
  if (!price.ok())
    return reject(RejectReason::kInvalidPrice, FIX::FIELD::Price,
                  std::string(price.status().message()));
  order.limit_price = *price;
  absl::StatusOr<OrderEnd> end = ParseOrderEnd(message);
  if (!end.ok())
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::ExpireTime,
                  std::string(end.status().message()));
  if (std::optional<RefusedField> refused = RefuseOrderFields(message))
    return reject(RejectReason::kUnsupportedOrder, refused->tag, std::move(refused->text));

  std::variant<std::optional<NamedCombo>, ComboError> combo =
      ResolveCombo(message, context, ComboNaming::kRequired);
  if (ComboError* e = std::get_if<ComboError>(&combo)) return reject(e->reason, e->tag, e->text);
  // kRequired never yields an empty optional.
  NamedCombo& named = *std::get<std::optional<NamedCombo>>(combo);
  router::NewComboOrder request{
      order.client,        order.client_order_id, order.account, std::move(named.spec),
      order.side,          order.quantity,        order.type,    order.limit_price,
      order.time_in_force, named.security_id};
  request.expire_time = end->time;
  request.expire_date = end->date;
  return request;
}

Inbound TranslateCancel(const FIX::Message& message, const TranslationContext& context) {
  Rejecter reject(message, RejectChannel::kCancelReject);
  reject.ResponseTo(router::CancelRejectResponseTo::kCancel);
  absl::StatusOr<std::string> id = RequiredId(message, FIX::FIELD::ClOrdID, "ClOrdID");
  if (!id.ok()) {
    return reject.Business(BusinessRejectCode::kConditionallyRequiredFieldMissing,
                           FIX::FIELD::ClOrdID, std::string(id.status().message()));
  }
  absl::StatusOr<std::string> original =
      RequiredId(message, FIX::FIELD::OrigClOrdID, "OrigClOrdID");
  if (!original.ok())
    return reject(RejectReason::kUnknownOrder, FIX::FIELD::OrigClOrdID,
                  std::string(original.status().message()));
  absl::StatusOr<core::Side> side = ParseSide(message, FIX::FIELD::Side, "Side");
  if (!side.ok())
    return reject(RejectReason::kUnknownOrder, FIX::FIELD::Side,
                  std::string(side.status().message()));
  return router::CancelComboOrder{context.client, core::ClientOrderId(*id),
                                  core::ClientOrderId(*original)};
}

Inbound TranslateReplace(const FIX::Message& message, const TranslationContext& context) {
  Rejecter reject(message, RejectChannel::kCancelReject);
  reject.ResponseTo(router::CancelRejectResponseTo::kReplace);
  absl::StatusOr<std::string> id = RequiredId(message, FIX::FIELD::ClOrdID, "ClOrdID");
  if (!id.ok()) {
    return reject.Business(BusinessRejectCode::kConditionallyRequiredFieldMissing,
                           FIX::FIELD::ClOrdID, std::string(id.status().message()));
  }
  absl::StatusOr<std::string> original =
      RequiredId(message, FIX::FIELD::OrigClOrdID, "OrigClOrdID");
  if (!original.ok())
    return reject(RejectReason::kUnknownOrder, FIX::FIELD::OrigClOrdID,
                  std::string(original.status().message()));
  router::ReplaceComboOrder request;
  request.client = context.client;
  request.client_order_id = core::ClientOrderId(*id);
  request.original_client_order_id = core::ClientOrderId(*original);
  absl::StatusOr<core::Side> side = ParseSide(message, FIX::FIELD::Side, "Side");
  if (!side.ok())
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::Side,
                  std::string(side.status().message()));
  request.side = *side;
  std::optional<std::string> quantity_text = Get(message, FIX::FIELD::OrderQty);
  if (!quantity_text.has_value()) {
    return reject(RejectReason::kInvalidQuantity, FIX::FIELD::OrderQty, "OrderQty(38) is required");
  }
  absl::StatusOr<int64_t> quantity = ParseWholeNumber(*quantity_text, "OrderQty(38)");
  if (!quantity.ok()) {
    return reject(RejectReason::kInvalidQuantity, FIX::FIELD::OrderQty,
                  std::string(quantity.status().message()));
  }
  request.total_quantity = core::Quantity(*quantity);
  absl::StatusOr<ComboOrderType> type = ParseOrdType(message);
  if (!type.ok()) {
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::OrdType,
                  std::string(type.status().message()));
  }
  request.type = *type;
  absl::StatusOr<std::optional<core::Price>> price = ParsePrice(message, request.type);
  if (!price.ok())
    return reject(RejectReason::kInvalidPrice, FIX::FIELD::Price,
                  std::string(price.status().message()));
  request.limit_price = *price;
  absl::StatusOr<std::optional<ComboTimeInForce>> tif = ParseTimeInForce(message);
  if (!tif.ok())
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::TimeInForce,
                  std::string(tif.status().message()));
  request.time_in_force = *tif;
  if (std::optional<RefusedField> refused = RefuseOrderFields(message))
    return reject(RejectReason::kUnsupportedOrder, refused->tag, std::move(refused->text));
  std::variant<std::optional<NamedCombo>, ComboError> combo =
      ResolveCombo(message, context, ComboNaming::kOptional);
  if (ComboError* e = std::get_if<ComboError>(&combo)) return reject(e->reason, e->tag, e->text);
  if (std::optional<NamedCombo>& named = std::get<std::optional<NamedCombo>>(combo)) {
    request.combo = std::move(named->spec);
  }
  return request;
}

Inbound TranslateStatus(const FIX::Message& message, const TranslationContext& context) {
  const Rejecter reject(message, RejectChannel::kBusinessReject);
  absl::StatusOr<std::string> id = RequiredId(message, FIX::FIELD::ClOrdID, "ClOrdID");
  if (!id.ok()) {
    return reject.Business(BusinessRejectCode::kConditionallyRequiredFieldMissing,
                           FIX::FIELD::ClOrdID, std::string(id.status().message()));
  }
  absl::StatusOr<core::Side> side = ParseSide(message, FIX::FIELD::Side, "Side");
  if (!side.ok())
    return reject.Business(BusinessRejectCode::kOther, FIX::FIELD::Side,
                           std::string(side.status().message()));
  return router::ComboOrderStatusRequest{context.client, core::ClientOrderId(*id)};
}

// A strategy template (docs/FIX.md "Strategy templates"): SecuritySubType(762) names it,
// Symbol(55) its underlying, NoLegs(555) its legs' instruments (LegRatioQty and LegSide
// optional: the template completes them, and checks them where given).
Inbound TranslateStrategy(const FIX::Message& message, const TranslationContext& context,
                          const std::string& request_id) {
  Rejecter reject(message, RejectChannel::kSecurityDefinitionReject);
  reject.RequestId(request_id);
  absl::StatusOr<pricing::Strategy> strategy =
      pricing::ParseStrategy(GetOr(message, FIX::FIELD::SecuritySubType));
  if (!strategy.ok()) {
    return reject(RejectReason::kInvalidCombo, FIX::FIELD::SecuritySubType,
                  absl::StrCat("SecuritySubType(762): ", strategy.status().message()));
  }
  const absl::string_view name = AsAbsl(pricing::ToString(*strategy));
  const std::string underlying = GetOr(message, FIX::FIELD::Symbol);
  if (underlying.empty() || underlying == "[N/A]") {
    return reject(RejectReason::kInvalidCombo, FIX::FIELD::Symbol,
                  absl::StrCat("Symbol(55) is required with SecuritySubType(762): the ", name,
                               "'s underlying"));
  }
  if (!message.isSetField(FIX::FIELD::NoLegs) && message.groupCount(FIX::FIELD::NoLegs) == 0) {
    return reject(RejectReason::kInvalidCombo, FIX::FIELD::NoLegs,
                  absl::StrCat("NoLegs(555) is required: the ", name,
                               "'s legs (their instruments; ratios and sides may be left out)"));
  }
  std::variant<std::vector<pricing::NamedLeg>, ComboError> legs =
      ResolveLegs(message, context, LegTerms::kFromTemplate);
  if (ComboError* e = std::get_if<ComboError>(&legs)) return reject(e->reason, e->tag, e->text);
  absl::StatusOr<core::ComboSpec> spec = pricing::MatchStrategy(
      *strategy, underlying, std::get<std::vector<pricing::NamedLeg>>(legs), *context.instruments);
  if (!spec.ok()) {
    return reject(RejectReason::kInvalidCombo, FIX::FIELD::SecuritySubType,
                  std::string(spec.status().message()));
  }
  return DefineComboRequest{request_id, *std::move(spec), StrategyTemplate{*strategy, underlying}};
}

Inbound TranslateDefine(const FIX::Message& message, const TranslationContext& context) {
  Rejecter reject(message, RejectChannel::kSecurityDefinitionReject);
  absl::StatusOr<std::string> id = RequiredId(message, FIX::FIELD::SecurityReqID, "SecurityReqID");
  if (!id.ok()) {
    return reject.Business(BusinessRejectCode::kConditionallyRequiredFieldMissing,
                           FIX::FIELD::SecurityReqID, std::string(id.status().message()));
  }
  reject.RequestId(*id);
  const std::string type = GetOr(message, FIX::FIELD::SecurityRequestType);
  if (type !=
      absl::StrCat(
          FIX::SecurityRequestType_REQUEST_SECURITY_IDENTITY_FOR_THE_SPECIFICATIONS_PROVIDED)) {
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::SecurityRequestType,
                  absl::StrCat("SecurityRequestType(321) \"", type,
                               "\" is not supported: use 1 (identity for the legs given)"));
  }
  if (message.isSetField(FIX::FIELD::SecurityID)) {
    return reject(RejectReason::kInvalidCombo, FIX::FIELD::SecurityID,
                  "SecurityID(48) is assigned by the gateway: define a combo by its NoLegs(555)");
  }
  if (message.isSetField(FIX::FIELD::SecuritySubType)) {
    return TranslateStrategy(message, context, *id);
  }
  std::variant<std::optional<NamedCombo>, ComboError> combo =
      ResolveCombo(message, context, ComboNaming::kRequired);
  if (ComboError* e = std::get_if<ComboError>(&combo)) return reject(e->reason, e->tag, e->text);
  return DefineComboRequest{*id, std::get<std::optional<NamedCombo>>(std::move(combo))->spec};
}

Inbound TranslateMarketData(const FIX::Message& message, const TranslationContext&) {
  Rejecter reject(message, RejectChannel::kMarketDataReject);
  absl::StatusOr<std::string> id = RequiredId(message, FIX::FIELD::MDReqID, "MDReqID");
  if (!id.ok()) {
    return reject.Business(BusinessRejectCode::kConditionallyRequiredFieldMissing,
                           FIX::FIELD::MDReqID, std::string(id.status().message()));
  }
  reject.RequestId(*id);
  QuoteRequest request;
  request.request_id = *id;
  const std::string subscription = GetOr(message, FIX::FIELD::SubscriptionRequestType);
  if (std::optional<QuoteSubscription> parsed = SubscriptionRequestTypeFromFix(subscription)) {
    request.subscription = *parsed;
  } else {
    return reject(
        RejectReason::kUnsupportedOrder, FIX::FIELD::SubscriptionRequestType,
        absl::StrCat("SubscriptionRequestType(263) \"", subscription,
                     "\" is not supported: use 0 (snapshot), 1 (snapshot and updates) or 2 "
                     "(unsubscribe)"));
  }
  const std::string depth = GetOr(message, FIX::FIELD::MarketDepth);
  if (depth != "1") {
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::MarketDepth,
                  absl::StrCat("MarketDepth(264) \"", depth,
                               "\" is not supported: the smart combo tick is top of book, use 1"));
  }
  if (message.isSetField(FIX::FIELD::MDUpdateType) &&
      GetOr(message, FIX::FIELD::MDUpdateType) != absl::StrCat(FIX::MDUpdateType_FULL_REFRESH)) {
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::MDUpdateType,
                  "MDUpdateType(265) must be 0 (full refresh): updates are snapshots");
  }
  const size_t types = message.groupCount(FIX::FIELD::NoMDEntryTypes);
  if (types == 0) {
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::NoMDEntryTypes,
                  "NoMDEntryTypes(267) must list 0 (bid) and/or 1 (offer)");
  }
  request.bids = false;
  request.offers = false;
  for (size_t i = 1; i <= types; ++i) {
    const std::string type =
        GetOr(message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoMDEntryTypes),
              FIX::FIELD::MDEntryType);
    const std::optional<QuoteSide> side = MdEntryTypeFromFix(type);
    if (side == QuoteSide::kBid) {
      request.bids = true;
    } else if (side == QuoteSide::kOffer) {
      request.offers = true;
    } else {
      return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::MDEntryType,
                    absl::StrCat("MDEntryType(269) \"", type,
                                 "\" is not supported: use 0 (bid) or 1 (offer)"));
    }
  }
  const size_t symbols = message.groupCount(FIX::FIELD::NoRelatedSym);
  if (symbols != 1) {
    return reject(RejectReason::kUnsupportedOrder, FIX::FIELD::NoRelatedSym,
                  absl::StrCat("NoRelatedSym(146) must hold exactly one combo, got ", symbols));
  }
  const FIX::FieldMap& related = message.getGroupRef(1, FIX::FIELD::NoRelatedSym);
  if (!related.isSetField(FIX::FIELD::SecurityID)) {
    return reject(RejectReason::kInvalidCombo, FIX::FIELD::SecurityID,
                  "SecurityID(48) is required: the id of a combo from SecurityDefinitionRequest");
  }
  absl::StatusOr<uint32_t> combo =
      ParseId(GetOr(related, FIX::FIELD::SecurityID), "SecurityID(48)");
  if (!combo.ok())
    return reject(RejectReason::kInvalidCombo, FIX::FIELD::SecurityID,
                  std::string(combo.status().message()));
  request.combo = core::ComboId(*combo);
  return request;
}

// SecurityListRequest (35=x): the query, or a SecurityList with SecurityRequestResult 1 and the
// reason (docs/FIX.md "SecurityListRequest").
Inbound TranslateSecurityList(const FIX::Message& message) {
  Rejecter reject(message, RejectChannel::kSecurityListReject);
  absl::StatusOr<std::string> id = RequiredId(message, FIX::FIELD::SecurityReqID, "SecurityReqID");
  if (!id.ok()) {
    return reject.Business(BusinessRejectCode::kConditionallyRequiredFieldMissing,
                           FIX::FIELD::SecurityReqID, std::string(id.status().message()));
  }
  reject.RequestId(*id);
  absl::StatusOr<SecurityListQuery> query = ParseSecurityListRequest(message, *id);
  if (!query.ok()) {
    return reject(RejectReason::kUnsupportedOrder, 0, std::string(query.status().message()));
  }
  return *std::move(query);
}

}  // namespace

absl::StatusOr<int64_t> ParseWholeNumber(std::string_view text, std::string_view what) {
  // Digits, optionally followed by '.' and zeros: FIX Qty fields may carry decimals.
  size_t end = text.find('.');
  std::string_view whole = text.substr(0, end);
  bool ok = !whole.empty() && whole.size() <= 15;
  for (char c : whole) ok = ok && absl::ascii_isdigit(static_cast<unsigned char>(c));
  if (ok && end != std::string_view::npos) {
    for (char c : text.substr(end + 1)) ok = ok && c == '0';
  }
  int64_t value = 0;
  if (!ok || !absl::SimpleAtoi(AsAbsl(whole), &value) || value < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        AsAbsl(what), " must be a whole number of at least 1, got \"", AsAbsl(text), "\""));
  }
  return value;
}

Inbound Translate(const FIX::Message& message, const TranslationContext& context) {
  const std::string msg_type = GetOr(message.getHeader(), FIX::FIELD::MsgType);
  if (msg_type == FIX::MsgType_NewOrderMultileg) return TranslateNewOrder(message, context);
  if (msg_type == FIX::MsgType_MultilegOrderCancelReplace) {
    return TranslateReplace(message, context);
  }
  if (msg_type == FIX::MsgType_OrderCancelRequest) return TranslateCancel(message, context);
  if (msg_type == FIX::MsgType_OrderStatusRequest) return TranslateStatus(message, context);
  if (msg_type == FIX::MsgType_SecurityDefinitionRequest) return TranslateDefine(message, context);
  if (msg_type == FIX::MsgType_MarketDataRequest) return TranslateMarketData(message, context);
  if (msg_type == FIX::MsgType_SecurityListRequest) return TranslateSecurityList(message);
  return Rejecter(message, RejectChannel::kBusinessReject)
      .Business(
          BusinessRejectCode::kUnsupportedMessageType, 0,
          absl::StrCat("MsgType(35) \"", msg_type,
                       "\" is not accepted by the gateway: it takes AB, AC, F, H, V, c and x"));
}

}  // namespace combo::fix
