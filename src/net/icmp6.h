// SPDX-License-Identifier: Apache-2.0
// ICMPv6 echo (RFC 4443 4.1, 4.2) over a raw IPPROTO_ICMPV6 socket, the
// IPv6 side of net/icmp.h. Such a socket sends and receives the ICMPv6
// message alone: the kernel builds the IPv6 header, and the source and hop
// limit of a received datagram come from recvmsg (msg_name, and the
// IPV6_HOPLIMIT control message).
//
// The checksum covers a pseudo-header with both addresses, so the kernel
// computes it on send and checks it on receipt for every ICMPv6 raw socket
// (RFC 3542 3.1; Linux's rawv6_init_sk sets checksum offset 2 for
// IPPROTO_ICMPV6, which IPV6_CHECKSUM may not change, and rawv6_rcv_skb
// drops a bad one before it is queued: in a namespace test a reply with a
// bad checksum counted in Icmp6InCsumErrors and never woke the socket). So
// requests go out with 0 there and replies are not summed again here.
//
// Building and parsing are pure functions on bytes (unit-tested); the
// socket calls are thin, for IcmpSocket to call.
#pragma once

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "base/fd.h"
#include "base/ipv6.h"
#include "base/status.h"

namespace ipres {

constexpr size_t kIcmp6EchoHeaderBytes = 8;

// ping's payload, byte i holding i mod 256, so captures of ipres and ping
// look alike. The IPv4 request (icmp.cc) fills the same pattern in place.
void FillEchoPayload(uint8_t* payload, size_t len);

// An ICMPv6 echo request (type 128 code 0, header + payload_len bytes of
// payload) with checksum 0, for the kernel to fill in. Returns the length,
// or 0 if size is too small or the message would exceed 65535 bytes.
size_t BuildEcho6Request(uint16_t id, uint16_t sequence, size_t payload_len, uint8_t* out,
                         size_t size);

// `icmp` is a message as a raw ICMPv6 socket delivers it (no IPv6 header,
// checksum already verified by the kernel). True only for an echo reply
// (type 129 code 0) of at least the 8-byte header carrying `id`; fills the
// sequence and the message length (header + payload, as ping's "64 bytes").
bool ParseEcho6Reply(const uint8_t* icmp, size_t len, uint16_t id, uint16_t* sequence,
                     uint16_t* icmp_bytes);

// The hop limit from a received message's control data: exactly one
// IPPROTO_IPV6/IPV6_HOPLIMIT message holding an int in 0..255, whole (no
// MSG_CTRUNC) and inside msg_controllen. False when absent or malformed.
bool ReadHopLimit(const msghdr& msg, uint8_t* hop_limit);

// The header of one sendmsg or recvmsg on an IPv6 socket: `peer` is the
// destination or the source, `iov` the data, `control` its control messages.
msghdr DatagramHeader(sockaddr_in6* peer, iovec* iov, void* control, size_t control_len);

// One datagram from a raw ICMPv6 socket opened with IPV6_RECVHOPLIMIT.
struct Icmp6Datagram {
  size_t len = 0;           // bytes of the ICMPv6 message in the caller's buffer
  Ipv6 from;                // the IPv6 source
  uint32_t from_scope = 0;  // sin6_scope_id: the arrival interface of a link-local source
  uint8_t hop_limit = 0;
};

// Reads datagrams until one arrives whole: it fits `size`, its source is an
// AF_INET6 sockaddr_in6, its hop limit is readable (ReadHopLimit). True
// with the message in buf, false when nothing (more) is pending. Others are
// dropped unread: a message larger than any we expect is not ours.
Result<bool> ReceiveIcmp6(int fd, uint8_t* buf, size_t size, Icmp6Datagram* out);

struct Echo6Reply {
  Ipv6 from;
  uint32_t from_scope = 0;
  uint16_t sequence = 0;
  uint8_t hop_limit = 0;
  uint16_t icmp_bytes = 0;  // ICMPv6 header + payload
};

// A raw ICMPv6 echo socket, non-blocking, close-on-exec, that wakes only for
// echo replies (ICMP6_FILTER) and reports their hop limit. With `device`
// (may be null): SO_BINDTODEVICE and *ifindex set to its index (the scope
// that sends an ff02::1 echo out there), 0 without; with `source` (may be
// null): bound to it, a link-local source in the device's scope (a device is
// then required). The socket's own multicast echoes are not looped back to
// this node (IPV6_MULTICAST_LOOP 0); replies from this node's addresses can
// still come over another interface on the link, so callers exclude them.
Status OpenEcho6Socket(UniqueFd* fd, const char* device, const Ipv6* source, unsigned* ifindex);

// One echo request to `destination`; `scope_ifindex` is sin6_scope_id,
// needed for a link-local or ff02:: destination (the device's index), 0 for
// a global one.
Status SendEcho6(int fd, const Ipv6& destination, unsigned scope_ifindex, uint16_t id,
                 uint16_t sequence, size_t payload_len);

// Reads pending datagrams until one parses as an echo reply for `id`; true
// with *out filled, false when nothing valid is pending.
Result<bool> ReceiveEcho6(int fd, uint16_t id, Echo6Reply* out);

}  // namespace ipres
