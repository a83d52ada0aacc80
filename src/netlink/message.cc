// SPDX-License-Identifier: Apache-2.0
#include "netlink/message.h"

#include <string.h>

namespace ipres {

MessageBuilder::MessageBuilder(uint8_t* buffer, size_t capacity)
    : buffer_(buffer), capacity_(capacity) {}

void MessageBuilder::Begin(uint16_t type, uint16_t flags, size_t family_len) {
  size_ = 0;
  ok_ = true;
  nlmsghdr* h = static_cast<nlmsghdr*>(Reserve(sizeof(nlmsghdr)));
  if (!h) return;
  h->nlmsg_type = type;
  h->nlmsg_flags = flags;
  Reserve(family_len);
}

void* MessageBuilder::Reserve(size_t len) {
  size_t aligned = NLMSG_ALIGN(len);
  if (!ok_ || aligned > capacity_ - size_) {
    ok_ = false;
    return nullptr;
  }
  void* p = buffer_ + size_;
  memset(p, 0, aligned);
  size_ += aligned;
  if (size_ >= sizeof(nlmsghdr)) header()->nlmsg_len = static_cast<uint32_t>(size_);
  return p;
}

void MessageBuilder::PutAttr(uint16_t type, const void* data, size_t len) {
  if (len > UINT16_MAX - NLA_HDRLEN) {
    ok_ = false;
    return;
  }
  nlattr* a = static_cast<nlattr*>(Reserve(NLA_HDRLEN + len));
  if (!a) return;
  a->nla_type = type;
  a->nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
  if (len) memcpy(reinterpret_cast<uint8_t*>(a) + NLA_HDRLEN, data, len);
}

void MessageBuilder::PutString(uint16_t type, const char* value) {
  PutAttr(type, value, strlen(value) + 1);
}

void MessageBuilder::PutIp(uint16_t type, const IpAddress& address) {
  if (address.is_v6()) {
    PutAttr(type, address.v6().bytes, sizeof address.v6().bytes);
    return;
  }
  uint32_t net = ToNet(address.v4());
  PutAttr(type, &net, 4);
}

nlattr* MessageBuilder::BeginNest(uint16_t type) {
  nlattr* a = static_cast<nlattr*>(Reserve(NLA_HDRLEN));
  if (!a) return nullptr;
  a->nla_type = static_cast<uint16_t>(type | NLA_F_NESTED);
  return a;
}

void MessageBuilder::EndNest(nlattr* nest) {
  if (!nest || !ok_) return;
  size_t len = static_cast<size_t>(buffer_ + size_ - reinterpret_cast<uint8_t*>(nest));
  if (len > UINT16_MAX) {
    ok_ = false;
    return;
  }
  nest->nla_len = static_cast<uint16_t>(len);
}

}  // namespace ipres
