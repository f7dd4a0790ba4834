// Runs every router scenario in tests/scenarios/ (listed here and in tests/CMakeLists.txt), and
// checks that the runner itself catches a wrong expectation and a malformed file.
#include <string>

#include "gtest/gtest.h"
#include "tests/scenario_runner.h"

namespace combo::tests {
namespace {

std::string Describe(const ScenarioResult& result) {
  std::string text;
  for (const std::string& failure : result.failures) text += "FAILED " + failure + "\n";
  text += "events:\n";
  for (const ScenarioEvent& event : result.events) {
    text += "  @" + std::to_string(event.millis) + " " + event.text + "\n";
  }
  return text;
}

void RunScenario(const std::string& file) {
  absl::StatusOr<ScenarioResult> result =
      RunScenarioFile(std::string(COMBO_SCENARIO_DIR) + "/" + file);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->failures.empty()) << Describe(*result);
}

TEST(RouterScenario, E6NotMarketableRestsAtNativeVenue) {
  RunScenario("e6_not_marketable_rests_native.scn");
}
TEST(RouterScenario, E7NativeAskAtLimitStaysNativeAndFills) {
  RunScenario("e7_native_ask_at_limit_fills_native.scn");
}
TEST(RouterScenario, E8ImpliedAskWaitsStabilityThenLegsIn) {
  RunScenario("e8_implied_ask_waits_stability_then_legs_in.scn");
}
TEST(RouterScenario, ImpliedMovingAwayDuringStabilityWaitStartsNoLegIn) {
  RunScenario("e8b_implied_moves_away_during_wait.scn");
}
TEST(RouterScenario, ComboNoVenueListsIsWorkedByTheRouter) {
  RunScenario("no_native_venue_router_works_order.scn");
}
TEST(RouterScenario, Seed001R46LegInSkipsASeriesInAFastMarket) {
  RunScenario("legin_skips_series_in_fast_market.scn");
}
TEST(RouterScenario, Seed001R47LegInWaitsForTheOpeningRotation) {
  RunScenario("legin_waits_for_the_opening.scn");
}
TEST(RouterScenario, MarketableImpliedAtSubmissionLegsInWithoutWait) {
  RunScenario("marketable_implied_at_submission_legs_in_at_once.scn");
}
TEST(RouterScenario, R42TickWorseRenewsTheExhaustedLegQuoteAndTheRestLegsInThere) {
  RunScenario("tick_worse_renews_the_exhausted_leg_quote.scn");
}
TEST(RouterScenario, R39PreflightSizesTheSliceToWhatAProfessionalMayTakeOfTheQuote) {
  RunScenario("preflight_sizes_legs_to_quote_availability.scn");
}
TEST(RouterScenario, NativeFillRacingTheCancelIsCountedNeverOverfills) {
  RunScenario("native_fill_races_cancel.scn");
}
TEST(RouterScenario, NativeAndLegInFillsConsolidateWithExactAverage) {
  RunScenario("consolidated_native_and_legin_fills.scn");
}
TEST(RouterScenario, CancelWithNothingWorkingIsImmediate) {
  RunScenario("cancel_with_nothing_working.scn");
}
TEST(RouterScenario, CancelOfNativeRestConfirmsAfterVenueCancel) {
  RunScenario("cancel_resting_native.scn");
}
TEST(RouterScenario, CancelWaitsForWorkingLegs) {
  RunScenario("cancel_waits_for_working_legs.scn");
}
TEST(RouterScenario, CancelConfirmsAfterTimeoutWhenLegsKeepWorking) {
  RunScenario("cancel_timeout_with_legs_working.scn");
}
TEST(RouterScenario, ReplacePriceReentersTheRoutingDecision) {
  RunScenario("replace_price_reenters_routing.scn");
}
TEST(RouterScenario, ReplaceBelowFilledIsRejectedWithReason) {
  RunScenario("replace_below_filled_rejected.scn");
}
TEST(RouterScenario, ReplaceOfAQuantityDecreaseInPlaceKeepsTheQueuePlace) {
  RunScenario("replace_quantity_decrease_keeps_queue_place.scn");
}
TEST(RouterScenario, ReplaceOfAQuantityIncreaseInPlaceLosesTheQueuePlace) {
  RunScenario("replace_quantity_increase_loses_queue_place.scn");
}
TEST(RouterScenario, ReplaceTheVenueRefusesLeavesTheOrderUnchangedWithTheVenuesReason) {
  RunScenario("replace_refused_by_venue_leaves_order_unchanged.scn");
}
TEST(RouterScenario, ReplaceWaitsForWorkingLegsWithoutErrorAccountBooking) {
  RunScenario("replace_waits_for_working_legs.scn");
}
TEST(RouterScenario, ReplaceRefusedAfterTimeoutWithLegsWorkingLeavesTheSliceToFinish) {
  RunScenario("replace_timeout_with_legs_working.scn");
}
TEST(RouterScenario, LegInFailureReturnsUnitsToTheRouter) {
  RunScenario("legin_failure_resubmits.scn");
}
TEST(RouterScenario, LegInUnitsBeyondTheOrderNeverOverfill) {
  RunScenario("legin_units_beyond_order_never_overfill.scn");
}
TEST(RouterScenario, HaltCancelsNativeRestsAndHoldsOrders) {
  RunScenario("halt_cancels_native_and_holds.scn");
}
TEST(RouterScenario, MirroredClientComboReportsInClientTerms) {
  RunScenario("mirrored_client_combo.scn");
}
TEST(RouterScenario, BadOrdersAreRejectedWithReasons) { RunScenario("bad_orders_rejected.scn"); }
TEST(RouterScenario, E9ThreeFailedLegInsMakeTheOrderDefensive) {
  RunScenario("e9_three_failures_switch_to_defensive.scn");
}
TEST(RouterScenario, E10ThreeLegButterflyIsLeggedDefensively) {
  RunScenario("e10_butterfly_defensive_from_the_start.scn");
}
TEST(RouterScenario, E11UnmatchedLegGoesToErrorAccountRestResubmitted) {
  RunScenario("e11_partial_second_leg_to_error_account.scn");
}
TEST(RouterScenario, PartiallyFilledFirstLegSizesTheNextLegInRatio) {
  RunScenario("partially_filled_first_leg.scn");
}
TEST(RouterScenario, FailedLegIsReroutedToTheNextVenueWithinTheLimit) {
  RunScenario("second_leg_rerouted.scn");
}
TEST(RouterScenario, LargeOrderIsLeggedInSlices) { RunScenario("large_order_sliced.scn"); }
TEST(RouterScenario, PreflightFailureStartsNoLegAndIsAnEvent) {
  RunScenario("preflight_refuses_leg_in.scn");
}
TEST(RouterScenario, LegTimeoutCancelsARestingLegOrder) {
  RunScenario("leg_timeout_cancels_resting_leg.scn");
}
TEST(RouterScenario, NonMarketableLegIsResubmittedALimitedNumberOfTimes) {
  RunScenario("non_marketable_leg_resubmitted.scn");
}

constexpr char kSmall[] = R"(
instrument 1 AAA
instrument 2 BBB
combo S AAA +1 / BBB -1
venue 1 LEGS
venue 2 CBOE native S
at 0 native CBOE S 1.00 10 1.20 10
at 10 order O1 buy 5 S 1.10
run 20
)";

TEST(RouterScenario, SliceShrinksToFitTheLegVenuesLargestOrder) {
  RunScenario("slice_fits_venue_max_order.scn");
}
TEST(RouterScenario, CancelPendingWhenNativeFillsCompletelyIsRejectedTooLate) {
  RunScenario("cancel_pending_when_native_fills_is_rejected_too_late.scn");
}
TEST(RouterScenario, ReplacePendingWhenNativeFillsCompletelyIsRejectedTooLate) {
  RunScenario("replace_pending_when_native_fills_is_rejected_too_late.scn");
}
TEST(RouterScenario, CancelPendingWhenLegsFillCompletelyIsRejectedTooLate) {
  RunScenario("cancel_pending_when_legs_fill_is_rejected_too_late.scn");
}
TEST(RouterScenario, HeldLegFillOutlivesTheLegTimeoutAndExecutes) {
  RunScenario("held_leg_fill_outlives_leg_timeout.scn");
}
TEST(RouterScenario, VoidedLegFillIsNotExecutedAndTheLegIsRerouted) {
  RunScenario("voided_leg_fill_is_not_executed_and_rerouted.scn");
}
TEST(RouterScenario, VoidedHeldLimitLegKeepsWorkingThenItsDeferredTimeoutCancels) {
  RunScenario("voided_held_limit_leg_keeps_working_then_times_out.scn");
}
TEST(RouterScenario, MarketIocLegsInAtOnceWithinItsCollar) {
  RunScenario("market_ioc_legs_in_within_collar.scn");
}
TEST(RouterScenario, MarketIocRestFindingNoPriceWithinTheCollarIsCancelledWithTheReason) {
  RunScenario("market_ioc_rest_found_no_price_within_collar.scn");
}
TEST(RouterScenario, LimitIocGoesNativeAsIocAndItsRestIsCancelled) {
  RunScenario("limit_ioc_native_partial_rest_cancelled.scn");
}
TEST(RouterScenario, FokIsWholeOrNothingForTheClientAndAFailedLegInGoesToTheErrorAccount) {
  RunScenario("fok_whole_quantity_or_nothing.scn");
}
TEST(RouterScenario, CancelPendingWhenTheVenueRejectsTheNativeOrderIsConfirmedOnce) {
  RunScenario("cancel_pending_when_venue_rejects_native_is_confirmed.scn");
}

TEST(ScenarioRunner, AWrongExpectationIsReportedAsAFailure) {
  absl::StatusOr<ScenarioResult> result =
      RunScenarioText(std::string(kSmall) + "expect state O1 legging_in\n");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->failures.size(), 1u);
  EXPECT_NE(result->failures[0].find("legging_in"), std::string::npos);
}

TEST(ScenarioRunner, ExpectNoneFailsWhenAnyEventContainsTheText) {
  absl::StatusOr<ScenarioResult> result =
      RunScenarioText(std::string(kSmall) + "expect_none accepted O1\nexpect_none no such event\n");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->failures.size(), 1u) << Describe(*result);
  EXPECT_NE(result->failures[0].find("accepted O1"), std::string::npos);
}

TEST(ScenarioRunner, LatencyProtectionNeedsAValidRoundTrip) {
  absl::StatusOr<ScenarioResult> result =
      RunScenarioText("latency_protection LEGS soon\n" + std::string(kSmall));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string(result.status().message()).find("line 1"), std::string::npos)
      << result.status();
}

TEST(ScenarioRunner, ExpectationsMatchInOrder) {
  absl::StatusOr<ScenarioResult> result =
      RunScenarioText(std::string(kSmall) + "expect state O1 resting_native\nexpect accepted O1\n");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->failures.size(), 1u) << Describe(*result);
}

TEST(ScenarioRunner, AMalformedLineIsAnErrorNamingTheLine) {
  absl::StatusOr<ScenarioResult> result = RunScenarioText(std::string(kSmall) + "at 30 dance\n");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string(result.status().message()).find("line 10"), std::string::npos)
      << result.status();
}

}  // namespace
}  // namespace combo::tests
