// The reply checker every request and dump goes through, fed what a kernel
// would not send: replies to another request or port, cut messages, errors
// out of range, an ACK inside a dump.
#include <errno.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "cmocka_cxx.h"
#include "netlink/socket.h"

using namespace ipres;

namespace {

constexpr uint32_t kSeq = 41;
constexpr uint32_t kPort = 1234;

// Builds replies into one aligned datagram.
struct Datagram {
  alignas(nlmsghdr) uint8_t bytes[512] = {};
  size_t len = 0;

  nlmsghdr* Add(uint16_t type, uint16_t flags, size_t payload, uint32_t seq = kSeq,
                uint32_t port = kPort) {
    nlmsghdr* h = reinterpret_cast<nlmsghdr*>(bytes + len);
    h->nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(payload));
    h->nlmsg_type = type;
    h->nlmsg_flags = flags;
    h->nlmsg_seq = seq;
    h->nlmsg_pid = port;
    len += NLMSG_ALIGN(h->nlmsg_len);
    return h;
  }
  // An NLMSG_ERROR with `error` echoing a bare request header.
  nlmsgerr* AddError(int error, uint16_t flags = 0, uint32_t seq = kSeq) {
    nlmsghdr* h = Add(NLMSG_ERROR, flags, sizeof(nlmsgerr), seq);
    nlmsgerr* e = static_cast<nlmsgerr*>(NLMSG_DATA(h));
    e->error = error;
    e->msg.nlmsg_len = NLMSG_HDRLEN;
    e->msg.nlmsg_seq = seq;
    return e;
  }
};

class Counter final : public DumpHandler {
 public:
  void Reset() override { count = 0; }
  Status OnMessage(const nlmsghdr*) override {
    ++count;
    return OkStatus();
  }
  int count = 0;
};

Status Read(const Datagram& d, bool dump, Counter* handler, ReplyEnd* end,
            bool* interrupted = nullptr) {
  bool ignored = false;
  return ReadReplyDatagram(d.bytes, d.len, kSeq, kPort, dump, handler, "test", end,
                           interrupted ? interrupted : &ignored);
}

void ExpectErrno(const Status& s, int err, const char* needle) {
  assert_false(s.ok());
  assert_int_equal(s.err(), err);
  const StatusText text(s);
  if (!strstr(text.c_str(), needle)) fail_msg("'%s' lacks '%s'", text.c_str(), needle);
}

void AckEndsARequest(void**) {
  Datagram d;
  d.AddError(0);
  ReplyEnd end;
  assert_true(Read(d, false, nullptr, &end).ok());
  assert_int_equal(static_cast<int>(end), static_cast<int>(ReplyEnd::kDone));
}

void ErrorsBecomeTheirErrno(void**) {
  const int errs[] = {EEXIST, EADDRNOTAVAIL, ENODEV, ENOBUFS, EPERM};
  for (int err : errs) {
    Datagram d;
    d.AddError(-err);
    ReplyEnd end;
    Status s = Read(d, false, nullptr, &end);
    ExpectErrno(s, err, "test");
    assert_int_equal(static_cast<int>(end), static_cast<int>(ReplyEnd::kDone));
  }
}

void ErrorOutOfRangeIsAProtocolError(void**) {
  const int errs[] = {INT_MIN};
  for (int err : errs) {
    Datagram d;
    d.AddError(err);
    ReplyEnd end;
    ExpectErrno(Read(d, false, nullptr, &end), EPROTO, "test");
  }
}

void WrongSequenceIsRefused(void**) {
  Datagram d;
  d.AddError(0, 0, kSeq + 1);
  ReplyEnd end;
  ExpectErrno(Read(d, false, nullptr, &end), EPROTO, "sequence 42, expected 41");
}

void WrongPortIsRefused(void**) {
  Datagram d;
  d.Add(RTM_NEWLINK, 0, sizeof(ifinfomsg), kSeq, kPort + 1);
  Counter c;
  ReplyEnd end;
  ExpectErrno(Read(d, true, &c, &end), EPROTO, "for port 1235");
  assert_int_equal(c.count, 0);  // nothing of it reached the handler
}

void TruncatedMessageIsMalformed(void**) {
  Datagram d;
  d.Add(RTM_NEWADDR, NLM_F_MULTI, sizeof(ifaddrmsg));
  d.Add(RTM_NEWADDR, NLM_F_MULTI, sizeof(ifaddrmsg));
  d.len -= 4;  // the second message claims more than arrived
  Counter c;
  ReplyEnd end;
  ExpectErrno(Read(d, true, &c, &end), EPROTO, "malformed netlink reply");
  assert_int_equal(c.count, 1);
}

void HeaderCutShortIsMalformed(void**) {
  Datagram d;
  d.AddError(0);
  d.len = 10;  // less than a message header
  ReplyEnd end;
  ExpectErrno(Read(d, false, nullptr, &end), EPROTO, "malformed");
}

void TruncatedErrorMessageIsRefused(void**) {
  Datagram d;
  d.Add(NLMSG_ERROR, 0, 2);  // too short for an nlmsgerr
  ReplyEnd end;
  ExpectErrno(Read(d, false, nullptr, &end), EPROTO, "truncated netlink error message");
}

void ExtendedAckWithALyingEchoIsIgnored(void**) {
  Datagram d;
  nlmsgerr* e = d.AddError(-ENODEV, NLM_F_ACK_TLVS);
  e->msg.nlmsg_len = 3;  // below a header: no offset may be derived from it
  ReplyEnd end;
  ExpectErrno(Read(d, false, nullptr, &end), ENODEV, "test");
  Datagram big;
  e = big.AddError(-ENODEV, NLM_F_ACK_TLVS);
  e->msg.nlmsg_len = UINT32_MAX;
  ExpectErrno(Read(big, false, nullptr, &end), ENODEV, "test");
}

void DumpEndsAtDoneAndCollects(void**) {
  Datagram d;
  d.Add(RTM_NEWADDR, NLM_F_MULTI, sizeof(ifaddrmsg));
  d.Add(RTM_NEWADDR, NLM_F_MULTI | NLM_F_DUMP_INTR, sizeof(ifaddrmsg));
  d.Add(NLMSG_DONE, NLM_F_MULTI, 4);
  Counter c;
  ReplyEnd end;
  bool interrupted = false;
  assert_true(Read(d, true, &c, &end, &interrupted).ok());
  assert_int_equal(static_cast<int>(end), static_cast<int>(ReplyEnd::kDone));
  assert_int_equal(c.count, 2);
  assert_true(interrupted);
}

void DumpWithoutDoneWantsMore(void**) {
  Datagram d;
  d.Add(RTM_NEWADDR, NLM_F_MULTI, sizeof(ifaddrmsg));
  Counter c;
  ReplyEnd end;
  assert_true(Read(d, true, &c, &end).ok());
  assert_int_equal(static_cast<int>(end), static_cast<int>(ReplyEnd::kMore));
}

void AckInsideADumpIsAProtocolError(void**) {
  Datagram d;
  d.AddError(0);
  Counter c;
  ReplyEnd end;
  ExpectErrno(Read(d, true, &c, &end), EPROTO, "ACK inside a dump");
}

void ErrorInsideADumpIsItsErrno(void**) {
  Datagram d;
  d.AddError(-ENOBUFS);
  Counter c;
  ReplyEnd end;
  ExpectErrno(Read(d, true, &c, &end), ENOBUFS, "test");
}

void EmptyDatagramWantsMore(void**) {
  Datagram d;
  ReplyEnd end;
  assert_true(Read(d, false, nullptr, &end).ok());
  assert_int_equal(static_cast<int>(end), static_cast<int>(ReplyEnd::kMore));
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(AckEndsARequest),
      cmocka_unit_test(ErrorsBecomeTheirErrno),
      cmocka_unit_test(ErrorOutOfRangeIsAProtocolError),
      cmocka_unit_test(WrongSequenceIsRefused),
      cmocka_unit_test(WrongPortIsRefused),
      cmocka_unit_test(TruncatedMessageIsMalformed),
      cmocka_unit_test(HeaderCutShortIsMalformed),
      cmocka_unit_test(TruncatedErrorMessageIsRefused),
      cmocka_unit_test(ExtendedAckWithALyingEchoIsIgnored),
      cmocka_unit_test(DumpEndsAtDoneAndCollects),
      cmocka_unit_test(DumpWithoutDoneWantsMore),
      cmocka_unit_test(AckInsideADumpIsAProtocolError),
      cmocka_unit_test(ErrorInsideADumpIsItsErrno),
      cmocka_unit_test(EmptyDatagramWantsMore),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
