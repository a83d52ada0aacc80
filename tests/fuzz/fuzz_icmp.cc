// SPDX-License-Identifier: Apache-2.0
// Datagrams as a raw ICMP socket delivers them (IPv4 header first), parsed
// and then judged by an EchoTracker that sent a few echoes: a hostile
// network must not make a reply count that answers nothing we sent.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/icmp.h"

using namespace ipres;

namespace {

// Identifier (2), broadcast flag (1), then the datagram.
constexpr size_t kPrefix = 3;
const IpAddress kTargets[] = {Ipv4{0xc000020a}, Ipv4{0xc000020b}};  // 192.0.2.10, .11
const IpAddress kExcluded[] = {Ipv4{0xc0000202}};                   // 192.0.2.2
constexpr uint16_t kSent = 4;                                       // sequences 1..4

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kPrefix) return 0;
  const uint16_t id = static_cast<uint16_t>(data[0] << 8 | data[1]);
  const bool broadcast = data[2] & 1;
  const uint8_t* packet = data + kPrefix;
  const size_t len = size - kPrefix;
  EchoReply reply;
  if (!ParseEchoReply(packet, len, id, &reply)) return 0;
  if (reply.icmp_bytes > len) abort();

  EchoTracker tracker;
  if (!tracker.Init(kTargets, 2, broadcast, kExcluded, 1)) abort();
  for (uint16_t seq = 1; seq <= kSent; ++seq) tracker.NoteSent(seq % 2, seq, 1000);
  tracker.Forget(kSent);  // as if its sendto had failed
  size_t target = 99;
  int64_t rtt = -1;
  EchoTracker::Verdict v = tracker.Judge(reply, 2000, &target, &rtt);
  if (v == EchoTracker::Verdict::kIgnored) return 0;
  // Counted: a sequence we sent and did not forget, from a source allowed.
  if (reply.sequence == 0 || reply.sequence >= kSent) abort();
  if (target >= 2 || rtt != 1000) abort();
  if (reply.from == kExcluded[0]) abort();
  if (!broadcast && reply.from != kTargets[target]) abort();
  if (v != EchoTracker::Verdict::kCounted) abort();
  // The same reply again is a duplicate, never a second count.
  if (tracker.Judge(reply, 2000, &target, &rtt) != EchoTracker::Verdict::kDuplicate) abort();
  return 0;
}
