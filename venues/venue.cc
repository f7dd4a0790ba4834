// Names of the venue vocabulary's enums (for events, logs and test output), and the default
// Venue::SetTradingStatus (a venue without an exchange-wide halt refuses).
#include "venues/venue.h"

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues {

std::string_view ToString(OrderType value) {
  switch (value) {
    case OrderType::kLimit:
      return "limit";
    case OrderType::kMarket:
      return "market";
    case OrderType::kInterest:
      return "interest";
  }
  return "unknown";
}

std::string_view ToString(PositionEffect value) {
  switch (value) {
    case PositionEffect::kUnspecified:
      return "unspecified";
    case PositionEffect::kOpen:
      return "open";
    case PositionEffect::kClose:
      return "close";
  }
  return "unknown";
}

std::string_view ToString(TimeInForce value) {
  switch (value) {
    case TimeInForce::kDay:
      return "day";
    case TimeInForce::kGoodTillCancel:
      return "gtc";
    case TimeInForce::kImmediateOrCancel:
      return "ioc";
    case TimeInForce::kFillOrKill:
      return "fok";
  }
  return "unknown";
}

std::string_view ToString(FillCondition value) {
  switch (value) {
    case FillCondition::kAnyQuantity:
      return "any_quantity";
    case FillCondition::kAllOrNone:
      return "all_or_none";
  }
  return "unknown";
}

std::string_view ToString(ParticipantRole value) {
  switch (value) {
    case ParticipantRole::kCustomer:
      return "customer";
    case ParticipantRole::kProfessional:
      return "professional";
    case ParticipantRole::kMarketMaker:
      return "market_maker";
    case ParticipantRole::kPrimaryMarketMaker:
      return "primary_market_maker";
    case ParticipantRole::kFarAwayMarketMaker:
      return "farmm";
  }
  return "unknown";
}

std::string_view ToString(Liquidity value) {
  switch (value) {
    case Liquidity::kAdded:
      return "added";
    case Liquidity::kRemoved:
      return "removed";
  }
  return "unknown";
}

std::string_view ToString(RequestKind value) {
  switch (value) {
    case RequestKind::kNew:
      return "new";
    case RequestKind::kNewComplex:
      return "new_complex";
    case RequestKind::kCancel:
      return "cancel";
    case RequestKind::kReplace:
      return "replace";
  }
  return "unknown";
}

std::string_view ToString(RejectCode value) {
  switch (value) {
    case RejectCode::kUnlistedInstrument:
      return "unlisted_instrument";
    case RejectCode::kOffTick:
      return "off_tick";
    case RejectCode::kInvalidQuantity:
      return "invalid_quantity";
    case RejectCode::kInvalidPrice:
      return "invalid_price";
    case RejectCode::kUnknownOrder:
      return "unknown_order";
    case RejectCode::kNoComplexBook:
      return "no_complex_book";
    case RejectCode::kUnknownCombo:
      return "unknown_combo";
    case RejectCode::kUnsupportedCondition:
      return "unsupported_condition";
    case RejectCode::kInvalidRequest:
      return "invalid_request";
  }
  return "unknown";
}

std::string_view ToString(CancelReason value) {
  switch (value) {
    case CancelReason::kRequested:
      return "requested";
    case CancelReason::kImmediateOrCancel:
      return "immediate_or_cancel";
    case CancelReason::kFillOrKill:
      return "fill_or_kill";
    case CancelReason::kSelfTradePrevention:
      return "self_trade_prevention";
    case CancelReason::kEndOfDay:
      return "end_of_day";
    case CancelReason::kReplacedBelowFilled:
      return "replaced_below_filled";
    case CancelReason::kExpired:
      return "expired";
    case CancelReason::kTradeFailed:
      return "trade_failed";
    case CancelReason::kProfessionalBand:
      return "professional_band";
    case CancelReason::kBelowMinimumMarketSize:
      return "below_minimum_market_size";
    case CancelReason::kTickWorseExhausted:
      return "tick_worse_exhausted";
  }
  return "unknown";
}

std::string_view ToString(RestatementReason value) {
  switch (value) {
    case RestatementReason::kReplaced:
      return "replaced";
    case RestatementReason::kAopTopOfBook:
      return "aop_top_of_book";
    case RestatementReason::kAopAwp:
      return "aop_awp";
    case RestatementReason::kAopWaitForFollow:
      return "aop_wait_for_follow";
    case RestatementReason::kAopTradeThrough:
      return "aop_trade_through";
    case RestatementReason::kAopUnprotect:
      return "aop_unprotect";
    case RestatementReason::kTickWorse:
      return "tick_worse";
    case RestatementReason::kStepUp:
      return "step_up";
  }
  return "unknown";
}

std::string_view ToString(QueuePriority value) {
  switch (value) {
    case QueuePriority::kKept:
      return "kept";
    case QueuePriority::kLost:
      return "lost";
  }
  return "unknown";
}

std::string_view ToString(VenueTradingStatus value) {
  switch (value) {
    case VenueTradingStatus::kOpen:
      return "open";
    case VenueTradingStatus::kHalted:
      return "halted";
  }
  return "unknown";
}

std::string_view ToString(SeriesPhase value) {
  switch (value) {
    case SeriesPhase::kOpen:
      return "open";
    case SeriesPhase::kPreOpen:
      return "pre_open";
    case SeriesPhase::kFastMarket:
      return "fast_market";
  }
  return "unknown";
}

std::string_view ToString(OrderHandling value) {
  switch (value) {
    case OrderHandling::kRegular:
      return "regular";
    case OrderHandling::kBlock:
      return "block";
    case OrderHandling::kFacilitation:
      return "facilitation";
  }
  return "unknown";
}

absl::Status Venue::SetTradingStatus(VenueTradingStatus status) {
  return absl::FailedPreconditionError(absl::StrCat("venue ", core::AsAbsl(name()),
                                                    " has no exchange-wide halt (asked to be ",
                                                    core::AsAbsl(ToString(status)), ")"));
}

absl::Status Venue::SetFastMarket(core::InstrumentId instrument, int level,
                                  core::Duration /*entered_delay*/) {
  return absl::FailedPreconditionError(
      absl::StrCat("venue ", core::AsAbsl(name()), " has no fast-market process (asked for level ",
                   level, " in instrument ", instrument.value(), ")"));
}

std::string_view ToString(AopState value) {
  switch (value) {
    case AopState::kActive:
      return "active";
    case AopState::kSuspended:
      return "suspended";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, RejectCode value) { return os << ToString(value); }
std::ostream& operator<<(std::ostream& os, CancelReason value) { return os << ToString(value); }
std::ostream& operator<<(std::ostream& os, ParticipantRole value) { return os << ToString(value); }

}  // namespace combo::venues
