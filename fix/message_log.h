// MessageLog: the FIX sessions' message and event logs, written off the path to the client.
//
// QuickFIX's FileLog writes and flushes a line for every message in and out, so every
// acknowledgement waits for two write(2) calls into a file nobody reads in real time. The log is
// an operator's record, not the record of orders (the journal is, and the session store keeps
// what a resend needs), so here a line is timestamped when its message passes and gathered; the
// lines a core-thread handler produced are written after it returns, in one write(2) per file.
// A process crash may lose the lines of the handler it interrupts; nothing else is lost.
//
// Files and format are QuickFIX's FileLog's: in the log directory,
// `<BeginString>-<SenderCompID>-<TargetCompID>[-<qualifier>].messages.current.log` and
// `.event.current.log` (`GLOBAL.` for the acceptor's own), each line
// "<UTC time to the nanosecond> : <message or event>". backup() moves both to
// `.messages.backup.<n>.log` / `.event.backup.<n>.log` (the first unused n); clear() empties them.
//
// Core thread only: the factory posts its writes on the io_context whose thread calls the logs.
#pragma once

#include <memory>
#include <string>

#include "boost/asio/io_context.hpp"
#include "quickfix/Log.h"
#include "quickfix/SessionID.h"

namespace combo::fix {

class MessageLogFactory final : public FIX::LogFactory {
 public:
  // Logs into `directory` (created when missing); writes are posted on `io`.
  MessageLogFactory(std::string directory, boost::asio::io_context& io);

  FIX::Log* create() override;
  FIX::Log* create(const FIX::SessionID& session) override;
  void destroy(FIX::Log* log) override;

 private:
  const std::string directory_;
  boost::asio::io_context& io_;
};

}  // namespace combo::fix
