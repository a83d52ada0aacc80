// SPDX-License-Identifier: Apache-2.0
// Link and address events decoded from the bytes the kernel multicasts:
// each message that is one of them becomes one NetEvent; anything else, or
// anything malformed, is no event.
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "cmocka_cxx.h"
#include "data/netlink6_captures.h"
#include "net/net_event.h"
#include "netlink/attr.h"
#include "netlink/message.h"

using namespace ipres;

namespace {

constexpr Ipv4 kVip{0xc0000264u};  // 192.0.2.100

struct Datagram {
  alignas(nlmsghdr) uint8_t bytes[256] = {};
  MessageBuilder b{bytes, sizeof bytes};

  // Starts a message of `type` whose family header is a Family.
  template <typename Family>
  Family* Begin(uint16_t type) {
    b.Begin(type, 0, sizeof(Family));
    return reinterpret_cast<Family*>(NLMSG_DATA(b.header()));
  }
};

void PutLink(Datagram& d, uint16_t type, int ifindex, unsigned flags, const char* name) {
  ifinfomsg* ifi = d.Begin<ifinfomsg>(type);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = ifindex;
  ifi->ifi_flags = flags;
  if (name) d.b.PutString(IFLA_IFNAME, name);
}

void PutAddress(Datagram& d, uint16_t type, uint8_t family, uint8_t prefix, uint16_t attr) {
  ifaddrmsg* ifa = d.Begin<ifaddrmsg>(type);
  ifa->ifa_family = family;
  ifa->ifa_prefixlen = prefix;
  ifa->ifa_index = 2;
  if (attr) d.b.PutIp(attr, kVip);
}

// What the monitor's NextEvent does with one datagram of one message.
bool Decode(const Datagram& d, NetEvent* ev) {
  assert_true(d.b.ok());
  MessageReader reader(d.bytes, d.b.size());
  const nlmsghdr* msg = reader.Next();
  assert_non_null(msg);
  *ev = NetEvent();
  return DecodeNetEvent(msg, ev);
}

void LinkEvents(void**) {
  Datagram up;
  PutLink(up, RTM_NEWLINK, 2, IFF_UP | IFF_RUNNING | IFF_LOWER_UP, "eth0");
  NetEvent ev;
  assert_true(Decode(up, &ev));
  assert_int_equal(ev.kind, NetEventKind::kLinkChanged);
  assert_int_equal(ev.ifindex, 2);
  assert_true(ev.carrier);
  assert_string_equal(ev.device, "eth0");

  Datagram no_carrier;
  PutLink(no_carrier, RTM_NEWLINK, 2, IFF_UP, "eth0");
  assert_true(Decode(no_carrier, &ev));
  assert_false(ev.carrier);

  Datagram down;
  PutLink(down, RTM_NEWLINK, 2, IFF_RUNNING | IFF_LOWER_UP, "eth0");
  assert_true(Decode(down, &ev));
  assert_false(ev.carrier);

  Datagram gone;  // a deleted device has no carrier, whatever its last flags
  PutLink(gone, RTM_DELLINK, 3, IFF_UP | IFF_RUNNING | IFF_LOWER_UP, "eth1");
  assert_true(Decode(gone, &ev));
  assert_int_equal(ev.kind, NetEventKind::kLinkChanged);
  assert_int_equal(ev.ifindex, 3);
  assert_false(ev.carrier);
  assert_string_equal(ev.device, "eth1");

  Datagram long_name;  // longer than IFNAMSIZ allows: the event, without a name
  PutLink(long_name, RTM_NEWLINK, 2, IFF_UP | IFF_RUNNING, "a-name-of-sixteen");
  assert_true(Decode(long_name, &ev));
  assert_string_equal(ev.device, "");
}

void AddressEvents(void**) {
  Datagram added;
  PutAddress(added, RTM_NEWADDR, AF_INET, 24, IFA_LOCAL);
  NetEvent ev;
  assert_true(Decode(added, &ev));
  assert_int_equal(ev.kind, NetEventKind::kAddressAdded);
  assert_int_equal(ev.ifindex, 2);
  assert_int_equal(ev.address.v4().value, kVip.value);
  assert_int_equal(ev.prefix, 24);

  Datagram removed;  // IFA_ADDRESS alone stands for IFA_LOCAL
  PutAddress(removed, RTM_DELADDR, AF_INET, 32, IFA_ADDRESS);
  assert_true(Decode(removed, &ev));
  assert_int_equal(ev.kind, NetEventKind::kAddressRemoved);
  assert_int_equal(ev.address.v4().value, kVip.value);
  assert_int_equal(ev.prefix, 32);
}

// What a real kernel multicast on RTNLGRP_IPV6_IFADDR for `ip -6 addr add
// 2001:db8::300/64 dev eth0 nodad` and its delete.
void RealIpv6AddressEvents(void**) {
  // An x86_64 kernel's bytes: netlink is in the host's byte order, so on a
  // big-endian build (make unit-test-be) they are no message of its kernel.
  if (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) skip();
  Ipv6 vip;
  assert_true(ParseIpv6("2001:db8::300", 13, &vip));
  NetEvent ev;
  MessageReader added(kNewAddr6Event, sizeof kNewAddr6Event);
  const nlmsghdr* msg = added.Next();
  assert_non_null(msg);
  assert_true(DecodeNetEvent(msg, &ev));
  assert_int_equal(ev.kind, NetEventKind::kAddressAdded);
  assert_int_equal(ev.ifindex, 3);
  assert_true(ev.address == vip);
  assert_int_equal(ev.prefix, 64);
  assert_false(ev.tentative);
  assert_false(ev.dad_failed);
  assert_null(added.Next());

  MessageReader removed(kDelAddr6Event, sizeof kDelAddr6Event);
  msg = removed.Next();
  assert_non_null(msg);
  ev = NetEvent();
  assert_true(DecodeNetEvent(msg, &ev));
  assert_int_equal(ev.kind, NetEventKind::kAddressRemoved);
  assert_int_equal(ev.ifindex, 3);
  assert_true(ev.address == vip);
  assert_int_equal(ev.prefix, 64);
}

// The kernel's second RTM_NEWADDR for an address whose DAD failed: the
// same address, "added" again, with IFA_F_DADFAILED in IFA_FLAGS.
void Ipv6DadFailureIsAnAddedEventWithItsFlags(void**) {
  Datagram d;
  ifaddrmsg* ifa = d.Begin<ifaddrmsg>(RTM_NEWADDR);
  ifa->ifa_family = AF_INET6;
  ifa->ifa_prefixlen = 64;
  ifa->ifa_index = 3;
  Ipv6 vip;
  assert_true(ParseIpv6("2001:db8::200", 13, &vip));
  d.b.PutIp(IFA_ADDRESS, vip);
  d.b.PutU32(IFA_FLAGS, IFA_F_PERMANENT | IFA_F_TENTATIVE | IFA_F_DADFAILED);
  NetEvent ev;
  assert_true(Decode(d, &ev));
  assert_int_equal(ev.kind, NetEventKind::kAddressAdded);
  assert_true(ev.address == vip);
  assert_true(ev.tentative);
  assert_true(ev.dad_failed);

  Datagram v4;  // IPv4 has no DAD: its flags never say so
  PutAddress(v4, RTM_NEWADDR, AF_INET, 24, IFA_LOCAL);
  v4.b.PutU32(IFA_FLAGS, IFA_F_TENTATIVE | IFA_F_DADFAILED);
  assert_true(Decode(v4, &ev));
  assert_false(ev.tentative);
  assert_false(ev.dad_failed);
}

// The kernel's RTM_NEWADDR for an address added deprecated (preferred
// lifetime 0, as restore adds one with SOURCE_ADDRESS=0): an address that
// came up like any other, neither tentative nor dadfailed, so the monitor
// schedules its repeat announcement and checks nothing.
void Ipv6DeprecatedIsAnAddedEventAsAnyOther(void**) {
  Datagram d;
  ifaddrmsg* ifa = d.Begin<ifaddrmsg>(RTM_NEWADDR);
  ifa->ifa_family = AF_INET6;
  ifa->ifa_prefixlen = 64;
  ifa->ifa_index = 3;
  ifa->ifa_flags = IFA_F_NODAD | IFA_F_DEPRECATED | IFA_F_PERMANENT;
  Ipv6 vip;
  assert_true(ParseIpv6("2001:db8::100", 13, &vip));
  d.b.PutIp(IFA_ADDRESS, vip);
  d.b.PutU32(IFA_FLAGS, IFA_F_NODAD | IFA_F_DEPRECATED | IFA_F_PERMANENT);
  NetEvent ev;
  assert_true(Decode(d, &ev));
  assert_int_equal(ev.kind, NetEventKind::kAddressAdded);
  assert_true(ev.address == vip);
  assert_false(ev.tentative);
  assert_false(ev.dad_failed);
}

void OtherMessagesAreNoEvent(void**) {
  NetEvent ev;
  Datagram route;
  route.Begin<rtmsg>(RTM_NEWROUTE)->rtm_family = AF_INET;
  assert_false(Decode(route, &ev));

  Datagram done;
  done.Begin<int>(NLMSG_DONE);
  assert_false(Decode(done, &ev));

  Datagram inet6;  // an AF_INET6 message with a 4-byte address
  PutAddress(inet6, RTM_NEWADDR, AF_INET6, 64, IFA_LOCAL);
  assert_false(Decode(inet6, &ev));
}

void MalformedMessagesAreNoEvent(void**) {
  NetEvent ev;
  Datagram short_link;  // cut inside its ifinfomsg
  PutLink(short_link, RTM_NEWLINK, 2, IFF_UP, nullptr);
  short_link.b.header()->nlmsg_len = NLMSG_LENGTH(sizeof(ifinfomsg) - 4);
  MessageReader reader(short_link.bytes, short_link.b.header()->nlmsg_len);
  const nlmsghdr* msg = reader.Next();
  assert_non_null(msg);
  assert_false(DecodeNetEvent(msg, &ev));

  Datagram no_index;
  PutLink(no_index, RTM_NEWLINK, 0, IFF_UP | IFF_RUNNING, "eth0");
  assert_false(Decode(no_index, &ev));

  Datagram overrun;  // an attribute longer than the message
  PutLink(overrun, RTM_NEWLINK, 2, IFF_UP | IFF_RUNNING, "eth0");
  reinterpret_cast<nlattr*>(overrun.bytes + NLMSG_SPACE(sizeof(ifinfomsg)))->nla_len = 200;
  assert_false(Decode(overrun, &ev));

  Datagram wide_prefix;
  PutAddress(wide_prefix, RTM_NEWADDR, AF_INET, 33, IFA_LOCAL);
  assert_false(Decode(wide_prefix, &ev));

  Datagram no_address;
  PutAddress(no_address, RTM_DELADDR, AF_INET, 24, 0);
  assert_false(Decode(no_address, &ev));

  Datagram short_address;  // IFA_LOCAL of two bytes
  PutAddress(short_address, RTM_NEWADDR, AF_INET, 24, 0);
  const uint16_t half = 0xc000;
  short_address.b.PutAttr(IFA_LOCAL, &half, sizeof half);
  assert_false(Decode(short_address, &ev));
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(LinkEvents),
      cmocka_unit_test(AddressEvents),
      cmocka_unit_test(RealIpv6AddressEvents),
      cmocka_unit_test(Ipv6DadFailureIsAnAddedEventWithItsFlags),
      cmocka_unit_test(Ipv6DeprecatedIsAnAddedEventAsAnyOther),
      cmocka_unit_test(OtherMessagesAreNoEvent),
      cmocka_unit_test(MalformedMessagesAreNoEvent),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
