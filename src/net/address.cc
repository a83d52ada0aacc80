// SPDX-License-Identifier: Apache-2.0
#include "net/address.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink/attr.h"
#include "netlink/message.h"

namespace ipres {
namespace {

// The kernel's INFINITY_LIFE_TIME: an address lifetime that never ends.
constexpr uint32_t kForever = 0xffffffffu;

class AddressDump final : public DumpHandler {
 public:
  AddressDump(int af, int ifindex, AddressVisitor& visitor)
      : af_(af), ifindex_(ifindex), visitor_(visitor) {}
  void Reset() override { visitor_.Reset(); }
  Status OnMessage(const nlmsghdr* msg) override {
    if (msg->nlmsg_type != RTM_NEWADDR) return OkStatus();
    AddressInfo info;
    if (!ParseAddressMessage(msg, &info) || info.address.af() != af_) return OkStatus();
    if (ifindex_ == 0 || info.ifindex == ifindex_) visitor_.OnAddress(info);
    return OkStatus();
  }

 private:
  int af_;
  int ifindex_;
  AddressVisitor& visitor_;
};

class AddressFinder final : public AddressVisitor {
 public:
  explicit AddressFinder(const IpAddress& address) : address_(address) {}
  void Reset() override { found = false; }
  void OnAddress(const AddressInfo& a) override { found |= a.address == address_; }
  bool found = false;

 private:
  IpAddress address_;
};

// Whether deleting address/prefix would take other addresses with it: it is
// the primary of its subnet and the subnet has secondaries.
class SiblingFinder final : public AddressVisitor {
 public:
  SiblingFinder(const IpAddress& address, uint8_t prefix) : address_(address), prefix_(prefix) {}
  void Reset() override { primary_ = siblings_ = false; }
  void OnAddress(const AddressInfo& a) override {
    if (a.prefix != prefix_ || NetworkOf(a.address, prefix_) != NetworkOf(address_, prefix_)) {
      return;
    }
    if (a.address == address_) {
      primary_ = !a.secondary;
    } else if (a.secondary) {
      siblings_ = true;
    }
  }
  bool WouldTakeSiblings() const { return primary_ && siblings_; }

 private:
  IpAddress address_;
  uint8_t prefix_;
  bool primary_ = false;
  bool siblings_ = false;
};

// The family header and both address attributes: with IFA_LOCAL and
// IFA_ADDRESS given, only this address/prefix on this device can match.
void PutExactAddress(Request<ifaddrmsg>& req, const LinkInfo& link, const IpAddress& address,
                     uint8_t prefix) {
  req.family().ifa_family = static_cast<uint8_t>(address.af());
  req.family().ifa_prefixlen = prefix;
  req.family().ifa_index = static_cast<uint32_t>(link.ifindex);
  req.PutIp(IFA_LOCAL, address);
  req.PutIp(IFA_ADDRESS, address);
}

void Describe(const char* verb, const IpAddress& address, uint8_t prefix, const char* device,
              char* out, size_t size) {
  snprintf(out, size, "%s %s/%u on %s", verb, IpText(address).s, prefix, device);
}

}  // namespace

bool ParseAddressMessage(const nlmsghdr* msg, AddressInfo* out) {
  const ifaddrmsg* ifa = FamilyHeader<ifaddrmsg>(msg);
  AttrTable attrs;
  if (!ifa || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)) return false;
  const int af = ifa->ifa_family;
  if (ifa->ifa_prefixlen > (af == AF_INET6 ? 128 : 32)) return false;
  if (!attrs.ParseMessage(msg, sizeof(ifaddrmsg))) return false;
  IpAddress local, peer;
  // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on
  // point-to-point links and equal to IFA_LOCAL elsewhere (IPv6 sends
  // IFA_ADDRESS alone unless there is a peer). One of the wrong size, or a
  // short IFA_FLAGS, is a message to refuse, not to read around.
  if (attrs.Has(IFA_ADDRESS) && !attrs.GetIp(IFA_ADDRESS, af, &peer)) return false;
  if (!attrs.GetIp(attrs.Has(IFA_LOCAL) ? IFA_LOCAL : IFA_ADDRESS, af, &local)) return false;
  uint32_t flags = ifa->ifa_flags;
  if (attrs.Has(IFA_FLAGS) && !attrs.GetU32(IFA_FLAGS, &flags)) return false;
  out->ifindex = static_cast<int>(ifa->ifa_index);
  out->address = local;
  out->prefix = ifa->ifa_prefixlen;
  out->secondary = af == AF_INET && (flags & IFA_F_SECONDARY) != 0;
  out->tentative = af == AF_INET6 && (flags & IFA_F_TENTATIVE) != 0;
  out->dad_failed = af == AF_INET6 && (flags & IFA_F_DADFAILED) != 0;
  out->temporary = af == AF_INET6 && (flags & IFA_F_TEMPORARY) != 0;
  out->deprecated = af == AF_INET6 && (flags & IFA_F_DEPRECATED) != 0;
  return true;
}

Status VisitAddresses(NetlinkSocket& nl, int af, int ifindex, AddressVisitor& visitor) {
  Request<ifaddrmsg> req(RTM_GETADDR, 0);
  req.family().ifa_family = static_cast<uint8_t>(af);
  req.family().ifa_index = static_cast<uint32_t>(ifindex);  // a filter under NETLINK_GET_STRICT_CHK
  AddressDump dump(af, ifindex, visitor);
  return nl.Dump(req, dump, af == AF_INET6 ? "read IPv6 addresses" : "read IPv4 addresses");
}

Result<bool> IsNodeAddress(NetlinkSocket& nl, const IpAddress& address) {
  AddressFinder finder(address);
  Status s = VisitAddresses(nl, address.af(), 0, finder);
  if (!s.ok()) return s;
  return finder.found;
}

void PutNewAddress(Request<ifaddrmsg>& req, const LinkInfo& link, const IpAddress& address,
                   uint8_t prefix, SourceUse use) {
  PutExactAddress(req, link, address, prefix);
  if (address.is_v6()) {
    req.family().ifa_flags = IFA_F_NODAD;
    // Without IFA_CACHEINFO both lifetimes are forever, as for IPv4; a
    // preferred lifetime of 0 makes the kernel add it IFA_F_DEPRECATED.
    if (use == SourceUse::kDeprecated) {
      ifa_cacheinfo lifetimes = {};
      lifetimes.ifa_prefered = 0;
      lifetimes.ifa_valid = kForever;
      req.PutAttr(IFA_CACHEINFO, &lifetimes, sizeof lifetimes);
    }
  } else {
    if (prefix < 31) req.PutIp(IFA_BROADCAST, BroadcastOf(address.v4(), prefix));
    req.PutString(IFA_LABEL, link.name);
  }
}

Status AddAddress(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address, uint8_t prefix,
                  SourceUse use) {
  Request<ifaddrmsg> req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  PutNewAddress(req, link, address, prefix, use);
  char what[112];
  Describe("add", address, prefix, link.name, what, sizeof what);
  return nl.Request(req, what);
}

Status ReplaceAddress(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address,
                      uint8_t prefix, SourceUse use) {
  Request<ifaddrmsg> req(RTM_NEWADDR, NLM_F_REPLACE | NLM_F_CREATE);
  PutNewAddress(req, link, address, prefix, use);
  char what[112];
  Describe("replace", address, prefix, link.name, what, sizeof what);
  return nl.Request(req, what);
}

Status DeleteAddress(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address,
                     uint8_t prefix) {
  char what[112];
  Describe("delete", address, prefix, link.name, what, sizeof what);
  SiblingFinder siblings(address, prefix);
  Status listed = VisitAddresses(nl, address.af(), link.ifindex, siblings);
  if (!listed.ok()) return listed;
  uint32_t promote_before = 1;
  if (siblings.WouldTakeSiblings()) {
    Result<uint32_t> promote = GetPromoteSecondaries(nl, link);
    if (!promote.ok()) return promote.status();
    promote_before = promote.value();
    if (promote_before == 0) {
      Status s = SetPromoteSecondaries(nl, link, 1);
      if (!s.ok()) return s;
    }
  }
  Request<ifaddrmsg> req(RTM_DELADDR, 0);
  PutExactAddress(req, link, address, prefix);
  Status deleted = nl.Request(req, what);
  if (promote_before == 0) {
    Status restored = SetPromoteSecondaries(nl, link, 0);
    if (deleted.ok() && !restored.ok()) return restored;
  }
  return deleted;
}

}  // namespace ipres
