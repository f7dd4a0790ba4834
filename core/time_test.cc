#include "core/time.h"

#include "gtest/gtest.h"

namespace combo::core {
namespace {

TEST(Duration, ParsesConfigUnitsExactly) {
  EXPECT_EQ(*Duration::Parse("250ms"), Duration::Milliseconds(250));
  EXPECT_EQ(*Duration::Parse("1s"), Duration::Seconds(1));
  EXPECT_EQ(*Duration::Parse("1.5s"), Duration::Milliseconds(1500));
  EXPECT_EQ(*Duration::Parse("0.30s"), Duration::Milliseconds(300));
  EXPECT_EQ(*Duration::Parse("300us"), Duration::Microseconds(300));
  EXPECT_EQ(*Duration::Parse("40ns"), Duration::Nanoseconds(40));
  EXPECT_EQ(*Duration::Parse("2m"), Duration::Seconds(120));
  EXPECT_EQ(*Duration::Parse("1h"), Duration::Seconds(3600));
  EXPECT_EQ(*Duration::Parse("-5ms"), -Duration::Milliseconds(5));
}

TEST(Duration, RejectsMissingUnitOrSubNanosecondValues) {
  for (std::string_view bad : {"", "5", "ms", "1.5ns", "5 ms", "5sec", "1e3s", "-"}) {
    EXPECT_FALSE(Duration::Parse(bad).ok()) << bad;
  }
}

TEST(Duration, FormatsInLargestWholeUnit) {
  EXPECT_EQ(Duration::Milliseconds(250).ToString(), "250ms");
  EXPECT_EQ(Duration::Milliseconds(1500).ToString(), "1.5s");
  EXPECT_EQ(Duration::Seconds(2).ToString(), "2s");
  EXPECT_EQ(Duration::Nanoseconds(40).ToString(), "40ns");
  EXPECT_EQ(Duration::Microseconds(300).ToString(), "300us");
  EXPECT_EQ(Duration::Zero().ToString(), "0s");
  EXPECT_EQ((-Duration::Milliseconds(5)).ToString(), "-5ms");
}

TEST(Timestamp, CivilUtcConstructionAndIsoFormat) {
  const Timestamp t = Timestamp::FromUtc(2026, 11, 20, 14, 22, 27, 40'000'000);
  EXPECT_EQ(t.ToString(), "2026-11-20T14:22:27.040000000Z");
  EXPECT_EQ(*Timestamp::Parse("2026-11-20T14:22:27.04Z"), t);
  EXPECT_EQ(*Timestamp::Parse(t.ToString()), t);
  EXPECT_FALSE(Timestamp::Parse("yesterday").ok());
}

TEST(Timestamp, ArithmeticWithDurations) {
  const Timestamp matched = Timestamp::FromUtc(2026, 11, 20, 14, 22, 27, 40'000'000);
  const Timestamp executed = matched + Duration::Milliseconds(200);
  EXPECT_EQ(executed, Timestamp::FromUtc(2026, 11, 20, 14, 22, 27, 240'000'000));
  EXPECT_EQ(executed - matched, Duration::Milliseconds(200));
  EXPECT_LT(matched, executed);
}

}  // namespace
}  // namespace combo::core
