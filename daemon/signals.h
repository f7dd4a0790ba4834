// Signals: what the operator's signals mean to combo-routerd, delivered on the core thread.
//
//   SIGTERM, SIGINT  drain and exit 0 (stop taking orders, cancel resting native orders, wait
//                    for working legs up to the drain timeout, flush the journal)
//   SIGHUP           reload the leg-in policy and risk limits from the config file
//   SIGUSR1          trading state -> halted
//   SIGUSR2          trading state -> active
//   SIGRTMIN         trading state -> reducing (`kill -s RTMIN <pid>` on Linux)
// Handled through boost::asio::signal_set on the core io_context, so a handler runs as an
// ordinary task between two others: never inside a signal handler, never concurrently with the
// router. Not thread-safe: construct and destroy on the core thread.
#pragma once

#include <csignal>
#include <string_view>

#include "absl/functional/any_invocable.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/signal_set.hpp"

namespace combo::daemon {

enum class OperatorSignal : uint8_t { kDrain, kReload, kHalt, kResume, kReduce };

std::string_view ToString(OperatorSignal signal);
// The signal's name ("SIGTERM", "SIGRTMIN", ...) for logs and operator commands.
std::string_view SignalName(int signal_number);

class SignalDispatcher {
 public:
  using Handler = absl::AnyInvocable<void(OperatorSignal, int signal_number)>;

  // Starts listening for every signal above at once.
  SignalDispatcher(boost::asio::io_context& io, Handler handler);
  ~SignalDispatcher();
  SignalDispatcher(const SignalDispatcher&) = delete;
  SignalDispatcher& operator=(const SignalDispatcher&) = delete;

  // Stops listening (the signals get their default action again); idempotent.
  void Stop();

 private:
  void Wait();

  boost::asio::signal_set signals_;
  Handler handler_;
  bool stopped_ = false;
};

}  // namespace combo::daemon
