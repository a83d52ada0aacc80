// SPDX-License-Identifier: Apache-2.0
// Test tool: each rtnetlink operation of src/net/ from the command line, so
// the namespace tests can run it (on every CPU) and read the result back
// with iproute2.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "net/address.h"
#include "net/link.h"
#include "net/neighbour.h"
#include "net/route.h"

using namespace ipres;

namespace {

int Fail(const Status& s) {
  fprintf(stderr, "nettool: %s\n", StatusText(s).c_str());
  return 1;
}

int Usage() {
  fputs(
      "usage: nettool link DEV | set DEV up|down | wait-carrier DEV MS | addrs|addrs6 [DEV]\n"
      "       | add DEV A/P | del DEV A/P | route-src DEV NET/P SRC|none\n"
      "       | del-host-route DEV A | flush-neigh DEV\n",
      stderr);
  return 2;
}

// One line per address as the dump delivers it (a retried dump prints
// again; the tests never see one).
class AddressPrinter final : public AddressVisitor {
 public:
  void Reset() override {}
  void OnAddress(const AddressInfo& a) override {
    const char* state = a.secondary ? "secondary" : "primary";
    if (a.dad_failed)
      state = "dadfailed";
    else if (a.tentative)
      state = "tentative";
    printf("%d %s/%u %s\n", a.ifindex, IpText(a.address).s, a.prefix, state);
  }
};

bool ParsePrefixed(const char* text, IpAddress* a, uint8_t* prefix) {
  const char* slash = strchr(text, '/');
  if (!slash || !ParseIpAddress(text, static_cast<size_t>(slash - text), a)) return false;
  int p = atoi(slash + 1);
  if (p < 0 || p > static_cast<int>(a->bits())) return false;
  *prefix = static_cast<uint8_t>(p);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const char* cmd = argv[1];
  NetlinkSocket nl;
  Status s = nl.Open();
  if (!s.ok()) return Fail(s);

  const bool addrs6 = !strcmp(cmd, "addrs6");
  if ((addrs6 || !strcmp(cmd, "addrs")) && argc <= 3) {
    int ifindex = 0;
    if (argc == 3) {
      Result<LinkInfo> link = GetLink(nl, argv[2]);
      if (!link.ok()) return Fail(link.status());
      ifindex = link.value().ifindex;
    }
    AddressPrinter printer;
    s = VisitAddresses(nl, addrs6 ? AF_INET6 : AF_INET, ifindex, printer);
    if (!s.ok()) return Fail(s);
    return 0;
  }
  if (argc < 3) return Usage();
  Result<LinkInfo> link = GetLink(nl, argv[2]);
  if (!link.ok()) return Fail(link.status());
  const LinkInfo& l = link.value();

  if (!strcmp(cmd, "link") && argc == 3) {
    printf("ifindex=%d up=%d carrier=%d mac=%02x:%02x:%02x:%02x:%02x:%02x\n", l.ifindex,
           l.admin_up(), l.carrier(), l.mac.bytes[0], l.mac.bytes[1], l.mac.bytes[2],
           l.mac.bytes[3], l.mac.bytes[4], l.mac.bytes[5]);
    return 0;
  }
  if (!strcmp(cmd, "set") && argc == 4) {
    bool up = !strcmp(argv[3], "up");
    if (!up && strcmp(argv[3], "down")) return Usage();
    s = SetLinkUp(nl, l, up);
    return s.ok() ? 0 : Fail(s);
  }
  if (!strcmp(cmd, "wait-carrier") && argc == 4) {
    int64_t start = MonotonicMs();
    NetlinkSocket events;
    s = events.Open();
    if (!s.ok()) return Fail(s);
    Result<bool> r = WaitForCarrier(nl, events, argv[2], static_cast<uint32_t>(atoi(argv[3])));
    if (!r.ok()) return Fail(r.status());
    printf("%s after %lld ms\n", r.value() ? "carrier" : "timeout",
           static_cast<long long>(MonotonicMs() - start));
    return r.value() ? 0 : 1;
  }
  IpAddress a;
  uint8_t prefix = 0;
  if ((!strcmp(cmd, "add") || !strcmp(cmd, "del")) && argc == 4) {
    if (!ParsePrefixed(argv[3], &a, &prefix)) return Usage();
    s = !strcmp(cmd, "add") ? AddAddress(nl, l, a, prefix, SourceUse::kPreferred)
                            : DeleteAddress(nl, l, a, prefix);
    return s.ok() ? 0 : Fail(s);
  }
  if (!strcmp(cmd, "route-src") && argc == 5) {
    if (!ParsePrefixed(argv[3], &a, &prefix)) return Usage();
    IpAddress src = a.is_v6() ? IpAddress(Ipv6{}) : IpAddress(Ipv4{});
    if (strcmp(argv[4], "none") && !ParseIpAddress(argv[4], &src)) return Usage();
    if (!SameFamily(a, src)) return Usage();
    s = SetRouteSource(nl, l, a, prefix, src);
    return s.ok() ? 0 : Fail(s);
  }
  if (!strcmp(cmd, "del-host-route") && argc == 4) {
    if (!ParseIpAddress(argv[3], &a)) return Usage();
    s = DeleteHostRoute(nl, l, a);
    return s.ok() ? 0 : Fail(s);
  }
  if (!strcmp(cmd, "flush-neigh") && argc == 3) {
    s = FlushNeighbours(nl, l);
    return s.ok() ? 0 : Fail(s);
  }
  return Usage();
}
