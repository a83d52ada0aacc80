// SPDX-License-Identifier: Apache-2.0
#include "ops/announce.h"

namespace ipres {

namespace {

// The contract ("IPv6 resources") asks for as many as the four frames of
// IPv4, sent as the spec's four arpings are: back to back, within the
// restore. RFC 4861 7.2.6 suggests up to MAX_NEIGHBOR_ADVERTISEMENT (3), a
// second apart, against a lost frame; here, as for IPv4, the later copies
// are `ipres monitor`'s repeats (GARP_REPEAT_DELAY, GARP_REFRESH), so a
// restore does not wait seconds on them.
constexpr int kNeighbourAdvertisements = 4;

bool AdvertiseIpv6(const Op& op, AnnounceLog log) {
  const Resource& r = op.r;
  const IpText all_nodes(AllNodes());
  bool all_sent = true;
  for (int i = 1; i <= kNeighbourAdvertisements; ++i) {
    Status s = op.host.NdpAnnounce(r.device, r.address.v6());
    if (s.ok()) {
      if (log == AnnounceLog::kFailuresOnly) continue;
      op.Log(LogLevel::kInfo, "neighbour advertisement %d of %d for %s to %s on %s: sent", i,
             kNeighbourAdvertisements, IpText(r.address).s, all_nodes.s, r.device);
    } else {
      op.WarnStep(s, "neighbour advertisement %d of %d for %s to %s on %s", i,
                  kNeighbourAdvertisements, IpText(r.address).s, all_nodes.s, r.device);
      all_sent = false;
    }
  }
  return all_sent;
}

}  // namespace

bool AnnounceAddress(const Op& op, AnnounceLog log) {
  const Resource& r = op.r;
  if (r.address.is_v6()) return AdvertiseIpv6(op, log);
  const Ipv4 address = r.address.v4();
  const Ipv4 broadcast = BroadcastOf(address, r.prefix);
  struct Garp {
    Ipv4 target;
    GarpKind kind;
  };
  const Garp garps[] = {{address, GarpKind::kRequest},
                        {address, GarpKind::kReply},
                        {broadcast, GarpKind::kRequest},
                        {broadcast, GarpKind::kReply}};
  bool all_sent = true;
  for (const Garp& g : garps) {
    const char* kind = g.kind == GarpKind::kRequest ? "request" : "reply";
    Status s = op.host.ArpAnnounce(r.device, address, g.target, g.kind);
    if (s.ok()) {
      if (log == AnnounceLog::kFailuresOnly) continue;
      op.Log(LogLevel::kInfo, "gratuitous ARP %s for %s to %s on %s: sent", kind,
             IpText(r.address).s, IpText(g.target).s, r.device);
    } else {
      op.WarnStep(s, "gratuitous ARP %s for %s to %s on %s", kind, IpText(r.address).s,
                  IpText(g.target).s, r.device);
      all_sent = false;
    }
  }
  return all_sent;
}

const char* AnnouncementsOf(const Resource& r) {
  return r.address.is_v6() ? "neighbour advertisements" : "gratuitous ARPs";
}

namespace {

void FlushNeighbours(const Op& op, const char* again) {
  const char* dev = op.r.device;
  Status s = op.host.FlushNeighbours(dev);
  if (s.ok()) {
    op.Log(LogLevel::kInfo, "flush neighbours on %s%s: done", dev, again);
  } else {
    op.WarnStep(s, "flush neighbours on %s%s", dev, again);
  }
}

}  // namespace

void FlushAndAnnounce(const Op& op) {
  FlushNeighbours(op, "");
  if (!AnnounceAddress(op)) FlushNeighbours(op, " again");
}

}  // namespace ipres
