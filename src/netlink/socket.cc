// SPDX-License-Identifier: Apache-2.0
#include "netlink/socket.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "netlink/attr.h"

namespace ipres {
namespace {

// A kernel that does not answer a request within this time is not going to.
constexpr int kReplyTimeoutMs = 5000;

Status CheckOrigin(const nlmsghdr* msg, uint32_t sequence, uint32_t port_id, const char* what) {
  if (msg->nlmsg_seq != sequence) {
    return Status::Errno(EPROTO, "%s: netlink reply has sequence %u, expected %u", what,
                         msg->nlmsg_seq, sequence);
  }
  if (msg->nlmsg_pid != port_id) {
    return Status::Errno(EPROTO, "%s: netlink reply for port %u, we are %u", what, msg->nlmsg_pid,
                         port_id);
  }
  return OkStatus();
}

Status ErrorFromAck(const nlmsghdr* msg, const char* what) {
  const nlmsgerr* err = FamilyHeader<nlmsgerr>(msg);
  if (!err) return Status::Errno(EPROTO, "%s: truncated netlink error message", what);
  if (err->error == 0) return OkStatus();
  // INT_MIN has no positive counterpart; no errno is that large anyway.
  int code = err->error < 0 && err->error != INT_MIN ? -err->error : err->error;
  if (code <= 0) code = EPROTO;
  // The kernel's own explanation, when it gave one, follows the echoed
  // request. An echoed length that does not fit the message means there is
  // no explanation to trust.
  if (msg->nlmsg_flags & NLM_F_ACK_TLVS) {
    size_t echoed = 0;
    if (!(msg->nlmsg_flags & NLM_F_CAPPED)) {
      echoed = err->msg.nlmsg_len >= NLMSG_HDRLEN ? err->msg.nlmsg_len - NLMSG_HDRLEN : 0;
    }
    size_t fixed = NLMSG_HDRLEN + sizeof(nlmsgerr);
    if (echoed <= msg->nlmsg_len && fixed + NLMSG_ALIGN(echoed) < msg->nlmsg_len) {
      size_t start = fixed + NLMSG_ALIGN(echoed);
      AttrTable tlvs;
      const char* text = nullptr;
      if (tlvs.Parse(reinterpret_cast<const uint8_t*>(msg) + start, msg->nlmsg_len - start) &&
          tlvs.GetString(NLMSGERR_ATTR_MSG, &text)) {
        return Status::Errno(code, "%s (kernel: %s)", what, text);
      }
    }
  }
  return Status::Errno(code, "%s", what);
}

// A callback's answer once the message's own handler has seen it.
Result<Answer> ReadOnUnless(const Status& handled) {
  if (!handled.ok()) return handled;
  return Answer::kOk;
}

}  // namespace

Result<Answer> AckCallback::OnMessage(const nlmsghdr* msg) {
  if (msg->nlmsg_type == NLMSG_ERROR) {
    Status s = ErrorFromAck(msg, what_);
    if (!s.ok()) return s;
    return Answer::kStop;
  }
  return ReadOnUnless(handler_ ? handler_->OnMessage(msg) : OkStatus());
}

Result<Answer> DumpCallback::OnMessage(const nlmsghdr* msg) {
  if (msg->nlmsg_flags & NLM_F_DUMP_INTR) interrupted_ = true;
  if (msg->nlmsg_type == NLMSG_DONE) return Answer::kStop;
  if (msg->nlmsg_type == NLMSG_ERROR) {
    Status s = ErrorFromAck(msg, what_);
    if (s.ok()) return Status::Errno(EPROTO, "%s: ACK inside a dump", what_);
    return s;
  }
  return ReadOnUnless(handler_.OnMessage(msg));
}

Result<Answer> RunCallbacks(const uint8_t* data, size_t len, uint32_t sequence, uint32_t port_id,
                            MessageCallback& callback, const char* what) {
  MessageReader reader(data, len);
  while (const nlmsghdr* msg = reader.Next()) {
    Status origin = CheckOrigin(msg, sequence, port_id, what);
    if (!origin.ok()) return origin;
    Result<Answer> answer = callback.OnMessage(msg);
    if (!answer.ok() || answer.value() == Answer::kStop) return answer;
  }
  if (reader.malformed()) return Status::Errno(EPROTO, "%s: malformed netlink reply", what);
  return Answer::kOk;
}

Status NetlinkSocket::Open() {
  fd_.Reset(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd_.valid()) return Status::Errno(errno, "netlink socket");
  sockaddr_nl local = {};
  local.nl_family = AF_NETLINK;
  if (bind(fd_.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    return Status::Errno(errno, "netlink bind");
  }
  socklen_t len = sizeof local;
  if (getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&local), &len) != 0) {
    return Status::Errno(errno, "netlink getsockname");
  }
  port_id_ = local.nl_pid;
  int one = 1;
  // Optional refinements (kernel messages in errors, short ACKs, dumps
  // filtered by the kernel: an address dump for one device reads only that
  // device's); an older kernel without them still works, as every dump
  // handler filters what it is given.
  setsockopt(fd_.get(), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  setsockopt(fd_.get(), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  setsockopt(fd_.get(), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  sequence_ = static_cast<uint32_t>(now.tv_nsec);
  return OkStatus();
}

Status NetlinkSocket::JoinGroup(uint32_t group) {
  if (setsockopt(fd_.get(), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) != 0) {
    return Status::Errno(errno, "netlink join group %u", group);
  }
  return OkStatus();
}

Status NetlinkSocket::Send(MessageBuilder& request, const char* what) {
  if (!request.ok()) return Status::Errno(EMSGSIZE, "%s: request too large", what);
  nlmsghdr* h = request.header();
  h->nlmsg_seq = ++sequence_;
  h->nlmsg_pid = port_id_;
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  ssize_t n;
  do {
    n = sendto(fd_.get(), request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Status::Errno(errno, "%s: netlink send", what);
  if (static_cast<size_t>(n) != request.size()) {
    return Status::Errno(EIO, "%s: netlink send was cut short", what);
  }
  return OkStatus();
}

Result<size_t> NetlinkSocket::ReceiveReply(const char* what) {
  pollfd p = {fd_.get(), POLLIN, 0};
  for (;;) {
    int r = poll(&p, 1, kReplyTimeoutMs);
    if (r < 0 && errno == EINTR) continue;  // the kernel's answer is already on its way
    if (r < 0) return Status::Errno(errno, "%s: poll netlink", what);
    if (r == 0) return Status::Errno(ETIMEDOUT, "%s: no netlink reply", what);
    ssize_t n = recv(fd_.get(), buffer_, sizeof buffer_, MSG_TRUNC);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Errno(errno, "%s: netlink receive", what);
    if (static_cast<size_t>(n) > sizeof buffer_) {
      return Status::Errno(EMSGSIZE, "%s: netlink reply of %zd bytes truncated", what, n);
    }
    return static_cast<size_t>(n);
  }
}

Status NetlinkSocket::Request(MessageBuilder& request, const char* what) {
  AckCallback ack(nullptr, what);
  return Exchange(request, NLM_F_REQUEST | NLM_F_ACK, ack, what);
}

Status NetlinkSocket::Query(MessageBuilder& request, DumpHandler& handler, const char* what) {
  handler.Reset();
  AckCallback ack(&handler, what);
  return Exchange(request, NLM_F_REQUEST | NLM_F_ACK, ack, what);
}

Status NetlinkSocket::Exchange(MessageBuilder& request, uint16_t flags, MessageCallback& callback,
                               const char* what) {
  request.header()->nlmsg_flags |= flags;
  Status sent = Send(request, what);
  if (!sent.ok()) return sent;
  for (;;) {
    Result<size_t> got = ReceiveReply(what);
    if (!got.ok()) return got.status();
    Result<Answer> answer = RunCallbacks(buffer_, got.value(), sequence_, port_id_, callback, what);
    if (!answer.ok()) return answer.status();
    if (answer.value() == Answer::kStop) return OkStatus();
  }
}

Status NetlinkSocket::Dump(MessageBuilder& request, DumpHandler& handler, const char* what) {
  Status last;
  for (int attempt = 0; attempt < kDumpAttempts; ++attempt) {
    handler.Reset();
    DumpCallback dump(handler, what);
    last = Exchange(request, NLM_F_REQUEST | NLM_F_DUMP, dump, what);
    if (last.ok() && !dump.interrupted()) return last;
    if (!last.ok() && last.err() != ENOBUFS) return last;
    // Interrupted by a concurrent change, or the socket overran: the result
    // may be inconsistent, so read it all again (after an overrun, on a
    // fresh socket: the old one still holds the rest of the lost dump).
    if (!last.ok()) {
      Status reopened = Open();
      if (!reopened.ok()) return reopened;
    }
    last = Status::Errno(EAGAIN, "%s: dump kept being interrupted", what);
  }
  return last;
}

Result<size_t> NetlinkSocket::ReceiveEvent(int timeout_ms) {
  pollfd p = {fd_.get(), POLLIN, 0};
  int r = poll(&p, 1, timeout_ms);
  if (r < 0) return Status::Errno(errno, "poll netlink events");
  if (r == 0) return static_cast<size_t>(0);
  ssize_t n = recv(fd_.get(), buffer_, sizeof buffer_, MSG_TRUNC | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return static_cast<size_t>(0);
  if (n < 0) return Status::Errno(errno, "receive netlink events");
  if (static_cast<size_t>(n) > sizeof buffer_) {
    return Status::Errno(EMSGSIZE, "netlink event of %zd bytes truncated", n);
  }
  return static_cast<size_t>(n);
}

}  // namespace ipres
