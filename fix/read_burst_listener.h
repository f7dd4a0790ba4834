// ReadBurstListener: told around the delivery of the messages of one socket read (a burst), so
// that what they cause can be journaled in one commit and answered together
// (router::OrderEntry::BeginBurst). AsioSocketAcceptor calls it; FixGateway passes it on to the
// router.
#pragma once

namespace combo::fix {

class ReadBurstListener {
 public:
  virtual ~ReadBurstListener() = default;
  virtual void OnBurstBegin() = 0;
  virtual void OnBurstEnd() = 0;
};

}  // namespace combo::fix
