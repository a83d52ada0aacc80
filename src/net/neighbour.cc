// SPDX-License-Identifier: Apache-2.0
#include "net/neighbour.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink/attr.h"
#include "netlink/message.h"

namespace ipres {
namespace {

constexpr size_t kMaxFlushBatch = 64;
constexpr size_t kMaxDestination = 16;  // an IPv6 address

struct Neighbour {
  uint8_t family = 0;
  uint8_t destination[kMaxDestination] = {};
  uint8_t destination_len = 0;
};

// Collects flushable entries of one device, up to a batch; a full batch
// means the caller must dump again after deleting these.
class Collector final : public DumpHandler {
 public:
  explicit Collector(int ifindex) : ifindex_(ifindex) {}
  void Reset() override {
    count = 0;
    more = false;
  }
  Status OnMessage(const nlmsghdr* msg) override {
    const ndmsg* nd = FamilyHeader<ndmsg>(msg);
    AttrTable attrs;
    if (msg->nlmsg_type != RTM_NEWNEIGH || !nd || !attrs.ParseMessage(msg, sizeof(ndmsg))) {
      return OkStatus();
    }
    if (nd->ndm_ifindex != ifindex_) return OkStatus();
    if (nd->ndm_state & (NUD_PERMANENT | NUD_NOARP)) return OkStatus();
    size_t len = attrs.PayloadLength(NDA_DST);
    if (len == 0 || len > kMaxDestination) return OkStatus();
    if (count == kMaxFlushBatch) {
      more = true;
      return OkStatus();
    }
    Neighbour& n = batch[count++];
    n.family = nd->ndm_family;
    n.destination_len = static_cast<uint8_t>(len);
    memcpy(n.destination, attrs.Payload(NDA_DST), len);
    return OkStatus();
  }
  Neighbour batch[kMaxFlushBatch];
  size_t count = 0;
  bool more = false;

 private:
  int ifindex_;
};

}  // namespace

Status FlushNeighbours(NetlinkSocket& nl, const LinkInfo& link) {
  char what[64];
  snprintf(what, sizeof what, "flush neighbours of %s", link.name);
  Collector collector(link.ifindex);
  // Each round deletes what one dump found; entries re-learnt meanwhile are
  // fair game for the next round, which is why the rounds are bounded.
  for (int round = 0; round < 16; ++round) {
    Request<ndmsg> dump(RTM_GETNEIGH, 0);
    dump.family().ndm_family = AF_UNSPEC;
    Status s = nl.Dump(dump, collector, what);
    if (!s.ok()) return s;
    for (size_t i = 0; i < collector.count; ++i) {
      const Neighbour& n = collector.batch[i];
      Request<ndmsg> del(RTM_DELNEIGH, 0);
      del.family().ndm_family = n.family;
      del.family().ndm_ifindex = link.ifindex;
      del.PutAttr(NDA_DST, n.destination, n.destination_len);
      Status deleted = nl.Request(del, what);
      if (!deleted.ok() && deleted.err() != ENOENT) return deleted;
    }
    if (!collector.more) return OkStatus();
  }
  return Status::Errno(EAGAIN, "%s: entries kept coming back", what);
}

}  // namespace ipres
