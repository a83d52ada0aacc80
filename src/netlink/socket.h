// An rtnetlink socket: requests answered by an ACK, dumps read to
// NLMSG_DONE, and multicast events. Every reply's sequence number and port
// id is checked; NLMSG_ERROR becomes an errno with the request's context and
// the kernel's extended-ACK message when it sends one.
#pragma once

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fd.h"
#include "base/status.h"
#include "netlink/message.h"

namespace ipres {

class DumpHandler {
 public:
  // Called before the dump, and again before each retry of a dump the kernel
  // marked interrupted (NLM_F_DUMP_INTR): drop what was collected.
  virtual void Reset() = 0;
  // One message of the dump (never NLMSG_DONE or NLMSG_ERROR).
  virtual Status OnMessage(const nlmsghdr* msg) = 0;

 protected:
  ~DumpHandler() = default;
};

// How one datagram of a reply ended the exchange, or did not yet.
enum class ReplyEnd { kMore, kDone };

// One datagram of the reply to request `sequence` sent from `port_id`, taken
// apart without trusting it: every message must carry that sequence and port,
// lengths must hold, an NLMSG_ERROR becomes its errno. A request (dump false)
// ends at its ACK; a dump at NLMSG_DONE. Messages before the end go to
// handler (when not null); NLM_F_DUMP_INTR sets *interrupted. Pure, so the
// unit tests and the fuzzer feed it bytes no kernel would send.
Status ReadReplyDatagram(const uint8_t* data, size_t len, uint32_t sequence, uint32_t port_id,
                         bool dump, DumpHandler* handler, const char* what, ReplyEnd* end,
                         bool* interrupted);

class NetlinkSocket {
 public:
  static constexpr size_t kReceiveBuffer = 16384;
  static constexpr int kDumpAttempts = 5;

  Status Open();
  // Subscribes to an RTNLGRP_* multicast group (for Receive()).
  Status JoinGroup(uint32_t group);

  // Sends `request` with NLM_F_REQUEST|NLM_F_ACK and waits for its ACK.
  // `what` names the request in errors ("add 192.0.2.100/24 on eth0").
  Status Request(MessageBuilder& request, const char* what);
  // The same, handing every message that precedes the ACK to `handler` (a
  // GET of one object answers with the object, then the ACK).
  Status Query(MessageBuilder& request, DumpHandler& handler, const char* what);
  // Sends `request` as a dump and hands every message to `handler`.
  Status Dump(MessageBuilder& request, DumpHandler& handler, const char* what);

  // Multicast events: waits up to timeout_ms for one datagram; returns its
  // length, 0 on timeout. ENOBUFS (events were lost) is returned as an error
  // so the caller can read the state afresh.
  Result<size_t> ReceiveEvent(int timeout_ms);
  const uint8_t* buffer() const { return buffer_; }

  int fd() const { return fd_.get(); }

 private:
  Status Send(MessageBuilder& request, const char* what);
  // One datagram of a reply; fails on timeout, truncation or a socket error.
  Result<size_t> ReceiveReply(const char* what);
  Status Exchange(MessageBuilder& request, DumpHandler* handler, const char* what);
  Status DumpOnce(MessageBuilder& request, DumpHandler& handler, const char* what,
                  bool* interrupted);

  UniqueFd fd_;
  uint32_t port_id_ = 0;
  uint32_t sequence_ = 0;
  alignas(nlmsghdr) uint8_t buffer_[kReceiveBuffer];
};

}  // namespace ipres
