#include "fix/message_log.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "fix/testing/gateway_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::fix {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using testing::TempDir;

std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const FIX::SessionID kSession("FIX.4.4", "COMBO", "BROKER1");

TEST(MessageLogTest, LinesAreWrittenAfterTheHandlerInQuickFixFileLogFormat) {
  TempDir dir;
  boost::asio::io_context io;
  MessageLogFactory factory(dir.Sub("log"), io);
  FIX::Log* log = factory.create(kSession);
  const std::string messages = dir.Sub("log/FIX.4.4-COMBO-BROKER1.messages.current.log");
  log->onIncoming(
      "8=FIX.4.4\x01"
      "35=AB\x01");
  log->onOutgoing(
      "8=FIX.4.4\x01"
      "35=8\x01");
  log->onEvent("Logon received");
  // Gathered: nothing reaches the file while the handler runs.
  EXPECT_EQ(Contents(messages), "");
  io.run();
  const std::string written = Contents(messages);
  EXPECT_THAT(written, MatchesRegex("[0-9]{8}-[0-9:]{8}\\.[0-9]{9} : 8=FIX.4.4\x01"
                                    "35=AB\x01\n"
                                    "[0-9]{8}-[0-9:]{8}\\.[0-9]{9} : 8=FIX.4.4\x01"
                                    "35=8\x01\n"));
  EXPECT_THAT(Contents(dir.Sub("log/FIX.4.4-COMBO-BROKER1.event.current.log")),
              HasSubstr(" : Logon received\n"));
  factory.destroy(log);
}

TEST(MessageLogTest, ALogDestroyedBeforeItsWriteRunsWritesItsLinesItself) {
  TempDir dir;
  boost::asio::io_context io;
  MessageLogFactory factory(dir.Sub("log"), io);
  FIX::Log* log = factory.create();
  log->onEvent("accepting");
  factory.destroy(log);
  EXPECT_THAT(Contents(dir.Sub("log/GLOBAL.event.current.log")), HasSubstr(" : accepting\n"));
  io.run();  // the posted write finds the log gone and does nothing
}

TEST(MessageLogTest, BackupMovesBothFilesAsideAndClearEmptiesThem) {
  TempDir dir;
  boost::asio::io_context io;
  MessageLogFactory factory(dir.Sub("log"), io);
  FIX::Log* log = factory.create(kSession);
  log->onIncoming("first");
  log->backup();
  log->onIncoming("second");
  io.run();
  const std::string prefix = dir.Sub("log/FIX.4.4-COMBO-BROKER1");
  EXPECT_THAT(Contents(prefix + ".messages.backup.1.log"), HasSubstr(" : first\n"));
  EXPECT_TRUE(std::filesystem::exists(prefix + ".event.backup.1.log"));
  EXPECT_THAT(Contents(prefix + ".messages.current.log"), HasSubstr(" : second\n"));
  log->clear();
  EXPECT_EQ(Contents(prefix + ".messages.current.log"), "");
  factory.destroy(log);
}

}  // namespace
}  // namespace combo::fix
