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

class AddressCollector final : public DumpHandler {
 public:
  AddressCollector(int ifindex, AddressList* out) : ifindex_(ifindex), out_(out) {}
  void Reset() override { out_->count = 0; }
  Status OnMessage(const nlmsghdr* msg) override {
    if (msg->nlmsg_type != RTM_NEWADDR) return Status::Ok();
    AddressInfo info;
    if (!ParseAddressMessage(msg, &info)) return Status::Ok();  // another family
    if (ifindex_ != 0 && info.ifindex != ifindex_) return Status::Ok();
    if (out_->count == kMaxAddresses) {
      return Status::Errno(ENOSPC, "more than %zu IPv4 addresses", kMaxAddresses);
    }
    out_->items[out_->count++] = info;
    return Status::Ok();
  }

 private:
  int ifindex_;
  AddressList* out_;
};

// True when deleting `address` would take other addresses with it: it is
// the primary of its subnet and the subnet has secondaries.
Result<bool> WouldTakeSiblings(NetlinkSocket& nl, const LinkInfo& link, Ipv4 address,
                               uint8_t prefix) {
  AddressList list;
  Status s = ListAddresses(nl, link.ifindex, &list);
  if (!s.ok()) return s;
  bool primary = false, siblings = false;
  for (size_t i = 0; i < list.count; ++i) {
    const AddressInfo& a = list.items[i];
    if (a.prefix != prefix || NetworkOf(a.address, prefix) != NetworkOf(address, prefix)) continue;
    if (a.address == address) {
      primary = !a.secondary;
    } else if (a.secondary) {
      siblings = true;
    }
  }
  return primary && siblings;
}

// The family header and both address attributes: with IFA_LOCAL and
// IFA_ADDRESS given, only this address/prefix on this device can match.
void PutExactAddress(Request& req, const LinkInfo& link, Ipv4 address, uint8_t prefix) {
  ifaddrmsg* ifa = req.PutHeader<ifaddrmsg>();
  if (ifa) {
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = prefix;
    ifa->ifa_index = static_cast<uint32_t>(link.ifindex);
  }
  req.PutIpv4(IFA_LOCAL, address);
  req.PutIpv4(IFA_ADDRESS, address);
}

void Describe(const char* verb, Ipv4 address, uint8_t prefix, const char* device, char* out,
              size_t size) {
  char a[16];
  snprintf(out, size, "%s %s/%u on %s", verb, FormatIpv4(address, a), prefix, device);
}

}  // namespace

bool ParseAddressMessage(const nlmsghdr* msg, AddressInfo* out) {
  const ifaddrmsg* ifa = FamilyHeader<ifaddrmsg>(msg);
  AttrTable attrs;
  if (!ifa || ifa->ifa_family != AF_INET || ifa->ifa_prefixlen > 32) return false;
  if (!attrs.ParseMessage(msg, sizeof(ifaddrmsg))) return false;
  Ipv4 local;
  // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on
  // point-to-point links and equal to IFA_LOCAL elsewhere.
  if (!attrs.GetIpv4(IFA_LOCAL, &local) && !attrs.GetIpv4(IFA_ADDRESS, &local)) return false;
  uint32_t flags = ifa->ifa_flags;
  attrs.GetU32(IFA_FLAGS, &flags);
  out->ifindex = static_cast<int>(ifa->ifa_index);
  out->address = local;
  out->prefix = ifa->ifa_prefixlen;
  out->secondary = (flags & IFA_F_SECONDARY) != 0;
  return true;
}

Status ListAddresses(NetlinkSocket& nl, int ifindex, AddressList* out) {
  Request req(RTM_GETADDR, 0);
  ifaddrmsg* ifa = req.PutHeader<ifaddrmsg>();
  if (ifa) ifa->ifa_family = AF_INET;
  AddressCollector collector(ifindex, out);
  return nl.Dump(req, collector, "list IPv4 addresses");
}

Status AddAddress(NetlinkSocket& nl, const LinkInfo& link, Ipv4 address, uint8_t prefix,
                  Ipv4 broadcast) {
  Request req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  PutExactAddress(req, link, address, prefix);
  if (prefix < 31) req.PutIpv4(IFA_BROADCAST, broadcast);
  req.PutString(IFA_LABEL, link.name);
  char what[80];
  Describe("add", address, prefix, link.name, what, sizeof what);
  return nl.Request(req, what);
}

Status DeleteAddress(NetlinkSocket& nl, const LinkInfo& link, Ipv4 address, uint8_t prefix) {
  char what[80];
  Describe("delete", address, prefix, link.name, what, sizeof what);
  Result<bool> siblings = WouldTakeSiblings(nl, link, address, prefix);
  if (!siblings.ok()) return siblings.status();
  uint32_t promote_before = 1;
  if (siblings.value()) {
    Result<uint32_t> promote = GetPromoteSecondaries(nl, link);
    if (!promote.ok()) return promote.status();
    promote_before = promote.value();
    if (promote_before == 0) {
      Status s = SetPromoteSecondaries(nl, link, 1);
      if (!s.ok()) return s;
    }
  }
  Request req(RTM_DELADDR, 0);
  PutExactAddress(req, link, address, prefix);
  Status deleted = nl.Request(req, what);
  if (promote_before == 0) {
    Status restored = SetPromoteSecondaries(nl, link, 0);
    if (deleted.ok() && !restored.ok()) return restored;
  }
  return deleted;
}

}  // namespace ipres
