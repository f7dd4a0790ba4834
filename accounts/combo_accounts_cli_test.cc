// The combo-accounts operator command, run as a program on a real journal.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "accounts/accounts_service.h"
#include "accounts/test_util.h"
#include "core/simulated_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#ifndef COMBO_ACCOUNTS_CLI
#error "COMBO_ACCOUNTS_CLI must name the combo-accounts binary"
#endif

namespace combo::accounts {
namespace {

using core::Side;
using ::testing::HasSubstr;
using testing::P;

struct CliRun {
  int exit_code = -1;
  std::string out;
};

CliRun Cli(const std::string& args) {
  CliRun run;
  const std::string command = std::string(COMBO_ACCOUNTS_CLI) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class ComboAccountsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::SimulatedTime time;
    auto service = AccountsService::Open(db_, AccountsOptions{}, time);
    ASSERT_TRUE(service.ok()) << service.status();
    auto record = [&](JournalEvent e) {
      ASSERT_TRUE(
          (*service)->Record(std::move(e), [](absl::Status s) { ASSERT_TRUE(s.ok()); }).ok());
    };
    record(testing::Vertical(1, 10));
    record(testing::Fill(1, 1, Side::kBuy, 10, P(3), "A-1"));
    record(testing::Fill(1, 2, Side::kSell, 6, P(1), "B-1"));
    record(testing::ComboFill(1, 6, P(2),
                              {{core::InstrumentId(1), P(3)}, {core::InstrumentId(2), P(1)}}));
    record(testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3)));
  }
  std::string db_ = testing::FreshDir() + "/journal.db";
};

TEST_F(ComboAccountsCliTest, PrintsPositionsErrorAccountTradesAndOrderHistory) {
  const std::string before = ReadBytes(db_);
  CliRun positions = Cli("--db " + db_ + " positions");
  EXPECT_EQ(positions.exit_code, 0) << positions.out;
  EXPECT_THAT(positions.out, HasSubstr("Client positions"));
  EXPECT_THAT(positions.out, HasSubstr("options"));

  CliRun error = Cli("--db " + db_ + " error-account");
  EXPECT_EQ(error.exit_code, 0) << error.out;
  EXPECT_THAT(error.out, HasSubstr("leg timeout"));

  CliRun trades = Cli("--db " + db_ + " --json trades --client ACME");
  EXPECT_EQ(trades.exit_code, 0) << trades.out;
  EXPECT_THAT(trades.out, HasSubstr(R"("account":"ACME")"));

  CliRun history = Cli("--db " + db_ + " order-history --order 1 --json");
  EXPECT_EQ(history.exit_code, 0) << history.out;
  EXPECT_THAT(history.out, HasSubstr(R"("kind":"error_account_booking")"));
  // Read-only: the journal is not written.
  EXPECT_EQ(ReadBytes(db_), before);
}

TEST_F(ComboAccountsCliTest, UnknownClientOrOrderIsAClearError) {
  CliRun trades = Cli("--db " + db_ + " trades --client NOBODY");
  EXPECT_EQ(trades.exit_code, 1);
  EXPECT_THAT(trades.out, HasSubstr("no client account 'NOBODY'"));
  CliRun history = Cli("--db " + db_ + " order-history --order 42");
  EXPECT_EQ(history.exit_code, 1);
  EXPECT_THAT(history.out, HasSubstr("no order 42"));
}

TEST_F(ComboAccountsCliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Cli("positions").exit_code, 2);
  EXPECT_EQ(Cli("--db " + db_).exit_code, 2);
  EXPECT_EQ(Cli("--db " + db_ + " trades").exit_code, 2);
  EXPECT_EQ(Cli("--db " + db_ + " order-history --order abc").exit_code, 2);
  EXPECT_EQ(Cli("--db " + db_ + " teleport").exit_code, 2);
}

TEST_F(ComboAccountsCliTest, ForeignFileIsReportedNotRead) {
  const std::string path = testing::FreshDir() + "/notes.txt";
  std::ofstream(path) << "not a database at all, just words " << std::string(2000, 'w');
  CliRun run = Cli("--db " + path + " positions");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("not a SQLite database"));
  CliRun missing = Cli("--db " + path + ".missing positions");
  EXPECT_EQ(missing.exit_code, 1);
}

}  // namespace
}  // namespace combo::accounts
