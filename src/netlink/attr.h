// SPDX-License-Identifier: Apache-2.0
// Validating readers for netlink messages and their attributes. Nothing here
// trusts a length field: every message and attribute is checked against the
// bytes actually received before it is looked at.
#pragma once

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ip_address.h"

namespace ipres {

// Walks the messages in one received datagram.
class MessageReader {
 public:
  MessageReader(const uint8_t* data, size_t len) : data_(data), len_(len) {}
  // The next well-formed message, or nullptr at the end. A message whose
  // header lies about its length makes malformed() true and ends the walk.
  const nlmsghdr* Next();
  bool malformed() const { return malformed_; }

 private:
  const uint8_t* data_;
  size_t len_;
  size_t offset_ = 0;
  bool malformed_ = false;
};

// The fixed family header (ifinfomsg, ifaddrmsg, ...) that follows a message
// header, or nullptr when the message is too short to hold one.
template <typename T>
const T* FamilyHeader(const nlmsghdr* msg) {
  if (msg->nlmsg_len < NLMSG_LENGTH(sizeof(T))) return nullptr;
  return static_cast<const T*>(NLMSG_DATA(msg));
}

// Attributes indexed by type, for types up to kMaxType. Parse() rejects a
// run of attributes in which any length is out of bounds; Get*() check each
// payload's size before returning it.
class AttrTable {
 public:
  static constexpr uint16_t kMaxType = 64;

  // Attributes at [data, data+len).
  bool Parse(const void* data, size_t len);
  // The attributes after a message's family header of size header_len.
  bool ParseMessage(const nlmsghdr* msg, size_t header_len);
  // The attributes nested inside attribute `type`.
  bool ParseNested(const AttrTable& outer, uint16_t type);

  bool Has(uint16_t type) const { return type <= kMaxType && attrs_[type] != nullptr; }
  const nlattr* Get(uint16_t type) const { return type <= kMaxType ? attrs_[type] : nullptr; }
  size_t PayloadLength(uint16_t type) const;
  const void* Payload(uint16_t type) const;

  bool GetU8(uint16_t type, uint8_t* out) const;
  bool GetU32(uint16_t type, uint32_t* out) const;
  // A NUL-terminated string that fits in its attribute.
  bool GetString(uint16_t type, const char** out) const;
  // An address of family af: exactly 4 bytes (AF_INET, network order on the
  // wire, returned as a host-order Ipv4) or 16 (AF_INET6).
  bool GetIp(uint16_t type, int af, IpAddress* out) const;
  // Exactly `len` bytes.
  bool GetBytes(uint16_t type, void* out, size_t len) const;

 private:
  const nlattr* attrs_[kMaxType + 1] = {};
};

}  // namespace ipres
