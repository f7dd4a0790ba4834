#include "venues/negotiation/withdrawal_tracker.h"

#include "gtest/gtest.h"

namespace combo::venues::negotiation {
namespace {

using core::AccountId;
using core::Duration;
using core::Timestamp;

WithdrawalPolicy SmallPolicy() {
  WithdrawalPolicy policy;
  policy.min_offer_life = Duration::Seconds(5);
  policy.window_offers = 4;
  policy.min_offers = 2;
  policy.max_premature_percent = 50;
  policy.throttle_duration = Duration::Seconds(60);
  return policy;
}

TEST(WithdrawalTrackerTest, WithdrawalBeforeMinimumLifeIsPremature) {
  WithdrawalTracker tracker(SmallPolicy());
  const AccountId joe("BIGJOE");
  const Timestamp t = Timestamp::FromUtc(2026, 1, 2, 14, 30, 0);
  tracker.OnOfferPosted(joe);
  tracker.OnOfferPosted(joe);
  EXPECT_FALSE(tracker.OnOfferEnded(joe, OfferEnd::kWithdrawn, Duration::Seconds(5), t));
  WithdrawalStats stats = tracker.Stats(joe);
  EXPECT_EQ(stats.offers_posted, 2);
  EXPECT_EQ(stats.withdrawals, 1);
  EXPECT_EQ(stats.premature_withdrawals, 0);
  tracker.OnOfferEnded(joe, OfferEnd::kWithdrawn, Duration::Milliseconds(4999), t);
  stats = tracker.Stats(joe);
  EXPECT_EQ(stats.premature_withdrawals, 1);
  EXPECT_EQ(stats.window_offers, 2);
  EXPECT_DOUBLE_EQ(stats.premature_ratio(), 0.5);
}

TEST(WithdrawalTrackerTest, ThrottlesAtThePrematureLimitForTheConfiguredTime) {
  WithdrawalTracker tracker(SmallPolicy());
  const AccountId joe("BIGJOE");
  const Timestamp t = Timestamp::FromUtc(2026, 1, 2, 14, 30, 0);
  // One premature withdrawal alone is below min_offers.
  EXPECT_FALSE(tracker.OnOfferEnded(joe, OfferEnd::kWithdrawn, Duration::Seconds(1), t));
  EXPECT_FALSE(tracker.IsThrottled(joe, t));
  // 2 of 2 premature: over 50%.
  EXPECT_TRUE(tracker.OnOfferEnded(joe, OfferEnd::kWithdrawn, Duration::Seconds(1), t));
  EXPECT_TRUE(tracker.IsThrottled(joe, t + Duration::Seconds(59)));
  EXPECT_FALSE(tracker.IsThrottled(joe, t + Duration::Seconds(60)));
  EXPECT_FALSE(tracker.IsThrottled(AccountId("OTHER"), t));
}

TEST(WithdrawalTrackerTest, WindowForgetsOldBehaviour) {
  WithdrawalTracker tracker(SmallPolicy());
  const AccountId joe("BIGJOE");
  const Timestamp t = Timestamp::FromUtc(2026, 1, 2, 14, 30, 0);
  tracker.OnOfferEnded(joe, OfferEnd::kWithdrawn, Duration::Seconds(1), t);
  for (int i = 0; i < 4; ++i) tracker.OnOfferEnded(joe, OfferEnd::kAccepted, Duration::Zero(), t);
  const WithdrawalStats stats = tracker.Stats(joe);
  EXPECT_EQ(stats.window_offers, 4);
  EXPECT_EQ(stats.window_premature, 0);
  EXPECT_EQ(stats.premature_withdrawals, 1);  // the lifetime count keeps it
  // One premature in a window of 4 is 25%: no throttle.
  EXPECT_FALSE(tracker.OnOfferEnded(joe, OfferEnd::kWithdrawn, Duration::Seconds(1), t));
}

TEST(WithdrawalTrackerTest, TrackOnlyPolicyNeverThrottles) {
  WithdrawalPolicy policy = SmallPolicy();
  policy.action = WithdrawalAction::kTrackOnly;
  WithdrawalTracker tracker(policy);
  const AccountId joe("BIGJOE");
  const Timestamp t = Timestamp::FromUtc(2026, 1, 2, 14, 30, 0);
  for (int i = 0; i < 4; ++i) tracker.OnOfferEnded(joe, OfferEnd::kWithdrawn, Duration::Zero(), t);
  EXPECT_FALSE(tracker.IsThrottled(joe, t));
  EXPECT_EQ(tracker.Stats(joe).window_premature, 4);
}

TEST(WithdrawalTrackerTest, InvalidPolicyIsRefusedNamingTheField) {
  WithdrawalPolicy policy = SmallPolicy();
  policy.window_offers = 0;
  EXPECT_NE(ValidateWithdrawalPolicy(policy).message().find("window_offers"), std::string::npos);
  policy = SmallPolicy();
  policy.min_offers = 5;
  EXPECT_NE(ValidateWithdrawalPolicy(policy).message().find("min_offers"), std::string::npos);
  policy = SmallPolicy();
  policy.max_premature_percent = 101;
  EXPECT_NE(ValidateWithdrawalPolicy(policy).message().find("max_premature_percent"),
            std::string::npos);
  policy = SmallPolicy();
  policy.throttle_duration = Duration::Seconds(-1);
  EXPECT_FALSE(ValidateWithdrawalPolicy(policy).ok());
  EXPECT_TRUE(ValidateWithdrawalPolicy(SmallPolicy()).ok());
}

}  // namespace
TEST(WithdrawalTrackerTest, WouldThrottleAnswersExactlyWhatTheNextPrematureWithdrawalDoes) {
  WithdrawalTracker tracker(SmallPolicy());
  const AccountId joe("BIGJOE");
  const Timestamp t = Timestamp::FromUtc(2026, 1, 2, 14, 30, 0);
  // Window of 4, at least 2, 50%: one accepted offer, then premature withdrawals.
  EXPECT_FALSE(tracker.WouldThrottle(joe));  // 1 of 1, below min_offers
  tracker.OnOfferEnded(joe, OfferEnd::kAccepted, Duration::Seconds(1), t);
  EXPECT_TRUE(tracker.WouldThrottle(joe));  // 1 of 2 = 50%
  tracker.OnOfferEnded(joe, OfferEnd::kExpired, Duration::Seconds(9), t);
  tracker.OnOfferEnded(joe, OfferEnd::kAccepted, Duration::Seconds(1), t);
  tracker.OnOfferEnded(joe, OfferEnd::kExpired, Duration::Seconds(9), t);
  EXPECT_FALSE(tracker.WouldThrottle(joe));  // the window drops one clean end: 1 of 4
  EXPECT_FALSE(tracker.OnOfferEnded(joe, OfferEnd::kWithdrawn, Duration::Seconds(1), t));
  EXPECT_TRUE(tracker.WouldThrottle(joe));  // 2 of 4
  EXPECT_TRUE(tracker.OnOfferEnded(joe, OfferEnd::kWithdrawn, Duration::Seconds(1), t));
  WithdrawalPolicy track_only = SmallPolicy();
  track_only.action = WithdrawalAction::kTrackOnly;
  EXPECT_FALSE(WithdrawalTracker(track_only).WouldThrottle(joe));
}

}  // namespace combo::venues::negotiation
