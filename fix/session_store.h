// SessionStore: what a FIX session must remember across restarts (its next sequence numbers
// both ways and the messages it sent, for resends), in one append-only file per session.
//
// QuickFIX's FileStore keeps four files and rewrites the sequence-number file in place: five
// writes and as many seeks per order acknowledged. Here every change is one record appended
// with one write(2): a sent message carries its sequence number (so the "next sender number"
// after it needs no record of its own), and a received one is one short record. On open the
// file is replayed; a record cut short by a crash is dropped from the end, as if never written.
// Like FileStore (FileStoreSync=N), writes reach the kernel, not the disk: a process crash
// loses nothing, a power loss may lose the tail (the journal, not this store, is the record of
// orders; docs/FIX.md "Sessions").
//
// During a socket read the acceptor holds the store's writes (HoldWrites): the burst's records
// gather in memory and reach the file in one write(2) (WriteHeld), which the acceptor does before
// the burst's orders are journaled and again before its reports leave the socket. So a message
// is still never on the wire before its record is in the file, but a burst of pipelined orders
// costs two writes instead of two per order.
//
// Records, in order: "C <creation time>\n", "S <next sender>\n", "T <next target>\n" and
// "M <sequence number> <length>\n<message>\n".
//
// Not thread-safe: QuickFIX calls it under the session's lock.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quickfix/MessageStore.h"
#include "quickfix/SessionID.h"

namespace combo::fix {

class SessionStore final : public FIX::MessageStore {
 public:
  // Opens (or creates) `path` and replays it. Throws FIX::ConfigError naming the file when it
  // cannot be opened, as QuickFIX's stores do.
  explicit SessionStore(std::string path);
  ~SessionStore() override;

  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  bool set(int sequence_number, const std::string& message) throw(FIX::IOException) override;
  void get(int begin, int end, std::vector<std::string>& messages) const
      throw(FIX::IOException) override;

  int getNextSenderMsgSeqNum() const throw(FIX::IOException) override { return next_sender_; }
  int getNextTargetMsgSeqNum() const throw(FIX::IOException) override { return next_target_; }
  void setNextSenderMsgSeqNum(int value) throw(FIX::IOException) override;
  void setNextTargetMsgSeqNum(int value) throw(FIX::IOException) override;
  void incrNextSenderMsgSeqNum() throw(FIX::IOException) override;
  void incrNextTargetMsgSeqNum() throw(FIX::IOException) override;

  FIX::UtcTimeStamp getCreationTime() const throw(FIX::IOException) override {
    return creation_time_;
  }

  // Starts the session over: sequence numbers 1, no messages, a new creation time.
  void reset() throw(FIX::IOException) override;
  // Reads the file again (another process may have written it).
  void refresh() throw(FIX::IOException) override;

  // Bytes dropped from the end of the file on open because the last record was incomplete.
  int64_t dropped_tail_bytes() const { return dropped_tail_bytes_; }

  // From now until WriteHeld, records gather in memory instead of being written one by one.
  void HoldWrites() { holding_ = true; }
  // Writes what was held in one write(2) and stops holding. Throws FIX::IOException when the
  // file cannot be written (what was held stays held, for the next attempt).
  void WriteHeld() throw(FIX::IOException);
  bool holding() const { return holding_; }

 private:
  struct Stored {
    int64_t offset;  // of the message's first byte
    int64_t length;
  };

  void Load();
  void Append(const std::string& record);
  // Writes `bytes` whole at the end of the file.
  void WriteFully(std::string_view bytes) const;
  // Writes what is held, still holding (a read of the file needs it there).
  void WriteHeldBytes() const;
  void Truncate();

  const std::string path_;
  int fd_ = -1;
  int64_t size_ = 0;
  int next_sender_ = 1;
  int next_target_ = 1;
  FIX::UtcTimeStamp creation_time_;
  std::map<int, Stored> messages_;
  int64_t dropped_tail_bytes_ = 0;
  // Records appended while holding, not yet in the file (size_ counts them).
  bool holding_ = false;
  mutable std::string held_;
};

// One SessionStore per session, in `directory` (created when missing), named after the
// session: "FIX.4.4-COMBO-BROKER1.session".
class SessionStoreFactory final : public FIX::MessageStoreFactory {
 public:
  explicit SessionStoreFactory(std::string directory) : directory_(std::move(directory)) {}
  FIX::MessageStore* create(const FIX::SessionID& session) override;
  void destroy(FIX::MessageStore* store) override;

  // The file a session's store lives in.
  std::string PathOf(const FIX::SessionID& session) const;
  // The store this factory made for `session`, or null (the acceptor holds its writes during a
  // read).
  SessionStore* Find(const FIX::SessionID& session) const;

 private:
  std::string directory_;
  std::map<std::string, SessionStore*> stores_;  // by SessionID::toString()
};

}  // namespace combo::fix
