// SPDX-License-Identifier: Apache-2.0
// Builds one netlink request in a caller-owned fixed buffer: the message
// header, the family header, aligned attributes and nests. Running out of
// room is remembered and reported once, by ok().
#pragma once

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ip_address.h"

namespace ipres {

class MessageBuilder {
 public:
  MessageBuilder(uint8_t* buffer, size_t capacity);

  // Starts the message with a zeroed family header of family_len bytes
  // (ifaddrmsg, ifinfomsg, ...); the socket fills in sequence number and
  // port id.
  void Begin(uint16_t type, uint16_t flags, size_t family_len);

  void PutAttr(uint16_t type, const void* data, size_t len);
  void PutU8(uint16_t type, uint8_t value) { PutAttr(type, &value, 1); }
  void PutU32(uint16_t type, uint32_t value) { PutAttr(type, &value, 4); }
  void PutString(uint16_t type, const char* value);     // with its NUL
  void PutIp(uint16_t type, const IpAddress& address);  // 4 or 16 bytes, network order

  // Opens a nested attribute; pass the result to EndNest once its members
  // are in. Returns nullptr when out of room (ok() is then false).
  nlattr* BeginNest(uint16_t type);
  void EndNest(nlattr* nest);

  bool ok() const { return ok_; }
  nlmsghdr* header() { return reinterpret_cast<nlmsghdr*>(buffer_); }
  const uint8_t* data() const { return buffer_; }
  size_t size() const { return size_; }

 private:
  void* Reserve(size_t len);  // aligned, zeroed; nullptr when it does not fit

  uint8_t* buffer_;
  size_t capacity_;
  size_t size_ = 0;
  bool ok_ = true;
};

// A request with its own buffer, sized for ipres's requests, laid out as
// iproute2's `struct { nlmsghdr n; ifaddrmsg ifa; char buf[]; }`: the family
// header is a member, so it cannot be missing.
template <typename Family>
class Request final : public MessageBuilder {
 public:
  static constexpr size_t kCapacity = 512;
  // Attributes start right after the family header only if it is aligned.
  static_assert(sizeof(Family) == NLMSG_ALIGN(sizeof(Family)), "family header is unaligned");

  Request(uint16_t type, uint16_t flags)
      : MessageBuilder(reinterpret_cast<uint8_t*>(&message_), sizeof message_) {
    static_assert(sizeof message_ == kCapacity, "padding between the headers");
    Begin(type, flags, sizeof(Family));
  }
  Request(const Request&) = delete;  // the builder points into message_
  Request& operator=(const Request&) = delete;

  Family& family() { return message_.family; }

 private:
  struct {
    nlmsghdr header;
    Family family;
    uint8_t attributes[kCapacity - sizeof(nlmsghdr) - sizeof(Family)];
  } message_;
};

}  // namespace ipres
