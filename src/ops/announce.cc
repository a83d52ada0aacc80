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
    Status s = op.host.SendGratuitousArp(r.device, r.address, g.target, g.kind);
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

}  // namespace ipres
