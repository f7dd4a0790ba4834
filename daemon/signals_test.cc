#include "daemon/signals.h"

#include <signal.h>
#include <unistd.h>

#include <utility>
#include <vector>

#include "boost/asio/io_context.hpp"
#include "gtest/gtest.h"

namespace combo::daemon {
namespace {

// Each signal goes to this very process; the dispatcher's handler runs from io.run_one(),
// on this thread, never inside the signal handler.
class SignalsTest : public ::testing::Test {
 protected:
  std::pair<OperatorSignal, int> Deliver(int signal_number) {
    received_.clear();
    EXPECT_EQ(kill(getpid(), signal_number), 0);
    while (received_.empty()) io_.run_one();
    return received_.front();
  }

  boost::asio::io_context io_;
  std::vector<std::pair<OperatorSignal, int>> received_;
  SignalDispatcher dispatcher_{
      io_, [this](OperatorSignal signal, int number) { received_.emplace_back(signal, number); }};
};

TEST_F(SignalsTest, EachOperatorSignalMapsToItsAction) {
  EXPECT_EQ(Deliver(SIGHUP), std::make_pair(OperatorSignal::kReload, SIGHUP));
  EXPECT_EQ(Deliver(SIGUSR1), std::make_pair(OperatorSignal::kHalt, SIGUSR1));
  EXPECT_EQ(Deliver(SIGUSR2), std::make_pair(OperatorSignal::kResume, SIGUSR2));
  EXPECT_EQ(Deliver(SIGRTMIN), std::make_pair(OperatorSignal::kReduce, static_cast<int>(SIGRTMIN)));
  EXPECT_EQ(Deliver(SIGTERM), std::make_pair(OperatorSignal::kDrain, SIGTERM));
  EXPECT_EQ(Deliver(SIGINT), std::make_pair(OperatorSignal::kDrain, SIGINT));
}

TEST_F(SignalsTest, TheSameSignalTwiceIsHandledTwice) {
  EXPECT_EQ(Deliver(SIGHUP).first, OperatorSignal::kReload);
  EXPECT_EQ(Deliver(SIGHUP).first, OperatorSignal::kReload);
}

TEST(SignalNamesTest, NamesAreTheOperatorsSpelling) {
  EXPECT_EQ(SignalName(SIGTERM), "SIGTERM");
  EXPECT_EQ(SignalName(SIGUSR1), "SIGUSR1");
  EXPECT_EQ(SignalName(SIGRTMIN), "SIGRTMIN");
  EXPECT_EQ(ToString(OperatorSignal::kReduce), "reduce");
}

}  // namespace
}  // namespace combo::daemon
