// ICMP echo over a raw socket: requests bound to a source address and device,
// several destinations in flight at once, replies validated (identifier,
// sequence, source, checksum) before they count. Packet building and parsing
// are pure functions, unit-tested on byte arrays.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/fd.h"
#include "base/ipv4.h"
#include "base/status.h"

namespace ipres {

struct EchoReply {
  Ipv4 from;
  uint16_t sequence = 0;
  uint8_t ttl = 0;
  uint16_t icmp_bytes = 0;  // ICMP header + payload, as ping prints "64 bytes"
};

uint16_t InternetChecksum(const uint8_t* data, size_t len);

// An ICMP echo request (header + payload_len bytes of payload) with its
// checksum. Returns the length, or 0 if size is too small.
size_t BuildEchoRequest(uint16_t id, uint16_t sequence, size_t payload_len, uint8_t* out,
                        size_t size);

// `packet` is a datagram as a raw IPPROTO_ICMP socket delivers it (IPv4
// header first). True only for a well-formed echo reply carrying `id` with a
// valid ICMP checksum; fills `out`. Truncated, mangled or other ICMP: false.
bool ParseEchoReply(const uint8_t* packet, size_t len, uint16_t id, EchoReply* out);

// A random identifier for one run (getrandom, never 0).
uint16_t RandomEchoIdentifier();

class IcmpSocket {
 public:
  // Raw ICMP socket, non-blocking; bound to `device` (SO_BINDTODEVICE) when
  // not null and to `source` when not 0.0.0.0; SO_BROADCAST when broadcast.
  Status Open(const char* device, Ipv4 source, bool broadcast);
  Status SendEcho(Ipv4 destination, uint16_t id, uint16_t sequence, size_t payload_len);
  // Reads pending datagrams until one parses as an echo reply for `id`;
  // returns true with *out filled, false when nothing valid is pending.
  Result<bool> ReceiveReply(uint16_t id, EchoReply* out);
  int fd() const { return fd_.get(); }

 private:
  UniqueFd fd_;
};

// One connectivity-check window, as the operations use it: one echo to each
// target, all at once, from `source` on `device`; waits up to window_ms and
// returns true at the first valid reply whose source is not in `exclude`
// (and, for unicast, is one of the targets). *responder gets its address.
struct PingWindow {
  const char* device = nullptr;
  Ipv4 source;
  const Ipv4* targets = nullptr;
  size_t target_count = 0;
  bool broadcast = false;
  const Ipv4* exclude = nullptr;
  size_t exclude_count = 0;
  uint32_t window_ms = 0;
};
Result<bool> PingAny(const PingWindow& window, Ipv4* responder);

}  // namespace ipres
