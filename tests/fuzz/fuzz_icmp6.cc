// SPDX-License-Identifier: Apache-2.0
// ICMPv6 messages as a raw IPPROTO_ICMPV6 socket delivers them, and the
// control data recvmsg hands over with them: a hostile network must not make
// anything but an echo reply with our identifier parse, and no control data
// may be read outside its buffer.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/icmp6.h"

using namespace ipres;

namespace {

// Identifier (2), control data length (1), the control data, then the message.
constexpr size_t kPrefix = 3;

void CheckHopLimit(const uint8_t* data, size_t len) {
  alignas(cmsghdr) uint8_t control[255];
  memcpy(control, data, len);
  msghdr msg = {};
  msg.msg_control = len ? control : nullptr;
  msg.msg_controllen = len;
  uint8_t hop_limit = 0;
  if (ReadHopLimit(msg, &hop_limit) && len < CMSG_LEN(sizeof(int))) abort();
}

void CheckEchoReply(uint16_t id, const uint8_t* icmp, size_t len) {
  uint16_t sequence = 0;
  uint16_t icmp_bytes = 0;
  if (!ParseEcho6Reply(icmp, len, id, &sequence, &icmp_bytes)) return;
  if (len < kIcmp6EchoHeaderBytes || icmp[0] != 129 || icmp[1] != 0) abort();
  if ((icmp[4] << 8 | icmp[5]) != id || (icmp[6] << 8 | icmp[7]) != sequence) abort();
  if (icmp_bytes != len) abort();
  // Our own request of that length, answered, reads back the same.
  uint8_t echo[kIcmp6EchoHeaderBytes + 1472];
  size_t n = BuildEcho6Request(id, sequence, len - kIcmp6EchoHeaderBytes, echo, sizeof echo);
  if (len > sizeof echo) {
    if (n != 0) abort();
    return;
  }
  if (n != len || echo[0] != 128) abort();
  echo[0] = 129;
  uint16_t again = 0;
  if (!ParseEcho6Reply(echo, n, id, &again, &icmp_bytes) || again != sequence) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kPrefix) return 0;
  const uint16_t id = static_cast<uint16_t>(data[0] << 8 | data[1]);
  const size_t control_len = data[2];
  if (size - kPrefix < control_len) return 0;
  CheckHopLimit(data + kPrefix, control_len);
  CheckEchoReply(id, data + kPrefix + control_len, size - kPrefix - control_len);
  return 0;
}
