// SPDX-License-Identifier: Apache-2.0
#include "netlink/attr.h"

#include <string.h>

namespace ipres {

const nlmsghdr* MessageReader::Next() {
  if (malformed_ || offset_ >= len_) return nullptr;
  size_t left = len_ - offset_;
  if (left < sizeof(nlmsghdr)) {
    malformed_ = true;
    return nullptr;
  }
  const nlmsghdr* msg = reinterpret_cast<const nlmsghdr*>(data_ + offset_);
  if (msg->nlmsg_len < sizeof(nlmsghdr) || msg->nlmsg_len > left) {
    malformed_ = true;
    return nullptr;
  }
  size_t step = NLMSG_ALIGN(msg->nlmsg_len);
  offset_ = step < left ? offset_ + step : len_;
  return msg;
}

bool AttrTable::Parse(const void* data, size_t len) {
  memset(attrs_, 0, sizeof attrs_);
  const uint8_t* p = static_cast<const uint8_t*>(data);
  size_t offset = 0;
  while (offset < len) {
    if (len - offset < sizeof(nlattr)) return false;
    const nlattr* a = reinterpret_cast<const nlattr*>(p + offset);
    if (a->nla_len < sizeof(nlattr) || a->nla_len > len - offset) return false;
    uint16_t type = a->nla_type & NLA_TYPE_MASK;
    if (type <= kMaxType) attrs_[type] = a;  // unknown types beyond our table are skipped
    size_t step = NLA_ALIGN(a->nla_len);
    offset = step < len - offset ? offset + step : len;
  }
  return true;
}

bool AttrTable::ParseMessage(const nlmsghdr* msg, size_t header_len) {
  size_t start = NLMSG_LENGTH(NLMSG_ALIGN(header_len));
  if (msg->nlmsg_len < NLMSG_LENGTH(header_len)) return false;
  if (msg->nlmsg_len <= start) return Parse(nullptr, 0);
  return Parse(reinterpret_cast<const uint8_t*>(msg) + start, msg->nlmsg_len - start);
}

bool AttrTable::ParseNested(const AttrTable& outer, uint16_t type) {
  const nlattr* a = outer.Get(type);
  if (!a) return false;
  return Parse(outer.Payload(type), outer.PayloadLength(type));
}

size_t AttrTable::PayloadLength(uint16_t type) const {
  const nlattr* a = Get(type);
  return a ? a->nla_len - NLA_HDRLEN : 0;
}

const void* AttrTable::Payload(uint16_t type) const {
  const nlattr* a = Get(type);
  return a ? reinterpret_cast<const uint8_t*>(a) + NLA_HDRLEN : nullptr;
}

bool AttrTable::GetBytes(uint16_t type, void* out, size_t len) const {
  if (!Has(type) || PayloadLength(type) != len) return false;
  memcpy(out, Payload(type), len);
  return true;
}

bool AttrTable::GetU8(uint16_t type, uint8_t* out) const {
  return GetBytes(type, out, 1);
}

bool AttrTable::GetU32(uint16_t type, uint32_t* out) const {
  return GetBytes(type, out, 4);
}

bool AttrTable::GetString(uint16_t type, const char** out) const {
  size_t len = PayloadLength(type);
  if (!Has(type) || len == 0) return false;
  const char* s = static_cast<const char*>(Payload(type));
  if (!memchr(s, '\0', len)) return false;
  *out = s;
  return true;
}

bool AttrTable::GetIp(uint16_t type, int af, IpAddress* out) const {
  if (af == AF_INET6) {
    Ipv6 a;
    if (!GetBytes(type, a.bytes, sizeof a.bytes)) return false;
    *out = a;
    return true;
  }
  uint32_t net;
  if (af != AF_INET || !GetBytes(type, &net, 4)) return false;
  *out = FromNet(net);
  return true;
}

}  // namespace ipres
