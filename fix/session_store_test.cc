#include "fix/session_store.h"

#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fix/testing/gateway_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "quickfix/Exceptions.h"

namespace combo::fix {
namespace {

using ::testing::ElementsAre;
using testing::TempDir;

std::string Message(int n) {
  return "8=FIX.4.4\x01"
         "9=5\x01"
         "35=0\x01"
         "34=" +
         std::to_string(n) + "\x01";
}

std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What QuickFIX does for each message it sends: store it under the next number, then count.
void Send(SessionStore& store, int n) {
  ASSERT_EQ(store.getNextSenderMsgSeqNum(), n);
  ASSERT_TRUE(store.set(n, Message(n)));
  store.incrNextSenderMsgSeqNum();
}

TEST(SessionStoreTest, SequenceNumbersAndSentMessagesSurviveReopening) {
  TempDir dir;
  const std::string path = dir.Sub("s.session");
  FIX::UtcTimeStamp created;
  {
    SessionStore store(path);
    for (int n = 1; n <= 3; ++n) Send(store, n);
    store.incrNextTargetMsgSeqNum();
    store.incrNextTargetMsgSeqNum();
    created = store.getCreationTime();
  }
  SessionStore reopened(path);
  EXPECT_EQ(reopened.getNextSenderMsgSeqNum(), 4);
  EXPECT_EQ(reopened.getNextTargetMsgSeqNum(), 3);
  EXPECT_EQ(reopened.getCreationTime().getTimeT(), created.getTimeT());
  std::vector<std::string> resend;
  reopened.get(2, 3, resend);
  EXPECT_THAT(resend, ElementsAre(Message(2), Message(3)));
  reopened.get(5, 9, resend);
  EXPECT_TRUE(resend.empty());
  EXPECT_EQ(reopened.dropped_tail_bytes(), 0);
}

// One write per message sent and one per message received: the sent message's record also
// says what the next sender number is.
TEST(SessionStoreTest, EachMessageIsOneRecord) {
  TempDir dir;
  const std::string path = dir.Sub("s.session");
  SessionStore store(path);
  Send(store, 1);
  Send(store, 2);
  store.incrNextTargetMsgSeqNum();
  std::istringstream lines(Contents(path));
  std::vector<char> kinds;
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > 1 && line[1] == ' ') kinds.push_back(line[0]);
  }
  EXPECT_THAT(kinds, ElementsAre('C', 'M', 'M', 'T'));
}

TEST(SessionStoreTest, SetSequenceNumbersOverrideWhatMessagesImply) {
  TempDir dir;
  const std::string path = dir.Sub("s.session");
  {
    SessionStore store(path);
    Send(store, 1);
    store.setNextSenderMsgSeqNum(10);  // a SequenceReset
    store.setNextTargetMsgSeqNum(7);
    Send(store, 10);
  }
  SessionStore reopened(path);
  EXPECT_EQ(reopened.getNextSenderMsgSeqNum(), 11);
  EXPECT_EQ(reopened.getNextTargetMsgSeqNum(), 7);
}

// A crash in the middle of a write leaves a partial record at the end: it is dropped, and the
// store goes on from the last whole record.
TEST(SessionStoreTest, ARecordCutShortByACrashIsDropped) {
  TempDir dir;
  const std::string path = dir.Sub("s.session");
  {
    SessionStore store(path);
    Send(store, 1);
    Send(store, 2);
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << "M 3 120\n8=FIX.4.4\x01"
           "9=";
  }
  {
    SessionStore reopened(path);
    EXPECT_GT(reopened.dropped_tail_bytes(), 0);
    EXPECT_EQ(reopened.getNextSenderMsgSeqNum(), 3);
    Send(reopened, 3);
  }
  SessionStore again(path);
  EXPECT_EQ(again.dropped_tail_bytes(), 0);
  EXPECT_EQ(again.getNextSenderMsgSeqNum(), 4);
  std::vector<std::string> resend;
  again.get(1, 3, resend);
  EXPECT_THAT(resend, ElementsAre(Message(1), Message(2), Message(3)));
}

TEST(SessionStoreTest, ResetStartsTheSessionOver) {
  TempDir dir;
  const std::string path = dir.Sub("s.session");
  {
    SessionStore store(path);
    Send(store, 1);
    store.incrNextTargetMsgSeqNum();
    store.reset();
    EXPECT_EQ(store.getNextSenderMsgSeqNum(), 1);
    EXPECT_EQ(store.getNextTargetMsgSeqNum(), 1);
  }
  SessionStore reopened(path);
  EXPECT_EQ(reopened.getNextSenderMsgSeqNum(), 1);
  EXPECT_EQ(reopened.getNextTargetMsgSeqNum(), 1);
  std::vector<std::string> resend;
  reopened.get(1, 10, resend);
  EXPECT_TRUE(resend.empty());
}

TEST(SessionStoreTest, RefreshReadsWhatAnotherWriterAppended) {
  TempDir dir;
  const std::string path = dir.Sub("s.session");
  SessionStore reader(path);
  {
    SessionStore writer(path);
    Send(writer, 1);
  }
  EXPECT_EQ(reader.getNextSenderMsgSeqNum(), 1);
  reader.refresh();
  EXPECT_EQ(reader.getNextSenderMsgSeqNum(), 2);
}

TEST(SessionStoreTest, AFileThatCannotBeOpenedIsAConfigErrorNamingIt) {
  TempDir dir;
  try {
    SessionStore store(dir.Sub("missing/dir/s.session"));
    FAIL() << "opened";
  } catch (const FIX::ConfigError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("missing/dir/s.session"));
  }
}

// A read's burst: its records stay in memory until WriteHeld, then reach the file together,
// in order, with the offsets a resend reads them back at.
TEST(SessionStoreTest, HeldRecordsReachTheFileTogetherWhenWritten) {
  TempDir dir;
  const std::string path = dir.Sub("s.session");
  SessionStore store(path);
  Send(store, 1);
  const std::string before = Contents(path);
  store.HoldWrites();
  store.incrNextTargetMsgSeqNum();
  Send(store, 2);
  Send(store, 3);
  EXPECT_EQ(Contents(path), before);
  EXPECT_EQ(store.getNextSenderMsgSeqNum(), 4);
  store.WriteHeld();
  EXPECT_FALSE(store.holding());
  SessionStore reopened(path);
  EXPECT_EQ(reopened.getNextSenderMsgSeqNum(), 4);
  EXPECT_EQ(reopened.getNextTargetMsgSeqNum(), 2);
  std::vector<std::string> resend;
  reopened.get(1, 3, resend);
  EXPECT_THAT(resend, ElementsAre(Message(1), Message(2), Message(3)));
}

// A resend asked for in the same burst reads what the burst sent: the held records are
// written first.
TEST(SessionStoreTest, AResendWhileHoldingReadsTheHeldMessages) {
  TempDir dir;
  SessionStore store(dir.Sub("s.session"));
  store.HoldWrites();
  Send(store, 1);
  Send(store, 2);
  std::vector<std::string> resend;
  store.get(1, 2, resend);
  EXPECT_THAT(resend, ElementsAre(Message(1), Message(2)));
  EXPECT_TRUE(store.holding());
  store.WriteHeld();
}

// A store destroyed while holding (the process shutting down mid-burst) keeps what it held.
TEST(SessionStoreTest, HeldRecordsAreWrittenWhenTheStoreCloses) {
  TempDir dir;
  const std::string path = dir.Sub("s.session");
  {
    SessionStore store(path);
    store.HoldWrites();
    Send(store, 1);
  }
  SessionStore reopened(path);
  EXPECT_EQ(reopened.getNextSenderMsgSeqNum(), 2);
}

// The acceptor finds the store a session writes to, to hold its writes during a read.
TEST(SessionStoreTest, TheFactoryFindsTheStoreItMadeForASession) {
  TempDir dir;
  SessionStoreFactory factory(dir.Sub("store"));
  const FIX::SessionID session("FIX.4.4", "COMBO", "BROKER1");
  FIX::MessageStore* store = factory.create(session);
  EXPECT_EQ(factory.Find(session), store);
  EXPECT_EQ(factory.Find(FIX::SessionID("FIX.4.4", "COMBO", "BROKER2")), nullptr);
  factory.destroy(store);
  EXPECT_EQ(factory.Find(session), nullptr);
}

TEST(SessionStoreTest, TheFactoryNamesTheFileAfterTheSession) {
  TempDir dir;
  SessionStoreFactory factory(dir.Sub("store"));
  const FIX::SessionID session("FIX.4.4", "COMBO", "BROKER1");
  FIX::MessageStore* store = factory.create(session);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->set(1, Message(1)));
  factory.destroy(store);
  EXPECT_EQ(factory.PathOf(session), dir.Sub("store") + "/FIX.4.4-COMBO-BROKER1.session");
  EXPECT_NE(Contents(factory.PathOf(session)).find(Message(1)), std::string::npos);
}

}  // namespace
}  // namespace combo::fix
