// SPDX-License-Identifier: Apache-2.0
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
  // One message of the reply (never NLMSG_DONE or NLMSG_ERROR). A handler
  // can fail the reply but not end it early: the rest of a dump would be
  // left in the socket for the next request to trip over.
  virtual Status OnMessage(const nlmsghdr* msg) = 0;

 protected:
  ~DumpHandler() = default;
};

// A message callback's answer, as libmnl's MNL_CB_OK and MNL_CB_STOP: read
// on, or the reply is complete. A failed Result is MNL_CB_ERROR and carries
// the errno and context.
enum class Answer { kOk, kStop };

class MessageCallback {
 public:
  virtual Result<Answer> OnMessage(const nlmsghdr* msg) = 0;

 protected:
  ~MessageCallback() = default;
};

// The reply to a request sent with NLM_F_ACK: messages before the ACK go to
// the handler (when not null), the ACK ends the reply, an error is its errno.
class AckCallback final : public MessageCallback {
 public:
  AckCallback(DumpHandler* handler, const char* what) : handler_(handler), what_(what) {}
  Result<Answer> OnMessage(const nlmsghdr* msg) override;

 private:
  DumpHandler* handler_;
  const char* what_;
};

// The reply to a dump: every message goes to the handler until NLMSG_DONE;
// an ACK has no place in it, an error is its errno.
class DumpCallback final : public MessageCallback {
 public:
  DumpCallback(DumpHandler& handler, const char* what) : handler_(handler), what_(what) {}
  Result<Answer> OnMessage(const nlmsghdr* msg) override;
  // A message carried NLM_F_DUMP_INTR: the dump may be inconsistent.
  bool interrupted() const { return interrupted_; }

 private:
  DumpHandler& handler_;
  const char* what_;
  bool interrupted_ = false;
};

// One datagram of the reply to request `sequence` sent from `port_id`, as
// libmnl's mnl_cb_run: taken apart without trusting it (every message must
// carry that sequence and port, lengths must hold), each message handed to
// the callback until it answers kStop or fails. kOk: the reply goes on in
// the next datagram. Pure, so the unit tests and the fuzzer feed it bytes no
// kernel would send.
Result<Answer> RunCallbacks(const uint8_t* data, size_t len, uint32_t sequence, uint32_t port_id,
                            MessageCallback& callback, const char* what);

class NetlinkSocket {
 public:
  static constexpr size_t kReceiveBuffer = 16384;
  static constexpr int kDumpAttempts = 5;

  Status Open();
  // Subscribes to an RTNLGRP_* multicast group (for ReceiveEvent()).
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
  // For a caller that polls the events beside other sockets.
  int fd() const { return fd_.get(); }

 private:
  Status Send(MessageBuilder& request, const char* what);
  // One datagram of a reply; fails on timeout, truncation or a socket error.
  Result<size_t> ReceiveReply(const char* what);
  // Sends `request` with `flags` added and runs the callback over the reply
  // until it answers kStop.
  Status Exchange(MessageBuilder& request, uint16_t flags, MessageCallback& callback,
                  const char* what);

  UniqueFd fd_;
  uint32_t port_id_ = 0;
  uint32_t sequence_ = 0;
  alignas(nlmsghdr) uint8_t buffer_[kReceiveBuffer];
};

}  // namespace ipres
