// SPDX-License-Identifier: Apache-2.0
// ICMP echo over a raw socket: requests bound to a source address and device,
// several destinations in flight at once, replies validated (identifier,
// sequence, source, checksum) before they count. Packet building and parsing
// are pure functions, unit-tested on byte arrays (icmp.cc); which replies
// count and the waiting for them are in pinger.cc.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/fd.h"
#include "base/ip_address.h"
#include "base/probe_types.h"
#include "base/status.h"

namespace ipres {

struct EchoReply {
  IpAddress from;
  uint16_t sequence = 0;
  uint8_t ttl = 0;
  uint16_t icmp_bytes = 0;  // ICMP header + payload, as ping prints "64 bytes"
};

// RFC 1071: the one's complement of the one's complement sum of `data` and
// `sum`, where a caller puts the fields of a pseudo-header that is not in
// the buffer (ICMPv6's upper-layer length and next header). 0 when `data`
// holds a correct checksum.
uint16_t InternetChecksum(const uint8_t* data, size_t len, uint32_t sum = 0);

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
  // Raw ICMP socket, or ICMPv6 (net/icmp6.h) for af AF_INET6, non-blocking;
  // bound to `device` (SO_BINDTODEVICE) when not null and to `source` when
  // not unspecified; SO_BROADCAST when broadcast (IPv4).
  Status Open(int af, const char* device, const IpAddress& source, bool broadcast);
  Status SendEcho(const IpAddress& destination, uint16_t id, uint16_t sequence, size_t payload_len);
  // Reads pending datagrams until one parses as an echo reply for `id`;
  // returns true with *out filled, false when nothing valid is pending.
  Result<bool> ReceiveReply(uint16_t id, EchoReply* out);
  int fd() const { return fd_.get(); }

 private:
  Status OpenIpv4(const char* device, Ipv4 source, bool broadcast);
  UniqueFd fd_;
  bool v6_ = false;
  unsigned ifindex_ = 0;  // IPv6: the scope of link-local and ff02:: destinations
};

// Which parsed replies count. Pure bookkeeping (no I/O), unit-tested: a reply
// counts only for a sequence this run sent; for unicast only from the target
// that sequence went to; never from an excluded source. A second reply to the
// same sequence (broadcast: another responder) is a duplicate, as ping's DUP!.
class EchoTracker {
 public:
  static constexpr size_t kMaxTargets = 16;
  static constexpr size_t kMaxExcluded = 64;
  // Sends remembered; a reply to an older one no longer counts.
  static constexpr size_t kTracked = 256;

  enum class Verdict { kIgnored, kCounted, kDuplicate };

  // False when a list is longer than its capacity.
  bool Init(const IpAddress* targets, size_t target_count, bool broadcast, const IpAddress* exclude,
            size_t exclude_count);
  // `sequence` went to targets[target] at sent_us.
  void NoteSent(size_t target, uint16_t sequence, int64_t sent_us);
  // `sequence` never left (sendto failed): no reply to it may count.
  void Forget(uint16_t sequence);
  // Whether Judge would count the reply (or call it a duplicate): it answers
  // a sequence this run sent, from a source that may answer it.
  bool Expected(const EchoReply& reply) const;
  // Judges a parsed reply received at now_us; for a counted or duplicate
  // reply, *target and *rtt_us tell whose echo it answered and how fast.
  Verdict Judge(const EchoReply& reply, int64_t now_us, size_t* target, int64_t* rtt_us);
  bool Replied(size_t target) const { return target < target_count_ && replied_[target]; }
  size_t target_count() const { return target_count_; }
  const IpAddress& target(size_t i) const { return targets_[i]; }

 private:
  struct Sent {
    bool valid = false;
    bool answered = false;
    uint16_t sequence = 0;
    uint8_t target = 0;
    int64_t sent_us = 0;
  };
  IpAddress targets_[kMaxTargets];
  bool replied_[kMaxTargets] = {};
  size_t target_count_ = 0;
  IpAddress exclude_[kMaxExcluded];
  size_t exclude_count_ = 0;
  bool broadcast_ = false;
  Sent sent_[kTracked];
};

// Sources excluded beyond a fixed list, asked only of replies that would
// otherwise count: the connectivity check asks the kernel whether the source
// is one of this node's addresses, however many the node holds.
class SourceFilter {
 public:
  virtual Result<bool> Excluded(const IpAddress& source) = 0;

 protected:
  ~SourceFilter() = default;
};

// A reply that counted (or repeated one that did) while a Pinger waited.
struct PingEvent {
  EchoReply reply;
  size_t target = 0;  // index into the Pinger's targets
  int64_t rtt_us = 0;
  bool duplicate = false;
};

// Several destinations in flight on one socket under one deadline, with
// per-target results. Sequences run from 1 across all targets.
class Pinger {
 public:
  // Payload as ping's default: 56 bytes, "64 bytes from" on the reply.
  static constexpr size_t kPayloadBytes = 56;

  // `targets` and `exclude` are copied; `filter` (may be null) is asked
  // about each reply that would count. The identifier is random per Pinger.
  Status Open(const char* device, const IpAddress& source, bool broadcast, const IpAddress* targets,
              size_t target_count, const IpAddress* exclude, size_t exclude_count,
              SourceFilter* filter = nullptr);
  // One echo request to targets[target] with the next sequence number.
  Status Send(size_t target);
  // Waits until deadline_ms (MonotonicMs) for a counted or duplicate reply:
  // true with *out filled, false when the deadline passed. EINTR (a signal
  // asking the process to stop) comes back as an error, not retried.
  Result<bool> Wait(int64_t deadline_ms, PingEvent* out);

 private:
  IcmpSocket socket_;
  EchoTracker tracker_;
  SourceFilter* filter_ = nullptr;
  IpAddress last_filtered_;  // a repeated excluded source is not asked about again
  uint16_t id_ = 0;
  uint16_t sequence_ = 0;
};

// One connectivity-check window (base/probe_types.h), with `filter` asked
// about each reply that would count. Errors only for what is not about one
// echo: the socket, the wait, and EINTR (a stop request).
Result<PingOutcome> Ping(const PingWindow& window, SourceFilter* filter);

}  // namespace ipres
