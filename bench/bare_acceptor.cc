// bare_acceptor: the reference the daemon's FIX round trip is measured against
// (docs/BENCHMARKS.md "FIX: the daemon against a bare acceptor"). A plain QuickFIX 1.15
// SocketAcceptor from the Debian package, with the project's data dictionary (validation on)
// and a memory store, that only answers: NewOrderMultileg with an ExecutionReport New and
// OrderCancelRequest with an ExecutionReport Canceled. No routing, no journal, no risk: what a
// FIX engine alone costs on this machine.
//
//   bare_acceptor --port 9879 --dictionary fix/spec/FIX44-combo.xml --targets LOAD1,LOAD2
//                 [--sender COMBO]
//
// --targets are the clients' SenderCompIDs (the acceptor's TargetCompIDs), one session each;
// --sender is the acceptor's own CompID. Logon credentials are accepted and ignored. Runs until
// SIGTERM or SIGINT. Exit 2 on a usage error, 1 when QuickFIX cannot start.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "quickfix/Application.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"
#include "quickfix/Message.h"
#include "quickfix/MessageStore.h"
#include "quickfix/Session.h"
#include "quickfix/SessionSettings.h"
#include "quickfix/SocketAcceptor.h"

namespace {

// Acknowledges every order and confirms every cancel, on QuickFIX's one socket thread.
class AcknowledgingApplication final : public FIX::Application {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {}
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message&,
                 const FIX::SessionID&) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                              FIX::IncorrectTagValue, FIX::RejectLogon) override {}
  void fromApp(const FIX::Message& message,
               const FIX::SessionID& session) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                    FIX::IncorrectTagValue,
                                                    FIX::UnsupportedMessageType) override {
    const std::string& type = message.getHeader().getField(FIX::FIELD::MsgType);
    if (type == FIX::MsgType_NewOrderMultileg) {
      Report(message, session, FIX::ExecType_NEW, FIX::OrdStatus_NEW,
             message.getField(FIX::FIELD::ClOrdID), std::string());
    } else if (type == FIX::MsgType_OrderCancelRequest) {
      Report(message, session, FIX::ExecType_CANCELED, FIX::OrdStatus_CANCELED,
             message.getField(FIX::FIELD::ClOrdID), message.getField(FIX::FIELD::OrigClOrdID));
    } else {
      throw FIX::UnsupportedMessageType();
    }
  }

 private:
  // An ExecutionReport for the combo (MultilegReportingType 3), fields set as strings (no
  // double formatting), as the daemon's gateway builds its own.
  void Report(const FIX::Message& request, const FIX::SessionID& session, char exec_type,
              char ord_status, const std::string& client_order_id,
              const std::string& original_client_order_id) {
    FIX::Message report;
    report.getHeader().setField(FIX::FIELD::MsgType, FIX::MsgType_ExecutionReport);
    const uint64_t number = ++next_id_;
    report.setField(FIX::FIELD::OrderID, absl::StrCat("B", number));
    report.setField(FIX::FIELD::ExecID, absl::StrCat("E", number));
    report.setField(FIX::FIELD::ClOrdID, client_order_id);
    if (!original_client_order_id.empty())
      report.setField(FIX::FIELD::OrigClOrdID, original_client_order_id);
    report.setField(FIX::FIELD::ExecType, std::string(1, exec_type));
    report.setField(FIX::FIELD::OrdStatus, std::string(1, ord_status));
    report.setField(FIX::FIELD::Side, request.getField(FIX::FIELD::Side));
    if (request.isSetField(FIX::FIELD::OrderQty))
      report.setField(FIX::FIELD::OrderQty, request.getField(FIX::FIELD::OrderQty));
    report.setField(FIX::FIELD::LeavesQty,
                    exec_type == FIX::ExecType_NEW && request.isSetField(FIX::FIELD::OrderQty)
                        ? request.getField(FIX::FIELD::OrderQty)
                        : std::string("0"));
    report.setField(FIX::FIELD::CumQty, "0");
    report.setField(FIX::FIELD::AvgPx, "0");
    report.setField(FIX::FIELD::MultiLegReportingType,
                    std::string(1, FIX::MultiLegReportingType_MULTI_LEG_SECURITY));
    FIX::Session::sendToTarget(report, session);
  }

  std::atomic<uint64_t> next_id_{0};
};

int Usage() {
  std::fprintf(stderr,
               "usage: bare_acceptor --port PORT --dictionary FIX44.xml --targets ID[,ID...] "
               "[--sender ID]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string dictionary;
  std::string sender = "COMBO";
  std::vector<std::string> targets;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--port") {
      if (!absl::SimpleAtoi(value, &port)) return Usage();
    } else if (flag == "--dictionary") {
      dictionary = value;
    } else if (flag == "--sender") {
      sender = value;
    } else if (flag == "--targets") {
      for (absl::string_view target : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        targets.emplace_back(target);
      }
    } else {
      return Usage();
    }
  }
  if (argc % 2 == 0 || port <= 0 || port > 65535 || dictionary.empty() || targets.empty()) {
    return Usage();
  }

  // Block the stop signals before QuickFIX starts its thread, so only sigwait below sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  AcknowledgingApplication application;
  try {
    FIX::SessionSettings settings;
    FIX::Dictionary defaults;
    defaults.setString(FIX::CONNECTION_TYPE, "acceptor");
    defaults.setInt(FIX::SOCKET_ACCEPT_PORT, port);
    defaults.setBool(FIX::SOCKET_REUSE_ADDRESS, true);
    defaults.setBool(FIX::SOCKET_NODELAY, true);
    defaults.setString(FIX::START_TIME, "00:00:00");
    defaults.setString(FIX::END_TIME, "00:00:00");
    defaults.setBool(FIX::USE_DATA_DICTIONARY, true);
    defaults.setString(FIX::DATA_DICTIONARY, dictionary);
    defaults.setBool(FIX::CHECK_LATENCY, false);
    settings.set(defaults);
    for (const std::string& target : targets) {
      settings.set(FIX::SessionID("FIX.4.4", sender, target), FIX::Dictionary());
    }
    FIX::MemoryStoreFactory store;
    FIX::SocketAcceptor acceptor(application, store, settings);
    acceptor.start();
    std::printf("bare_acceptor: listening on port %d as %s for %zu session(s)\n", port,
                sender.c_str(), targets.size());
    std::fflush(stdout);
    int signal_number = 0;
    sigwait(&stop, &signal_number);
    acceptor.stop();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bare_acceptor: %s\n", error.what());
    return 1;
  }
  return 0;
}
