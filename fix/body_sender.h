// BodySender: sends an application message whose body the caller already wrote as FIX bytes,
// with the session's header and trailer, as QuickFIX's Session::send would (the next sender
// sequence number, the store's record, the message log), without building a FIX::Message.
// The core-thread acceptor implements it; the gateway sends a new order's acknowledgement
// through it (the report every order gets), and everything else through QuickFIX.
#pragma once

#include <string_view>

#include "quickfix/SessionID.h"

namespace combo::fix {

class BodySender {
 public:
  virtual ~BodySender() = default;
  // Sends a message of type `msg_type` with `body` ("tag=value<SOH>" fields, no header or
  // trailer) on `session`. False, having sent and stored nothing, when it cannot (the session is
  // not logged on over a connection of this acceptor, or its store refused the message): the
  // caller then sends it through QuickFIX, which knows what to do in those cases.
  virtual bool SendBody(const FIX::SessionID& session, std::string_view msg_type,
                        std::string_view body) = 0;
};

}  // namespace combo::fix
