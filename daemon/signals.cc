#include "daemon/signals.h"

#include <utility>

#include "boost/system/error_code.hpp"

namespace combo::daemon {

std::string_view ToString(OperatorSignal signal) {
  switch (signal) {
    case OperatorSignal::kDrain:
      return "drain";
    case OperatorSignal::kReload:
      return "reload";
    case OperatorSignal::kHalt:
      return "halt";
    case OperatorSignal::kResume:
      return "resume";
    case OperatorSignal::kReduce:
      return "reduce";
  }
  return "unknown";
}

std::string_view SignalName(int signal_number) {
  switch (signal_number) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    case SIGHUP:
      return "SIGHUP";
    case SIGUSR1:
      return "SIGUSR1";
    case SIGUSR2:
      return "SIGUSR2";
    default:
      break;
  }
  // SIGRTMIN is not a constant expression in glibc.
  if (signal_number == SIGRTMIN) return "SIGRTMIN";
  return "signal";
}

SignalDispatcher::SignalDispatcher(boost::asio::io_context& io, Handler handler)
    : signals_(io), handler_(std::move(handler)) {
  for (int signal_number :
       {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, static_cast<int>(SIGRTMIN)}) {
    signals_.add(signal_number);
  }
  Wait();
}

SignalDispatcher::~SignalDispatcher() { Stop(); }

void SignalDispatcher::Stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  signals_.clear(ignored);
}

void SignalDispatcher::Wait() {
  signals_.async_wait([this](const boost::system::error_code& error, int signal_number) {
    if (error || stopped_) return;
    OperatorSignal what = OperatorSignal::kDrain;
    if (signal_number == SIGHUP) {
      what = OperatorSignal::kReload;
    } else if (signal_number == SIGUSR1) {
      what = OperatorSignal::kHalt;
    } else if (signal_number == SIGUSR2) {
      what = OperatorSignal::kResume;
    } else if (signal_number == SIGRTMIN) {
      what = OperatorSignal::kReduce;
    }
    // Listen again first: the handler may Stop us.
    Wait();
    handler_(what, signal_number);
  });
}

}  // namespace combo::daemon
