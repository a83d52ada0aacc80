#include "ops/announce.h"

namespace ipres {

bool AnnounceAddress(const Op& op) {
  const Resource& r = op.r;
  const Ipv4 broadcast = BroadcastOf(r.address, r.prefix);
  struct Garp {
    Ipv4 target;
    GarpKind kind;
  };
  const Garp garps[] = {{r.address, GarpKind::kRequest},
                        {r.address, GarpKind::kReply},
                        {broadcast, GarpKind::kRequest},
                        {broadcast, GarpKind::kReply}};
  bool all_sent = true;
  for (const Garp& g : garps) {
    const char* kind = g.kind == GarpKind::kRequest ? "request" : "reply";
    Status s = op.host.ArpAnnounce(r.device, r.address, g.target, g.kind);
    if (s.ok()) {
      op.Log(LogLevel::kInfo, "gratuitous ARP %s for %s to %s on %s: sent", kind,
             IpText(r.address).s, IpText(g.target).s, r.device);
    } else {
      op.Warn(s, "gratuitous ARP %s for %s to %s on %s", kind, IpText(r.address).s,
              IpText(g.target).s, r.device);
      all_sent = false;
    }
  }
  return all_sent;
}

namespace {

void FlushNeighbours(const Op& op, const char* again) {
  const char* dev = op.r.device;
  Status s = op.host.ForgetNeighbours(dev);
  if (s.ok()) {
    op.Log(LogLevel::kInfo, "flush neighbours on %s%s: done", dev, again);
  } else {
    op.Warn(s, "flush neighbours on %s%s", dev, again);
  }
}

}  // namespace

void FlushAndAnnounce(const Op& op) {
  FlushNeighbours(op, "");
  if (!AnnounceAddress(op)) FlushNeighbours(op, " again");
}

}  // namespace ipres
