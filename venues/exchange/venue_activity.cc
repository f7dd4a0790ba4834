// VenueActivity: counting prints, resting orders and the customer rules (see venue_activity.h).
#include "venues/exchange/venue_activity.h"

#include "absl/strings/str_cat.h"
#include "core/metrics.h"
#include "core/status.h"

namespace combo::venues {
namespace {

constexpr core::PrintKind kAllKinds[] = {
    core::PrintKind::kLegVsLeg, core::PrintKind::kComplexVsComplex, core::PrintKind::kComplexVsLeg};
constexpr ParticipantRole kAllRoles[] = {ParticipantRole::kCustomer, ParticipantRole::kProfessional,
                                         ParticipantRole::kMarketMaker,
                                         ParticipantRole::kPrimaryMarketMaker};

}  // namespace

absl::Status VenueActivity::Export(prometheus::Registry& registry, const std::string& venue,
                                   bool seed001) {
  COMBO_ASSIGN_OR_RETURN(
      prometheus::Family<prometheus::Counter> * prints,
      core::DeclareCounterFamily(
          registry, "combo_venue_prints_total",
          "Prints of the venue's executions (seed 001 R21, R50), by print (leg, combo) and kind "
          "(leg_vs_leg, complex_vs_complex, complex_vs_leg)"));
  for (core::PrintKind kind : kAllKinds) {
    for (PrintSubject subject : {PrintSubject::kLeg, PrintSubject::kCombo}) {
      // A combo print is always of a complex trade.
      if (subject == PrintSubject::kCombo && kind == core::PrintKind::kLegVsLeg) continue;
      COMBO_ASSIGN_OR_RETURN(
          prints_[Index(subject)][Index(kind)].exported,
          core::AddCounter(*prints, {{"venue", venue},
                                     {"print", subject == PrintSubject::kLeg ? "leg" : "combo"},
                                     {"kind", core::PrintKindName(kind)}}));
    }
  }
  COMBO_ASSIGN_OR_RETURN(
      prometheus::Family<prometheus::Counter> * resting,
      core::DeclareCounterFamily(registry, "combo_venue_resting_orders_total",
                                 "Orders that came to rest in the venue's books, by book (leg, "
                                 "complex) and participant role"));
  for (BookKind book : {BookKind::kLeg, BookKind::kComplex}) {
    for (ParticipantRole role : kAllRoles) {
      COMBO_ASSIGN_OR_RETURN(
          resting_[Index(book)][Index(role)].exported,
          core::AddCounter(*resting, {{"venue", venue},
                                      {"book", book == BookKind::kLeg ? "leg" : "complex"},
                                      {"role", std::string(ToString(role))}}));
    }
  }
  if (seed001) {
    COMBO_ASSIGN_OR_RETURN(
        prometheus::Family<prometheus::Counter> * priority,
        core::DeclareCounterFamily(
            registry, "combo_venue_customer_priority_allocations_total",
            "Price levels where seed-001 allocation filled resting public customers first and "
            "then professional interest at the same price (seed 001 R30)"));
    COMBO_ASSIGN_OR_RETURN(customer_priority_.exported,
                           core::AddCounter(*priority, {{"venue", venue}}));
  }
  COMBO_ASSIGN_OR_RETURN(
      prometheus::Family<prometheus::Counter> * edge,
      core::DeclareCounterFamily(
          registry, "combo_venue_complex_customer_edge_trades_total",
          "Complex-vs-complex trades made while a public customer rested at a leg's best bid or "
          "offer, an edge of the synthetic range (seed 001 R12-R16)"));
  COMBO_ASSIGN_OR_RETURN(customer_edge_.exported, core::AddCounter(*edge, {{"venue", venue}}));
  return absl::OkStatus();
}

void VenueActivity::CountPrint(PrintSubject subject, core::PrintKind kind) {
  prints_[Index(subject)][Index(kind)].Add();
}

void VenueActivity::CountResting(BookKind book, ParticipantRole role) {
  resting_[Index(book)][Index(role)].Add();
}

void VenueActivity::CountAllocation(core::InstrumentId instrument, uint64_t incoming_tag,
                                    core::Price price, ParticipantRole resting_role) {
  if (!walk_.has_value() || walk_->instrument != instrument ||
      walk_->incoming_tag != incoming_tag || walk_->price != price) {
    walk_ = Walk{instrument, incoming_tag, price, false, false};
  }
  if (resting_role == ParticipantRole::kCustomer) {
    walk_->customer_filled = true;
  } else if (walk_->customer_filled && !walk_->counted) {
    walk_->counted = true;
    customer_priority_.Add();
  }
}

void VenueActivity::CountComplexTradeAtCustomerEdge() { customer_edge_.Add(); }

}  // namespace combo::venues
