#include "daemon/logging.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace combo::daemon {
namespace {

TEST(LoggingTest, RecordIsOneLineOfKeyValuePairsQuotingWhatNeedsIt) {
  EXPECT_EQ(FormatRecord("signal", {{"signal", "SIGHUP"}, {"action", "reload"}}),
            "event=signal signal=SIGHUP action=reload");
  EXPECT_EQ(FormatRecord("reload_refused", {{"error", "leg_in.mode: expected one of x=y"}}),
            "event=reload_refused error=\"leg_in.mode: expected one of x=y\"");
  EXPECT_EQ(FormatRecord("e", {{"text", "two\nlines \"quoted\""}, {"empty", ""}}),
            "event=e text=\"two\\nlines \\\"quoted\\\"\" empty=\"\"");
}

TEST(LoggingTest, UnknownLevelIsRefusedListingTheLevels) {
  EXPECT_EQ(*ParseLogLevel("debug"), spdlog::level::debug);
  EXPECT_EQ(*ParseLogLevel("warn"), spdlog::level::warn);
  absl::StatusOr<spdlog::level::level_enum> bad = ParseLogLevel("verbose");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.status().message()).find("'verbose'"), std::string::npos);
  EXPECT_NE(std::string(bad.status().message()).find("trace, debug, info"), std::string::npos);
}

TEST(LoggingTest, RecordsBelowTheLevelAreNotWrittenAndOthersAreTimestampedUtcLines) {
  const std::string file =
      (std::filesystem::temp_directory_path() / "combo_daemon_logging_test.log").string();
  std::filesystem::remove(file);
  ASSERT_TRUE(ConfigureLogging(LogOptions{spdlog::level::info, file}).ok());
  EXPECT_FALSE(LogEnabled(spdlog::level::debug));
  Log(spdlog::level::debug, "per_order", {{"order", "1"}});
  Log(spdlog::level::info, "started", {{"fix", "127.0.0.1:9878"}});
  Log(spdlog::level::warn, "venue_down", {{"venue", "ALPHA"}});
  ASSERT_TRUE(ConfigureLogging(LogOptions{}).ok());  // closes the file
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u);
  // 2026-11-21T19:30:00.123456Z level=info event=started fix=127.0.0.1:9878
  EXPECT_EQ(lines[0].size(), std::string("2026-11-21T19:30:00.123456Z level=info event=started "
                                         "fix=127.0.0.1:9878")
                                 .size());
  EXPECT_EQ(lines[0][10], 'T');
  EXPECT_EQ(lines[0][26], 'Z');
  EXPECT_NE(lines[0].find(" level=info event=started fix=127.0.0.1:9878"), std::string::npos);
  EXPECT_NE(lines[1].find(" event=venue_down venue=ALPHA"), std::string::npos);
  std::filesystem::remove(file);
}

TEST(LoggingTest, AnUnopenableLogFileIsAnError) {
  ASSERT_TRUE(ConfigureLogging(LogOptions{}).ok());
  const absl::Status status =
      ConfigureLogging(LogOptions{spdlog::level::info, "/dev/null/combo.log"});
  EXPECT_FALSE(status.ok());
  EXPECT_NE(std::string(status.message()).find("/dev/null/combo.log"), std::string::npos);
}

}  // namespace
}  // namespace combo::daemon
