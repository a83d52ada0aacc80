// SPDX-License-Identifier: Apache-2.0
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

// The reply as Request() and Query() read it.
Result<Answer> ReadAck(const Datagram& d, Counter* handler = nullptr) {
  AckCallback ack(handler, "test");
  return RunCallbacks(d.bytes, d.len, kSeq, kPort, ack, "test");
}

// The reply as Dump() reads it.
Result<Answer> ReadDump(const Datagram& d, Counter& handler, bool* interrupted = nullptr) {
  DumpCallback dump(handler, "test");
  Result<Answer> answer = RunCallbacks(d.bytes, d.len, kSeq, kPort, dump, "test");
  if (interrupted) *interrupted = dump.interrupted();
  return answer;
}

void ExpectAnswer(const Result<Answer>& got, Answer want) {
  if (!got.ok()) fail_msg("failed: %s", StatusText(got.status()).c_str());
  assert_int_equal(static_cast<int>(got.value()), static_cast<int>(want));
}

void ExpectErrno(const Result<Answer>& got, int err, const char* needle) {
  assert_false(got.ok());
  assert_int_equal(got.status().err(), err);
  const StatusText text(got.status());
  if (!strstr(text.c_str(), needle)) fail_msg("'%s' lacks '%s'", text.c_str(), needle);
}

void AckEndsARequest(void**) {
  Datagram d;
  d.AddError(0);
  ExpectAnswer(ReadAck(d), Answer::kStop);
}

void MessagesBeforeTheAckReachTheHandler(void**) {
  Datagram d;
  d.Add(RTM_NEWLINK, 0, sizeof(ifinfomsg));
  d.AddError(0);
  d.Add(RTM_NEWLINK, 0, sizeof(ifinfomsg));  // after the end: never looked at
  Counter c;
  ExpectAnswer(ReadAck(d, &c), Answer::kStop);
  assert_int_equal(c.count, 1);
}

void ErrorsBecomeTheirErrno(void**) {
  const int errs[] = {EEXIST, EADDRNOTAVAIL, ENODEV, ENOBUFS, EPERM};
  for (int err : errs) {
    Datagram d;
    d.AddError(-err);
    ExpectErrno(ReadAck(d), err, "test");
  }
}

void ErrorOutOfRangeIsAProtocolError(void**) {
  const int errs[] = {INT_MIN};
  for (int err : errs) {
    Datagram d;
    d.AddError(err);
    ExpectErrno(ReadAck(d), EPROTO, "test");
  }
}

void WrongSequenceIsRefused(void**) {
  Datagram d;
  d.AddError(0, 0, kSeq + 1);
  ExpectErrno(ReadAck(d), EPROTO, "sequence 42, expected 41");
}

void WrongPortIsRefused(void**) {
  Datagram d;
  d.Add(RTM_NEWLINK, 0, sizeof(ifinfomsg), kSeq, kPort + 1);
  Counter c;
  ExpectErrno(ReadDump(d, c), EPROTO, "for port 1235");
  assert_int_equal(c.count, 0);  // nothing of it reached the handler
}

void TruncatedMessageIsMalformed(void**) {
  Datagram d;
  d.Add(RTM_NEWADDR, NLM_F_MULTI, sizeof(ifaddrmsg));
  d.Add(RTM_NEWADDR, NLM_F_MULTI, sizeof(ifaddrmsg));
  d.len -= 4;  // the second message claims more than arrived
  Counter c;
  ExpectErrno(ReadDump(d, c), EPROTO, "malformed netlink reply");
  assert_int_equal(c.count, 1);
}

void HeaderCutShortIsMalformed(void**) {
  Datagram d;
  d.AddError(0);
  d.len = 10;  // less than a message header
  ExpectErrno(ReadAck(d), EPROTO, "malformed");
}

void TruncatedErrorMessageIsRefused(void**) {
  Datagram d;
  d.Add(NLMSG_ERROR, 0, 2);  // too short for an nlmsgerr
  ExpectErrno(ReadAck(d), EPROTO, "truncated netlink error message");
}

void ExtendedAckWithALyingEchoIsIgnored(void**) {
  Datagram d;
  nlmsgerr* e = d.AddError(-ENODEV, NLM_F_ACK_TLVS);
  e->msg.nlmsg_len = 3;  // below a header: no offset may be derived from it
  ExpectErrno(ReadAck(d), ENODEV, "test");
  Datagram big;
  e = big.AddError(-ENODEV, NLM_F_ACK_TLVS);
  e->msg.nlmsg_len = UINT32_MAX;
  ExpectErrno(ReadAck(big), ENODEV, "test");
}

void DumpEndsAtDoneAndCollects(void**) {
  Datagram d;
  d.Add(RTM_NEWADDR, NLM_F_MULTI, sizeof(ifaddrmsg));
  d.Add(RTM_NEWADDR, NLM_F_MULTI | NLM_F_DUMP_INTR, sizeof(ifaddrmsg));
  d.Add(NLMSG_DONE, NLM_F_MULTI, 4);
  Counter c;
  bool interrupted = false;
  ExpectAnswer(ReadDump(d, c, &interrupted), Answer::kStop);
  assert_int_equal(c.count, 2);
  assert_true(interrupted);
}

void DumpWithoutDoneWantsMore(void**) {
  Datagram d;
  d.Add(RTM_NEWADDR, NLM_F_MULTI, sizeof(ifaddrmsg));
  Counter c;
  bool interrupted = true;
  ExpectAnswer(ReadDump(d, c, &interrupted), Answer::kOk);
  assert_false(interrupted);
}

void AckInsideADumpIsAProtocolError(void**) {
  Datagram d;
  d.AddError(0);
  Counter c;
  ExpectErrno(ReadDump(d, c), EPROTO, "ACK inside a dump");
}

void ErrorInsideADumpIsItsErrno(void**) {
  Datagram d;
  d.AddError(-ENOBUFS);
  Counter c;
  ExpectErrno(ReadDump(d, c), ENOBUFS, "test");
}

void EmptyDatagramWantsMore(void**) {
  Datagram d;
  ExpectAnswer(ReadAck(d), Answer::kOk);
}

// A callback that answers `answer` at message number `at` and kOk before.
class AnswerAt final : public MessageCallback {
 public:
  AnswerAt(int at, Result<Answer> answer) : at_(at), answer_(answer) {}
  Result<Answer> OnMessage(const nlmsghdr*) override {
    return ++seen == at_ ? answer_ : Result<Answer>(Answer::kOk);
  }
  int seen = 0;

 private:
  int at_;
  Result<Answer> answer_;
};

Datagram ThreeMessages() {
  Datagram d;
  for (int i = 0; i < 3; ++i) d.Add(RTM_NEWADDR, NLM_F_MULTI, sizeof(ifaddrmsg));
  return d;
}

void CallbackStopEndsTheRun(void**) {
  const Datagram d = ThreeMessages();
  AnswerAt stop(2, Answer::kStop);
  ExpectAnswer(RunCallbacks(d.bytes, d.len, kSeq, kPort, stop, "test"), Answer::kStop);
  assert_int_equal(stop.seen, 2);
}

void CallbackErrorIsReturnedAsItIs(void**) {
  const Datagram d = ThreeMessages();
  AnswerAt error(1, Status::Errno(ENOSPC, "callback full"));
  ExpectErrno(RunCallbacks(d.bytes, d.len, kSeq, kPort, error, "test"), ENOSPC, "callback full");
  assert_int_equal(error.seen, 1);
}

void CallbackOkReadsEveryMessage(void**) {
  const Datagram d = ThreeMessages();
  AnswerAt never(0, Answer::kStop);
  ExpectAnswer(RunCallbacks(d.bytes, d.len, kSeq, kPort, never, "test"), Answer::kOk);
  assert_int_equal(never.seen, 3);
}

// A dump handler's failure ends the dump with that failure.
class Refuser final : public DumpHandler {
 public:
  void Reset() override {}
  Status OnMessage(const nlmsghdr*) override { return Status::Errno(EPROTO, "malformed link"); }
};

void HandlerErrorEndsTheDump(void**) {
  Datagram d;
  d.Add(RTM_NEWLINK, NLM_F_MULTI, sizeof(ifinfomsg));
  d.Add(NLMSG_DONE, NLM_F_MULTI, 4);
  Refuser refuser;
  DumpCallback dump(refuser, "test");
  ExpectErrno(RunCallbacks(d.bytes, d.len, kSeq, kPort, dump, "test"), EPROTO, "malformed link");
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(AckEndsARequest),
      cmocka_unit_test(MessagesBeforeTheAckReachTheHandler),
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
      cmocka_unit_test(CallbackStopEndsTheRun),
      cmocka_unit_test(CallbackErrorIsReturnedAsItIs),
      cmocka_unit_test(CallbackOkReadsEveryMessage),
      cmocka_unit_test(HandlerErrorEndsTheDump),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
