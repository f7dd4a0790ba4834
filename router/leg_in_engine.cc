#include "router/leg_in_engine.h"

namespace combo::router {

std::string_view ToString(LegInEnd end) {
  switch (end) {
    case LegInEnd::kCompleted:
      return "completed";
    case LegInEnd::kLegFailed:
      return "leg_failed";
    case LegInEnd::kCancelled:
      return "cancelled";
    case LegInEnd::kPreflightFailed:
      return "preflight_failed";
    case LegInEnd::kRiskDenied:
      return "risk_denied";
    case LegInEnd::kMarketMoved:
      return "market_moved";
  }
  return "unknown";
}

}  // namespace combo::router
