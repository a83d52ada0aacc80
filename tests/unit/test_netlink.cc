// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "cmocka_cxx.h"
#include "data/netlink6_captures.h"
#include "data/netlink_captures.h"
#include "net/address.h"
#include "net/link.h"
#include "net/route.h"
#include "netlink/attr.h"
#include "netlink/message.h"
#include "netlink/socket.h"

using namespace ipres;

namespace {

// ---- builder ---------------------------------------------------------------

void BuilderLaysOutHeaderAndAlignedAttributes(void**) {
  Request<ifaddrmsg> b(RTM_NEWADDR, NLM_F_CREATE);
  b.family().ifa_prefixlen = 24;
  b.PutU8(7, 0xab);                // 5 bytes, padded to 8
  b.PutString(IFA_LABEL, "eth0");  // 9 bytes, padded to 12
  b.PutIp(IFA_LOCAL, Ipv4{0xc0000264u});
  assert_true(b.ok());
  assert_int_equal(b.size(), 16 + 8 + 8 + 12 + 8);
  assert_int_equal(b.header()->nlmsg_len, b.size());
  assert_int_equal(b.header()->nlmsg_type, RTM_NEWADDR);
  // libmnl, the oracle, reads back what we wrote.
  const nlmsghdr* nlh = b.header();
  assert_true(mnl_nlmsg_ok(nlh, static_cast<int>(b.size())));
  const ifaddrmsg* ifa = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(nlh));
  assert_int_equal(ifa->ifa_prefixlen, 24);
  const nlattr* attrs[IFA_MAX + 8] = {};
  auto cb = [](const nlattr* a, void* data) -> int {
    static_cast<const nlattr**>(data)[mnl_attr_get_type(a)] = a;
    return MNL_CB_OK;
  };
  assert_int_equal(mnl_attr_parse(nlh, sizeof(ifaddrmsg), cb, attrs), MNL_CB_OK);
  assert_int_equal(mnl_attr_get_u8(attrs[7]), 0xab);
  assert_string_equal(mnl_attr_get_str(attrs[IFA_LABEL]), "eth0");
  assert_int_equal(mnl_attr_get_u32(attrs[IFA_LOCAL]), htonl(0xc0000264u));
}

void BuilderNests(void**) {
  Request<ifinfomsg> b(RTM_NEWLINK, 0);
  nlattr* outer = b.BeginNest(IFLA_AF_SPEC);
  nlattr* inner = b.BeginNest(AF_INET);
  b.PutU32(1, 42);
  b.EndNest(inner);
  b.EndNest(outer);
  assert_true(b.ok());
  assert_int_equal(outer->nla_len, 4 + 4 + 8);
  assert_int_equal(inner->nla_len, 4 + 8);
  assert_true(outer->nla_type & NLA_F_NESTED);
  AttrTable top, spec, inet;
  assert_true(top.ParseMessage(b.header(), sizeof(ifinfomsg)));
  assert_true(spec.ParseNested(top, IFLA_AF_SPEC));
  assert_true(inet.ParseNested(spec, AF_INET));
  uint32_t v = 0;
  assert_true(inet.GetU32(1, &v));
  assert_int_equal(v, 42);
}

void BuilderOverflowIsRemembered(void**) {
  alignas(nlmsghdr) uint8_t buf[40];
  MessageBuilder b(buf, sizeof buf);
  b.Begin(RTM_NEWADDR, 0, sizeof(ifaddrmsg));   // 24 bytes used
  b.PutString(IFA_LABEL, "a-very-long-label");  // does not fit
  assert_false(b.ok());
  b.PutU32(1, 1);  // would fit, but the message is already broken
  assert_false(b.ok());
  assert_int_equal(b.size(), 24);
  assert_null(b.BeginNest(1));
}

void RequestStartsWithBothHeadersZeroed(void**) {
  Request<rtmsg> r(RTM_GETROUTE, NLM_F_DUMP);
  assert_true(r.ok());
  assert_int_equal(r.size(), NLMSG_LENGTH(sizeof(rtmsg)));
  assert_int_equal(r.header()->nlmsg_len, r.size());
  assert_int_equal(r.header()->nlmsg_type, RTM_GETROUTE);
  assert_int_equal(r.header()->nlmsg_flags, NLM_F_DUMP);
  assert_ptr_equal(&r.family(), NLMSG_DATA(r.header()));
  const rtmsg zero = {};
  assert_memory_equal(&r.family(), &zero, sizeof zero);
  r.family().rtm_family = AF_INET;
  r.PutU32(RTA_TABLE, RT_TABLE_MAIN);  // attributes follow the family header
  AttrTable attrs;
  assert_true(attrs.ParseMessage(r.header(), sizeof(rtmsg)));
  uint32_t table = 0;
  assert_true(attrs.GetU32(RTA_TABLE, &table));
  assert_int_equal(table, RT_TABLE_MAIN);
}

// ---- parser on hostile bytes -------------------------------------------------

struct Attr8 {
  uint16_t len, type;
  uint8_t payload[4];
};

void AttrTableRejectsBadLengths(void**) {
  AttrTable t;
  Attr8 a = {3, 1, {0}};  // shorter than its own header
  assert_false(t.Parse(&a, sizeof a));
  a = {9, 1, {0}};  // runs past the end
  assert_false(t.Parse(&a, sizeof a));
  a = {8, 1, {1, 2, 3, 4}};
  assert_false(t.Parse(&a, 3));  // truncated header
  assert_true(t.Parse(&a, sizeof a));
  assert_true(t.Parse(nullptr, 0));
  assert_false(t.Has(1));
}

void AttrTableChecksPayloadSizes(void**) {
  AttrTable t;
  Attr8 a = {6, 1, {1, 2, 0, 0}};  // 2-byte payload
  assert_true(t.Parse(&a, sizeof a));
  uint32_t u32;
  uint8_t u8;
  IpAddress ip;
  const char* s;
  assert_false(t.GetU32(1, &u32));
  assert_false(t.GetU8(1, &u8));
  assert_false(t.GetIp(1, AF_INET, &ip));
  assert_false(t.GetString(1, &s));  // no NUL inside the payload
  assert_false(t.GetU32(2, &u32));   // absent
  assert_false(t.GetU32(AttrTable::kMaxType + 1, &u32));
  Attr8 str = {7, 3, {'a', 'b', '\0', 0}};
  assert_true(t.Parse(&str, sizeof str));
  assert_true(t.GetString(3, &s));
  assert_string_equal(s, "ab");
}

void MessageReaderStopsAtLies(void**) {
  alignas(nlmsghdr) uint8_t buf[64] = {};
  nlmsghdr* h = reinterpret_cast<nlmsghdr*>(buf);
  h->nlmsg_len = 200;  // longer than what arrived
  MessageReader r(buf, sizeof buf);
  assert_null(r.Next());
  assert_true(r.malformed());
  h->nlmsg_len = 8;  // shorter than a header
  MessageReader r2(buf, sizeof buf);
  assert_null(r2.Next());
  assert_true(r2.malformed());
  h->nlmsg_len = 16;
  MessageReader r3(buf, 20);  // a valid message, then 4 stray bytes
  assert_non_null(r3.Next());
  assert_null(r3.Next());
  assert_true(r3.malformed());
}

void ParsersRejectTruncatedMessages(void**) {
  // Every prefix of a real RTM_NEWADDR is either rejected or parsed whole.
  const nlmsghdr* first = reinterpret_cast<const nlmsghdr*>(kGetAddrDump);
  alignas(nlmsghdr) uint8_t copy[256];
  assert_true(first->nlmsg_len <= sizeof copy);
  for (uint32_t len = 16; len < first->nlmsg_len; ++len) {
    memcpy(copy, kGetAddrDump, len);
    reinterpret_cast<nlmsghdr*>(copy)->nlmsg_len = len;
    AddressInfo info;
    if (ParseAddressMessage(reinterpret_cast<nlmsghdr*>(copy), &info)) {
      assert_int_equal(info.address.v4().value & 0xffffff00u, 0xc0000200u);  // never garbage
    }
  }
}

Ipv6 V6(const char* text) {
  Ipv6 a;
  assert_true(ParseIpv6(text, strlen(text), &a));
  return a;
}

// An IPv6 address message as the kernel sends one for eth0, with the
// address attributes given by the caller.
void BeginAddress6(Request<ifaddrmsg>& m, uint8_t prefix) {
  m.family().ifa_family = AF_INET6;
  m.family().ifa_prefixlen = prefix;
  m.family().ifa_index = 3;
}

void Ipv6AddressMessagesOfTheWrongShapeAreRefused(void**) {
  const Ipv6 vip = V6("2001:db8::100");
  const uint32_t v4 = htonl(0xc0000264u);
  AddressInfo info;
  Request<ifaddrmsg> short_address(RTM_NEWADDR, 0);  // an IPv4-sized IFA_ADDRESS
  BeginAddress6(short_address, 64);
  short_address.PutAttr(IFA_ADDRESS, &v4, sizeof v4);
  assert_false(ParseAddressMessage(short_address.header(), &info));

  Request<ifaddrmsg> short_local(RTM_NEWADDR, 0);  // a bad IFA_LOCAL is no fallback
  BeginAddress6(short_local, 64);
  short_local.PutAttr(IFA_LOCAL, &v4, sizeof v4);
  short_local.PutIp(IFA_ADDRESS, vip);
  assert_false(ParseAddressMessage(short_local.header(), &info));

  Request<ifaddrmsg> short_peer(RTM_NEWADDR, 0);
  BeginAddress6(short_peer, 64);
  short_peer.PutIp(IFA_LOCAL, vip);
  short_peer.PutAttr(IFA_ADDRESS, &v4, sizeof v4);
  assert_false(ParseAddressMessage(short_peer.header(), &info));

  Request<ifaddrmsg> wide_prefix(RTM_NEWADDR, 0);
  BeginAddress6(wide_prefix, 129);
  wide_prefix.PutIp(IFA_ADDRESS, vip);
  assert_false(ParseAddressMessage(wide_prefix.header(), &info));

  Request<ifaddrmsg> short_flags(RTM_NEWADDR, 0);  // IFA_FLAGS must be a u32
  BeginAddress6(short_flags, 64);
  short_flags.PutIp(IFA_ADDRESS, vip);
  short_flags.PutU8(IFA_FLAGS, IFA_F_TENTATIVE);
  assert_false(ParseAddressMessage(short_flags.header(), &info));

  Request<ifaddrmsg> v4_family(RTM_NEWADDR, 0);  // 16 bytes in an AF_INET message
  v4_family.family().ifa_family = AF_INET;
  v4_family.family().ifa_prefixlen = 24;
  v4_family.PutIp(IFA_LOCAL, vip);
  assert_false(ParseAddressMessage(v4_family.header(), &info));

  Request<ifaddrmsg> well_formed(RTM_NEWADDR, 0);  // IFA_FLAGS has the last word
  BeginAddress6(well_formed, 64);
  well_formed.PutIp(IFA_ADDRESS, vip);
  well_formed.PutU32(IFA_FLAGS, IFA_F_DADFAILED | IFA_F_TENTATIVE);
  assert_true(ParseAddressMessage(well_formed.header(), &info));
  assert_true(info.address == vip);
  assert_true(info.tentative);
  assert_true(info.dad_failed);
}

// A deprecated address (preferred lifetime 0: a resource's with
// SOURCE_ADDRESS=0) is told apart from a privacy one, and is neither
// tentative nor dadfailed: it is in service. The flags as the kernel sends
// them for `ip -6 addr add ... nodad preferred_lft 0`.
void Ipv6DeprecatedAndTemporaryAreTheirOwnFlags(void**) {
  AddressInfo info;
  Request<ifaddrmsg> deprecated(RTM_NEWADDR, 0);
  BeginAddress6(deprecated, 64);
  deprecated.PutIp(IFA_ADDRESS, V6("2001:db8::100"));
  deprecated.PutU32(IFA_FLAGS, IFA_F_NODAD | IFA_F_DEPRECATED | IFA_F_PERMANENT);
  assert_true(ParseAddressMessage(deprecated.header(), &info));
  assert_true(info.deprecated);
  assert_false(info.temporary);
  assert_false(info.tentative);
  assert_false(info.dad_failed);

  Request<ifaddrmsg> temporary(RTM_NEWADDR, 0);
  BeginAddress6(temporary, 64);
  temporary.PutIp(IFA_ADDRESS, V6("2001:db8::5:4:3"));
  temporary.PutU32(IFA_FLAGS, IFA_F_TEMPORARY);
  assert_true(ParseAddressMessage(temporary.header(), &info));
  assert_true(info.temporary);
  assert_false(info.deprecated);

  Request<ifaddrmsg> v4(RTM_NEWADDR, 0);  // IPv4 has neither
  v4.family().ifa_family = AF_INET;
  v4.family().ifa_prefixlen = 24;
  v4.PutIp(IFA_LOCAL, Ipv4{0xc0000264u});
  v4.PutU32(IFA_FLAGS, IFA_F_DEPRECATED | IFA_F_TEMPORARY);
  assert_true(ParseAddressMessage(v4.header(), &info));
  assert_false(info.deprecated);
  assert_false(info.temporary);
}

void Ipv6RouteMessagesOfTheWrongShapeAreRefused(void**) {
  const uint32_t v4 = htonl(0xc0000200u);
  RouteInfo route;
  auto begin = [](Request<rtmsg>& m) {
    m.family().rtm_family = AF_INET6;
    m.family().rtm_dst_len = 64;
    m.family().rtm_table = RT_TABLE_MAIN;
    m.family().rtm_type = RTN_UNICAST;
    m.PutU32(RTA_OIF, 3);
  };
  Request<rtmsg> short_destination(RTM_NEWROUTE, 0);  // would read as ::/64
  begin(short_destination);
  short_destination.PutAttr(RTA_DST, &v4, sizeof v4);
  assert_false(ParseRouteMessage(short_destination.header(), &route));

  Request<rtmsg> no_destination(RTM_NEWROUTE, 0);
  begin(no_destination);
  assert_false(ParseRouteMessage(no_destination.header(), &route));

  Request<rtmsg> short_source(RTM_NEWROUTE, 0);  // would read as no source
  begin(short_source);
  short_source.PutIp(RTA_DST, V6("2001:db8::"));
  short_source.PutAttr(RTA_PREFSRC, &v4, sizeof v4);
  assert_false(ParseRouteMessage(short_source.header(), &route));

  Request<rtmsg> wide_prefix(RTM_NEWROUTE, 0);
  begin(wide_prefix);
  wide_prefix.family().rtm_dst_len = 129;
  wide_prefix.PutIp(RTA_DST, V6("2001:db8::"));
  assert_false(ParseRouteMessage(wide_prefix.header(), &route));

  Request<rtmsg> default_route(RTM_NEWROUTE, 0);  // ::/0 carries no RTA_DST
  begin(default_route);
  default_route.family().rtm_dst_len = 0;
  assert_true(ParseRouteMessage(default_route.header(), &route));
  assert_true(route.destination == Ipv6{});
  assert_true(route.preferred_source == Ipv6{});
}

// ---- requests, byte for byte ---------------------------------------------------

LinkInfo Eth0(int ifindex) {
  LinkInfo link;
  link.ifindex = ifindex;
  memcpy(link.name, "eth0", 5);
  return link;
}

// The request's bytes past nlmsg_seq and nlmsg_pid, which the socket sets.
void ExpectRequest(MessageBuilder& req, uint16_t type, uint16_t flags, const uint8_t* body,
                   size_t body_len) {
  assert_true(req.ok());
  assert_int_equal(req.size(), NLMSG_HDRLEN + body_len);
  assert_int_equal(req.header()->nlmsg_len, req.size());
  assert_int_equal(req.header()->nlmsg_type, type);
  assert_int_equal(req.header()->nlmsg_flags, flags);
  assert_memory_equal(req.data() + NLMSG_HDRLEN, body, body_len);
}

#define V6_2001_DB8(last2, last1) 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last2, last1

void NewAddressRequestIpv6(void**) {
  // As `ip -6 addr add 2001:db8::100/64 dev eth0 nodad` sends it (strace):
  // IFA_F_NODAD in the header, no IFA_BROADCAST, no IFA_LABEL.
  Request<ifaddrmsg> req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  PutNewAddress(req, Eth0(3), V6("2001:db8::100"), 64, SourceUse::kPreferred);
  const uint8_t body[] = {
      AF_INET6,
      64,
      IFA_F_NODAD,
      RT_SCOPE_UNIVERSE,
      3,
      0,
      0,
      0,  // ifaddrmsg
      20,
      0,
      IFA_LOCAL,
      0,
      V6_2001_DB8(0x01, 0x00),  //
      20,
      0,
      IFA_ADDRESS,
      0,
      V6_2001_DB8(0x01, 0x00),  //
  };
  ExpectRequest(req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, body, sizeof body);
}

void NewAddressRequestIpv4IsAsBefore(void**) {
  // What ipres sent before IPv6 (strace of the IPv4-only build).
  Request<ifaddrmsg> req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  PutNewAddress(req, Eth0(2), Ipv4{0xc0000264u}, 25, SourceUse::kPreferred);
  const uint8_t body[] = {
      AF_INET, 25,   0,
      0,       2,    0,
      0,       0,  // ifaddrmsg
      8,       0,    IFA_LOCAL,
      0,       0xc0, 0,
      2,       0x64,  //
      8,       0,    IFA_ADDRESS,
      0,       0xc0, 0,
      2,       0x64,  //
      8,       0,    IFA_BROADCAST,
      0,       0xc0, 0,
      2,       0x7f,  // 192.0.2.127
      9,       0,    IFA_LABEL,
      0,       'e',  't',
      'h',     '0',  0,
      0,       0,    0,  //
  };
  ExpectRequest(req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, body, sizeof body);
  Request<ifaddrmsg> p2p(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);  // /31: no broadcast
  PutNewAddress(p2p, Eth0(2), Ipv4{0xc0000264u}, 31, SourceUse::kPreferred);
  AttrTable attrs;
  assert_true(attrs.ParseMessage(p2p.header(), sizeof(ifaddrmsg)));
  assert_false(attrs.Has(IFA_BROADCAST));
  assert_true(attrs.Has(IFA_LABEL));
  // IPv4 has no deprecated addresses: the same request whatever `use` says.
  Request<ifaddrmsg> ignored(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  PutNewAddress(ignored, Eth0(2), Ipv4{0xc0000264u}, 25, SourceUse::kDeprecated);
  ExpectRequest(ignored, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, body, sizeof body);
}

void NewAddressRequestIpv6Deprecated(void**) {
  // As `ip -6 addr add 2001:db8::100/64 dev eth0 nodad preferred_lft 0`
  // sends it (strace): IFA_CACHEINFO after the addresses, preferred 0,
  // valid forever (0xffffffff), the timestamps 0.
  Request<ifaddrmsg> req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  PutNewAddress(req, Eth0(3), V6("2001:db8::100"), 64, SourceUse::kDeprecated);
  const uint8_t body[] = {
      AF_INET6,
      64,
      IFA_F_NODAD,
      RT_SCOPE_UNIVERSE,
      3,
      0,
      0,
      0,  // ifaddrmsg
      20,
      0,
      IFA_LOCAL,
      0,
      V6_2001_DB8(0x01, 0x00),  //
      20,
      0,
      IFA_ADDRESS,
      0,
      V6_2001_DB8(0x01, 0x00),  //
      20,
      0,
      IFA_CACHEINFO,
      0,  //
      0,
      0,
      0,
      0,  // ifa_prefered
      0xff,
      0xff,
      0xff,
      0xff,  // ifa_valid: forever
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,  // cstamp, tstamp
  };
  ExpectRequest(req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, body, sizeof body);
}

// The kernel's subnet route as the real IPv6 dump has it.
RouteInfo RealIpv6SubnetRoute() {
  MessageReader r(kGetRoute6Dump, sizeof kGetRoute6Dump);
  while (const nlmsghdr* msg = r.Next()) {
    RouteInfo route;
    if (msg->nlmsg_type == RTM_NEWROUTE && ParseRouteMessage(msg, &route) &&
        route.table == RT_TABLE_MAIN && route.oif == 3 && route.destination == V6("2001:db8::")) {
      return route;
    }
  }
  fail();
  return RouteInfo();
}

void SourceChangeRequestIpv6(void**) {
  // `ip -6 route change 2001:db8::/64 dev eth0 src 2001:db8::100`, with the
  // route's own protocol and metric: without metric 256 the kernel finds no
  // route to replace (ENOENT), its default for a request being 1024.
  Request<rtmsg> req(RTM_NEWROUTE, NLM_F_REPLACE);
  PutRouteWithSource(req, RealIpv6SubnetRoute(), V6("2001:db8::100"));
  const uint8_t body[] = {
      AF_INET6,
      64,
      0,
      0,
      RT_TABLE_MAIN,
      RTPROT_KERNEL,
      RT_SCOPE_UNIVERSE,
      RTN_UNICAST,  //
      0,
      0,
      0,
      0,  // flags
      8,
      0,
      RTA_TABLE,
      0,
      RT_TABLE_MAIN,
      0,
      0,
      0,  //
      20,
      0,
      RTA_DST,
      0,
      V6_2001_DB8(0, 0),  //
      8,
      0,
      RTA_OIF,
      0,
      3,
      0,
      0,
      0,  //
      8,
      0,
      RTA_PRIORITY,
      0,
      0,
      1,
      0,
      0,  // 256
      20,
      0,
      RTA_PREFSRC,
      0,
      V6_2001_DB8(0x01, 0x00),  //
  };
  ExpectRequest(req, RTM_NEWROUTE, NLM_F_REPLACE, body, sizeof body);
  // And back: the same route without RTA_PREFSRC.
  Request<rtmsg> back(RTM_NEWROUTE, NLM_F_REPLACE);
  PutRouteWithSource(back, RealIpv6SubnetRoute(), Ipv6{});
  ExpectRequest(back, RTM_NEWROUTE, NLM_F_REPLACE, body, sizeof body - 20);
}

void ConnectedRouteIsTheKernels(void**) {
  // What the kernel made for 2001:db8::100/64, field for field.
  RouteInfo ours = ConnectedRoute(Eth0(3), V6("2001:db8::"), 64);
  RouteInfo kernels = RealIpv6SubnetRoute();
  kernels.preferred_source = Ipv6{};  // set in the capture by `ip -6 route change`
  Request<rtmsg> a(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL),
      b(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  PutRouteWithSource(a, ours, Ipv6{});
  PutRouteWithSource(b, kernels, Ipv6{});
  assert_int_equal(a.size(), b.size());
  assert_memory_equal(a.data(), b.data(), a.size());
  // IPv4: link scope, no metric, as before IPv6.
  Request<rtmsg> v4(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  PutRouteWithSource(v4, ConnectedRoute(Eth0(2), Ipv4{0xc0000200u}, 24), Ipv4{0xc0000264u});
  const uint8_t body[] = {
      AF_INET,
      24,
      0,
      0,
      RT_TABLE_MAIN,
      RTPROT_KERNEL,
      RT_SCOPE_LINK,
      RTN_UNICAST,  //
      0,
      0,
      0,
      0,  // flags
      8,
      0,
      RTA_TABLE,
      0,
      RT_TABLE_MAIN,
      0,
      0,
      0,  //
      8,
      0,
      RTA_DST,
      0,
      0xc0,
      0,
      2,
      0,  //
      8,
      0,
      RTA_OIF,
      0,
      2,
      0,
      0,
      0,  //
      8,
      0,
      RTA_PREFSRC,
      0,
      0xc0,
      0,
      2,
      0x64,  //
  };
  ExpectRequest(v4, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, body, sizeof body);
}

// ---- real kernel replies, with libmnl as the oracle ----------------------------

int CountAttrsWithMnl(const nlattr* a, void* data) {
  if (mnl_attr_type_valid(a, AttrTable::kMaxType) > 0) ++*static_cast<int*>(data);
  return MNL_CB_OK;
}

size_t HeaderSize(uint16_t type) {
  switch (type) {
    case RTM_NEWLINK:
      return sizeof(ifinfomsg);
    case RTM_NEWADDR:
      return sizeof(ifaddrmsg);
    case RTM_NEWROUTE:
      return sizeof(rtmsg);
    default:
      return 0;
  }
}

// Walks a capture with both readers; every message and attribute must agree.
void AgreeWithMnl(const unsigned char* data, size_t len, int* messages) {
  MessageReader ours(data, len);
  const nlmsghdr* theirs = reinterpret_cast<const nlmsghdr*>(data);
  int left = static_cast<int>(len);
  *messages = 0;
  while (const nlmsghdr* msg = ours.Next()) {
    assert_true(mnl_nlmsg_ok(theirs, left));
    assert_ptr_equal(msg, theirs);
    size_t header = HeaderSize(msg->nlmsg_type);
    if (header) {
      AttrTable table;
      assert_true(table.ParseMessage(msg, header));
      int mnl_count = 0;
      assert_int_equal(
          mnl_attr_parse(theirs, static_cast<unsigned>(header), CountAttrsWithMnl, &mnl_count),
          MNL_CB_OK);
      int our_count = 0;
      for (uint16_t t = 0; t <= AttrTable::kMaxType; ++t) our_count += table.Has(t);
      assert_true(our_count > 0);
      assert_int_equal(our_count, mnl_count);
    }
    ++*messages;
    theirs = mnl_nlmsg_next(theirs, &left);
  }
  assert_false(ours.malformed());
  assert_false(mnl_nlmsg_ok(theirs, left));
}

void RealGetLinkReply(void**) {
  int messages = 0;
  AgreeWithMnl(kGetLinkEth0Reply, sizeof kGetLinkEth0Reply, &messages);
  assert_int_equal(messages, 2);  // RTM_NEWLINK, then the ACK
  LinkInfo link;
  assert_true(ParseLinkMessage(reinterpret_cast<const nlmsghdr*>(kGetLinkEth0Reply), &link));
  assert_string_equal(link.name, "eth0");
  assert_true(link.admin_up());
  assert_true(link.carrier());
  assert_true(link.has_mac);
  const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
  assert_memory_equal(link.mac.bytes, mac, 6);
}

void RealAddressDump(void**) {
  int messages = 0;
  AgreeWithMnl(kGetAddrDump, sizeof kGetAddrDump, &messages);
  MessageReader r(kGetAddrDump, sizeof kGetAddrDump);
  AddressInfo seen[4];
  int n = 0;
  while (const nlmsghdr* msg = r.Next()) {
    if (msg->nlmsg_type == RTM_NEWADDR && n < 4) assert_true(ParseAddressMessage(msg, &seen[n++]));
  }
  assert_int_equal(n, 2);
  assert_int_equal(seen[0].address.v4().value, 0xc0000202u);  // 192.0.2.2/24 primary
  assert_int_equal(seen[0].prefix, 24);
  assert_false(seen[0].secondary);
  assert_int_equal(seen[1].address.v4().value, 0xc0000264u);  // 192.0.2.100/24 secondary
  assert_true(seen[1].secondary);
}

void RealRouteDump(void**) {
  int messages = 0;
  AgreeWithMnl(kGetRouteDump, sizeof kGetRouteDump, &messages);
  MessageReader r(kGetRouteDump, sizeof kGetRouteDump);
  bool found_subnet = false;
  while (const nlmsghdr* msg = r.Next()) {
    RouteInfo route;
    if (msg->nlmsg_type != RTM_NEWROUTE || !ParseRouteMessage(msg, &route)) continue;
    if (route.table == RT_TABLE_MAIN && route.prefix == 24) {
      found_subnet = true;
      assert_int_equal(route.destination.v4().value, 0xc0000200u);
      assert_int_equal(route.protocol, RTPROT_KERNEL);
      assert_int_equal(route.scope, RT_SCOPE_LINK);
      assert_int_equal(route.preferred_source.v4().value, 0xc0000202u);
    }
  }
  assert_true(found_subnet);
}

// eth1 (index 2) and eth0 (3) are a veth pair, eth2 (5) has no carrier.
void RealIpv6AddressDump(void**) {
  int messages = 0;
  AgreeWithMnl(kGetAddr6Dump, sizeof kGetAddr6Dump, &messages);
  assert_int_equal(messages, 7);  // six addresses, then NLMSG_DONE
  MessageReader r(kGetAddr6Dump, sizeof kGetAddr6Dump);
  bool nodad = false, dad_failed = false, tentative = false;
  while (const nlmsghdr* msg = r.Next()) {
    AddressInfo a;
    if (msg->nlmsg_type != RTM_NEWADDR) continue;
    assert_true(ParseAddressMessage(msg, &a));  // IFA_ADDRESS alone, no IFA_LOCAL
    assert_true(a.address.is_v6());
    assert_int_equal(a.prefix, 64);
    assert_false(a.secondary);
    if (a.address == V6("2001:db8::100")) {  // added with IFA_F_NODAD: usable at once
      nodad = true;
      assert_int_equal(a.ifindex, 3);
      assert_false(a.tentative);
      assert_false(a.dad_failed);
    } else if (a.address == V6("2001:db8::200") && a.ifindex == 3) {  // eth1 holds it
      dad_failed = true;
      assert_true(a.tentative);  // the kernel leaves both flags on
      assert_true(a.dad_failed);
    } else if (a.address == V6("2001:db8:1::1")) {  // DAD waits for carrier
      tentative = true;
      assert_int_equal(a.ifindex, 5);
      assert_true(a.tentative);
      assert_false(a.dad_failed);
    } else {
      assert_false(a.tentative);
      assert_false(a.dad_failed);
    }
  }
  assert_true(nodad && dad_failed && tentative);
}

void RealIpv6AddressTruncated(void**) {
  // Every prefix of a real IPv6 RTM_NEWADDR is either rejected or parsed whole.
  const nlmsghdr* first = reinterpret_cast<const nlmsghdr*>(kGetAddr6Dump);
  alignas(nlmsghdr) uint8_t copy[256];
  assert_true(first->nlmsg_len <= sizeof copy);
  for (uint32_t len = 16; len <= first->nlmsg_len; ++len) {
    memcpy(copy, kGetAddr6Dump, len);
    reinterpret_cast<nlmsghdr*>(copy)->nlmsg_len = len;
    AddressInfo info;
    if (ParseAddressMessage(reinterpret_cast<nlmsghdr*>(copy), &info)) {
      assert_true(info.address == V6("2001:db8::200"));
      assert_int_equal(info.prefix, 64);
    }
  }
}

void RealIpv6RouteDump(void**) {
  int messages = 0;
  AgreeWithMnl(kGetRoute6Dump, sizeof kGetRoute6Dump, &messages);
  MessageReader r(kGetRoute6Dump, sizeof kGetRoute6Dump);
  bool subnet = false, local = false;
  while (const nlmsghdr* msg = r.Next()) {
    RouteInfo route;
    if (msg->nlmsg_type != RTM_NEWROUTE) continue;
    assert_true(ParseRouteMessage(msg, &route));
    assert_true(route.destination.is_v6());
    assert_true(route.preferred_source.is_v6());
    if (route.table == RT_TABLE_MAIN && route.oif == 3 && route.destination == V6("2001:db8::")) {
      subnet = true;  // after `ip -6 route change ... src 2001:db8::100 metric 256 proto kernel`
      assert_int_equal(route.prefix, 64);
      assert_int_equal(route.protocol, RTPROT_KERNEL);
      assert_int_equal(route.scope, RT_SCOPE_UNIVERSE);
      assert_int_equal(route.type, RTN_UNICAST);
      assert_true(route.has_priority);
      assert_int_equal(route.priority, 256);
      assert_true(route.preferred_source == V6("2001:db8::100"));
    } else if (route.table == RT_TABLE_LOCAL && route.destination == V6("2001:db8::100")) {
      local = true;
      assert_int_equal(route.prefix, 128);
      assert_int_equal(route.type, RTN_LOCAL);
      assert_int_equal(route.oif, 3);
      assert_true(route.preferred_source.IsUnspecified());
    } else {
      assert_true(route.preferred_source.IsUnspecified());
    }
  }
  assert_true(subnet && local);
}

void RealErrorWithExtendedAck(void**) {
  const nlmsghdr* msg = reinterpret_cast<const nlmsghdr*>(kAddExistingReply);
  assert_int_equal(msg->nlmsg_type, NLMSG_ERROR);
  const nlmsgerr* err = FamilyHeader<nlmsgerr>(msg);
  assert_non_null(err);
  assert_int_equal(err->error, -EEXIST);
  assert_true(msg->nlmsg_flags & NLM_F_ACK_TLVS);
  size_t start = NLMSG_HDRLEN + sizeof(nlmsgerr);
  AttrTable tlvs;
  assert_true(tlvs.Parse(kAddExistingReply + start, msg->nlmsg_len - start));
  const char* text = nullptr;
  assert_true(tlvs.GetString(NLMSGERR_ATTR_MSG, &text));
  assert_non_null(strstr(text, "already"));
}

// ---- this node's MACs (IsNodeMac) ------------------------------------------------

constexpr uint32_t kDumpSeq = 7;
constexpr uint32_t kDumpPort = 4242;

// A link dump as the kernel answers RTM_GETLINK: one RTM_NEWLINK per device
// (NLM_F_MULTI), then NLMSG_DONE.
struct LinkDump {
  alignas(nlmsghdr) uint8_t bytes[1024] = {};
  size_t len = 0;

  MessageBuilder Begin(uint16_t type, size_t family_len) {
    MessageBuilder b(bytes + len, sizeof bytes - len);
    b.Begin(type, NLM_F_MULTI, family_len);
    return b;
  }
  void End(MessageBuilder& b) {
    assert_true(b.ok());
    b.header()->nlmsg_seq = kDumpSeq;
    b.header()->nlmsg_pid = kDumpPort;
    len += b.size();
  }
  // `address` of `address_len` bytes (none when null), `permanent` when not null.
  void Device(int ifindex, const char* name, const uint8_t* address, size_t address_len,
              const uint8_t* permanent) {
    MessageBuilder b = Begin(RTM_NEWLINK, sizeof(ifinfomsg));
    static_cast<ifinfomsg*>(NLMSG_DATA(b.header()))->ifi_index = ifindex;
    b.PutString(IFLA_IFNAME, name);
    if (address) b.PutAttr(IFLA_ADDRESS, address, address_len);
    if (permanent) b.PutAttr(IFLA_PERM_ADDRESS, permanent, 6);
    End(b);
  }
  void Done() {
    MessageBuilder b = Begin(NLMSG_DONE, sizeof(int));
    End(b);
  }
};

const uint8_t kZeroMac[6] = {};
const uint8_t kEth0Mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
const uint8_t kBondMac[6] = {0x02, 0x00, 0x5e, 0x00, 0x00, 0x0b};
const uint8_t kSlaveMac[6] = {0x02, 0x00, 0x5e, 0x00, 0x00, 0x51};
const uint8_t kTunnelAddress[4] = {0x02, 0x00, 0x5e, 0x99};  // an IPv4 tunnel's: not a MAC
const uint8_t kStranger[6] = {0x02, 0x00, 0x5e, 0x99, 0x00, 0x00};

// lo (all zero), eth0, a bond and its slave (the bond's address, its own
// kept as the permanent one), a tunnel with a 4-byte address, a device
// without any.
LinkDump NodeDump() {
  LinkDump d;
  d.Device(1, "lo", kZeroMac, 6, nullptr);
  d.Device(2, "eth0", kEth0Mac, 6, kEth0Mac);
  d.Device(3, "bond0", kBondMac, 6, nullptr);
  d.Device(4, "eth1", kBondMac, 6, kSlaveMac);
  d.Device(5, "ipip0", kTunnelAddress, 4, nullptr);
  d.Device(6, "wg0", nullptr, 0, nullptr);
  d.Done();
  return d;
}

bool FoundInDump(const LinkDump& d, const uint8_t* mac) {
  MacAddress wanted;
  memcpy(wanted.bytes, mac, 6);
  NodeMacFinder finder(wanted);
  finder.Reset();
  DumpCallback dump(finder, "test");
  Result<Answer> answer = RunCallbacks(d.bytes, d.len, kDumpSeq, kDumpPort, dump, "test");
  if (!answer.ok()) fail_msg("%s", StatusText(answer.status()).c_str());
  assert_int_equal(static_cast<int>(answer.value()), static_cast<int>(Answer::kStop));
  return finder.found;
}

// ---- the device's kind (IFLA_LINKINFO) and lower device (IFLA_LINK) ----------

// An RTM_NEWLINK for index 9 as the kernel sends it for a device of `kind`
// (no IFLA_LINKINFO when null) on `lower` (no IFLA_LINK when 0), that lower
// device in another namespace with `netnsid` >= 0.
LinkInfo ParsedLink(const char* kind, uint32_t lower, int netnsid = -1) {
  LinkDump d;
  MessageBuilder b = d.Begin(RTM_NEWLINK, sizeof(ifinfomsg));
  static_cast<ifinfomsg*>(NLMSG_DATA(b.header()))->ifi_index = 9;
  b.PutString(IFLA_IFNAME, "dev9");
  if (lower != 0) b.PutU32(IFLA_LINK, lower);
  if (netnsid >= 0) b.PutU32(IFLA_LINK_NETNSID, static_cast<uint32_t>(netnsid));
  if (kind) {
    nlattr* info = b.BeginNest(IFLA_LINKINFO);
    b.PutString(IFLA_INFO_KIND, kind);
    nlattr* data = b.BeginNest(IFLA_INFO_DATA);
    b.PutU32(1, 100);  // IFLA_VLAN_ID or IFLA_MACVLAN_MODE: not read
    b.EndNest(data);
    b.EndNest(info);
  }
  d.End(b);
  LinkInfo link;
  assert_true(ParseLinkMessage(reinterpret_cast<const nlmsghdr*>(d.bytes), &link));
  assert_int_equal(link.ifindex, 9);
  assert_string_equal(link.name, "dev9");
  return link;
}

void LinkKindAndLowerDevice(void**) {
  LinkInfo vlan = ParsedLink("vlan", 2);
  assert_int_equal(static_cast<int>(vlan.kind), static_cast<int>(LinkKind::kVlan));
  assert_int_equal(vlan.lower_ifindex, 2);
  LinkInfo vmac = ParsedLink("macvlan", 3);
  assert_int_equal(static_cast<int>(vmac.kind), static_cast<int>(LinkKind::kMacvlan));
  assert_int_equal(vmac.lower_ifindex, 3);
  // Kinds that change nothing, and none at all (a plain port).
  const char* others[] = {"bridge", "bond", "veth", "macvtap", "vlan2", "vla", ""};
  for (const char* kind : others) {
    if (ParsedLink(kind, 0).kind != LinkKind::kOther) fail_msg("kind \"%s\"", kind);
  }
  LinkInfo plain = ParsedLink(nullptr, 0);
  assert_int_equal(static_cast<int>(plain.kind), static_cast<int>(LinkKind::kOther));
  assert_int_equal(plain.lower_ifindex, 0);
  // A veth's peer or a macvlan's lower device in another namespace: its
  // index names nothing here.
  assert_int_equal(ParsedLink("macvlan", 3, 0).lower_ifindex, 0);
  assert_int_equal(ParsedLink("veth", 12, 1).lower_ifindex, 0);
}

// A kind that is no string (no NUL), or a LINKINFO whose members overrun it,
// is no kind; the rest of the message still reads.
void MalformedLinkKindIsOther(void**) {
  LinkDump d;
  MessageBuilder b = d.Begin(RTM_NEWLINK, sizeof(ifinfomsg));
  static_cast<ifinfomsg*>(NLMSG_DATA(b.header()))->ifi_index = 9;
  b.PutString(IFLA_IFNAME, "dev9");
  nlattr* info = b.BeginNest(IFLA_LINKINFO);
  b.PutAttr(IFLA_INFO_KIND, "vlan", 4);  // without its NUL
  b.EndNest(info);
  d.End(b);
  LinkInfo link;
  assert_true(ParseLinkMessage(reinterpret_cast<const nlmsghdr*>(d.bytes), &link));
  assert_int_equal(static_cast<int>(link.kind), static_cast<int>(LinkKind::kOther));

  // IFLA_INFO_KIND longer than its nest (though inside the message).
  LinkDump e;
  MessageBuilder c = e.Begin(RTM_NEWLINK, sizeof(ifinfomsg));
  static_cast<ifinfomsg*>(NLMSG_DATA(c.header()))->ifi_index = 9;
  nlattr* nest = c.BeginNest(IFLA_LINKINFO);
  c.PutString(IFLA_INFO_KIND, "vlan");
  c.EndNest(nest);
  c.PutU32(IFLA_LINK, 2);
  e.End(c);
  reinterpret_cast<nlattr*>(reinterpret_cast<uint8_t*>(nest) + NLA_HDRLEN)->nla_len = 16;
  assert_true(ParseLinkMessage(reinterpret_cast<const nlmsghdr*>(e.bytes), &link));
  assert_int_equal(static_cast<int>(link.kind), static_cast<int>(LinkKind::kOther));
  assert_int_equal(link.lower_ifindex, 2);
}

void NodeMacsFromALinkDump(void**) {
  const LinkDump d = NodeDump();
  assert_true(FoundInDump(d, kEth0Mac));
  assert_true(FoundInDump(d, kBondMac));
  assert_true(FoundInDump(d, kSlaveMac));  // only as the slave's permanent address
  assert_false(FoundInDump(d, kStranger));
  // lo's all-zero address is nobody's: a claim from it is still a claim.
  assert_false(FoundInDump(d, kZeroMac));
}

void NodeMacInTheRealGetLinkReply(void**) {
  const uint8_t eth0[6] = {2, 0, 0, 0, 0, 1};
  MacAddress mac;
  memcpy(mac.bytes, eth0, 6);
  NodeMacFinder finder(mac);
  finder.Reset();
  const nlmsghdr* link = reinterpret_cast<const nlmsghdr*>(kGetLinkEth0Reply);
  assert_true(finder.OnMessage(link).ok());
  assert_true(finder.found);
  mac.bytes[5] = 2;  // the veth peer's, in another reply
  NodeMacFinder other(mac);
  other.Reset();
  assert_true(other.OnMessage(link).ok());
  assert_false(other.found);
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(BuilderLaysOutHeaderAndAlignedAttributes),
      cmocka_unit_test(BuilderNests),
      cmocka_unit_test(BuilderOverflowIsRemembered),
      cmocka_unit_test(RequestStartsWithBothHeadersZeroed),
      cmocka_unit_test(AttrTableRejectsBadLengths),
      cmocka_unit_test(AttrTableChecksPayloadSizes),
      cmocka_unit_test(MessageReaderStopsAtLies),
      cmocka_unit_test(ParsersRejectTruncatedMessages),
      cmocka_unit_test(RealGetLinkReply),
      cmocka_unit_test(RealAddressDump),
      cmocka_unit_test(RealRouteDump),
      cmocka_unit_test(RealErrorWithExtendedAck),
      cmocka_unit_test(Ipv6AddressMessagesOfTheWrongShapeAreRefused),
      cmocka_unit_test(Ipv6DeprecatedAndTemporaryAreTheirOwnFlags),
      cmocka_unit_test(Ipv6RouteMessagesOfTheWrongShapeAreRefused),
      cmocka_unit_test(RealIpv6AddressDump),
      cmocka_unit_test(RealIpv6AddressTruncated),
      cmocka_unit_test(RealIpv6RouteDump),
      cmocka_unit_test(NewAddressRequestIpv6),
      cmocka_unit_test(NewAddressRequestIpv4IsAsBefore),
      cmocka_unit_test(NewAddressRequestIpv6Deprecated),
      cmocka_unit_test(SourceChangeRequestIpv6),
      cmocka_unit_test(ConnectedRouteIsTheKernels),
      cmocka_unit_test(LinkKindAndLowerDevice),
      cmocka_unit_test(MalformedLinkKindIsOther),
      cmocka_unit_test(NodeMacsFromALinkDump),
      cmocka_unit_test(NodeMacInTheRealGetLinkReply),
  };
  return cmocka_run_group_tests_name("netlink", tests, nullptr, nullptr);
}
