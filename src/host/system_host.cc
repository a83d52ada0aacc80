#include "host/system_host.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <new>
#include <utility>

#include "base/clock.h"
#include "base/log.h"
#include "base/stop_signal.h"
#include "host/state_dir.h"
#include "host/tag_lock.h"
#include "host/unfinished_record.h"
#include "net/duplicate_probe.h"
#include "net/link.h"
#include "net/neighbour.h"
#include "net/route.h"
#include "netlink/attr.h"
#include "netlink/socket.h"

namespace ipres {
namespace {

constexpr char kStateDir[] = "/run/ipres";
constexpr char kWantedKind[] = "wanted";
constexpr char kWantedRecord[] = "wanted\n";
constexpr char kUnfinishedKind[] = "unfinished";

void InstallSignalHandlers() {
  // sigaction cannot fail for these two; were it to, their default action
  // would still end the process.
  Status ignored = InstallStopHandlers();
  (void)ignored;
  // SIGUSR1, a take-down's request to abandon a bring-up, is tag_lock.cc's.
  IgnoreAbandonRequests();
}

// Excludes replies from this node's own addresses, asking the kernel about
// each source rather than holding a list of everything the node has.
class NodeAddressFilter final : public SourceFilter {
 public:
  explicit NodeAddressFilter(NetlinkSocket& nl) : nl_(nl) {}
  Result<bool> Excluded(Ipv4 source) override { return IsNodeAddress(nl_, source); }

 private:
  NetlinkSocket& nl_;
};

class SystemHost final : public Host {
 public:
  Result<LinkState> GetLink(const char* device) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    LinkState state;
    state.ifindex = link.value().ifindex;
    state.admin_up = link.value().admin_up();
    state.carrier = link.value().carrier();
    return state;
  }

  Status SetLinkUp(const char* device, bool up) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::SetLinkUp(nl_, link.value(), up);
  }

  Result<bool> WaitForCarrier(const char* device, uint32_t timeout_ms) override {
    return ipres::WaitForCarrier(device, timeout_ms);
  }

  Status VisitAddresses(const char* device, AddressVisitor& visitor) override {
    Status s = Open();
    if (!s.ok()) return s;
    int ifindex = 0;
    if (device) {
      Result<LinkInfo> link = Link(device);
      if (!link.ok()) return link.status();
      ifindex = link.value().ifindex;
    }
    return ipres::VisitAddresses(nl_, ifindex, visitor);
  }

  Status AddAddress(const char* device, Ipv4 address, uint8_t prefix, Ipv4 broadcast) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::AddAddress(nl_, link.value(), address, prefix, broadcast);
  }

  Status DeleteAddress(const char* device, Ipv4 address, uint8_t prefix) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::DeleteAddress(nl_, link.value(), address, prefix);
  }

  Status FlushNeighbours(const char* device) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::FlushNeighbours(nl_, link.value());
  }

  Status SendGratuitousArp(const char* device, Ipv4 address, Ipv4 target, GarpKind kind) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    if (!link.value().has_mac) return Status::Errno(EOPNOTSUPP, "%s has no MAC address", device);
    Result<ArpSocket*> arp = ArpOn(link.value());
    if (!arp.ok()) return arp.status();
    return ipres::SendGratuitousArp(*arp.value(), link.value().mac, address, target, kind);
  }

  Status SetRouteSource(const char* device, Ipv4 network, uint8_t prefix, Ipv4 source) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::SetRouteSource(nl_, link.value(), network, prefix, source);
  }

  Result<Ipv4> GetRouteSource(const char* device, Ipv4 network, uint8_t prefix) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::GetRouteSource(nl_, link.value(), network, prefix);
  }

  Status EnsureSubnetRoute(const char* device, Ipv4 network, uint8_t prefix, Ipv4 source) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::EnsureSubnetRoute(nl_, link.value(), network, prefix, source);
  }

  Status DeleteHostRoute(const char* device, Ipv4 address) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::DeleteHostRoute(nl_, link.value(), address);
  }

  void FlushRouteCache() override { ipres::FlushRouteCache(); }

  Result<Duplicate> CheckDuplicate(const char* device, Ipv4 source, Ipv4 address,
                                   uint32_t window_ms) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    if (!link.value().has_mac) return Status::Errno(EOPNOTSUPP, "%s has no MAC address", device);
    Result<ArpSocket*> arp = ArpOn(link.value());
    if (!arp.ok()) return arp.status();
    return ProbeForDuplicate(*arp.value(), link.value().mac, device, source, address, window_ms);
  }

  Result<PingOutcome> Ping(const PingWindow& window) override {
    Status s = Open();
    if (!s.ok()) return s;
    NodeAddressFilter own(nl_);
    return PingAny(window, &own);
  }

  Status WatchEvents() override {
    Status s = events_.Open();
    if (s.ok()) s = events_.JoinGroup(RTNLGRP_LINK);
    if (s.ok()) s = events_.JoinGroup(RTNLGRP_IPV4_IFADDR);
    return s;
  }

  Result<NetEvent> NextEvent(uint32_t timeout_ms) override {
    const int64_t deadline = MonotonicMs() + timeout_ms;
    for (;;) {
      while (const nlmsghdr* msg = pending_.Next()) {
        NetEvent ev;
        if (DecodeNetEvent(msg, &ev)) return ev;
      }
      int64_t left = MsUntil(deadline, MonotonicMs());
      if (left == 0) return NetEvent();
      Result<size_t> got = events_.ReceiveEvent(static_cast<int>(left));
      if (!got.ok() && got.status().err() == ENOBUFS) {
        NetEvent lost;
        lost.kind = NetEventKind::kEventsLost;
        return lost;
      }
      if (!got.ok()) return got.status();
      pending_ = MessageReader(events_.buffer(), got.value());
    }
  }

  Result<bool> LockTag(const char* tag, LockIntent intent) override {
    Status s = state_.Open();
    if (s.ok()) s = lock_.Open(tag);
    if (!s.ok()) return s;
    if (intent == LockIntent::kBringUp) return Taken(lock_.Take(StopSignalled), false);

    Result<bool> free = lock_.TryTake();
    if (!free.ok() || free.value()) return Taken(free.status(), false);
    HolderRecord holder;
    bool asked = false;
    if (lock_.FindAbandonableHolder(&holder)) {
      // The engine's last word goes first: a remove killed right after
      // asking must not leave the tag wanted. The bring-up recorded "wanted"
      // before it accepted requests, so this comes after it.
      s = SetWanted(tag, false);
      if (!s.ok()) return Taken(s, false);
      asked = lock_.AskToAbandon(holder);
    }
    s = lock_.Take(StopSignalled);
    return Taken(s, asked && lock_.AbandonedAt(holder));
  }

  Status AcceptAbandonRequests() override { return lock_.AcceptAbandonRequests(); }

  Status SetWanted(const char* tag, bool wanted) override {
    Status s = state_.Open();
    if (!s.ok()) return s;
    if (!wanted) return state_.RemoveRecord(tag, kWantedKind);
    return state_.WriteRecord(tag, kWantedKind, kWantedRecord);
  }

  Result<bool> IsWanted(const char* tag) override {
    Status s = state_.Open();
    if (!s.ok()) return s;
    char text[StateDir::kRecordCapacity];
    Result<bool> there = state_.ReadRecord(tag, kWantedKind, text, sizeof text);
    if (!there.ok() || !there.value()) return there;
    if (strcmp(text, kWantedRecord) != 0) {
      char path[StateDir::kPathCapacity];
      return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                           state_.PathOf(tag, kWantedKind, path, sizeof path));
    }
    return true;
  }

  Status MarkUnfinished(const char* tag, uint32_t steps) override {
    Result<uint32_t> now = Unfinished(tag);
    if (!now.ok()) return now.status();
    return WriteUnfinished(tag, now.value() | steps);
  }

  Status ClearUnfinished(const char* tag, uint32_t steps) override {
    if (steps == kEveryStep) return WriteUnfinished(tag, 0);
    Result<uint32_t> now = Unfinished(tag);
    if (!now.ok()) return now.status();
    if ((now.value() & steps) == 0) return OkStatus();
    return WriteUnfinished(tag, now.value() & ~steps);
  }

  Result<uint32_t> Unfinished(const char* tag) override {
    Status s = state_.Open();
    if (!s.ok()) return s;
    char text[StateDir::kRecordCapacity];
    Result<bool> there = state_.ReadRecord(tag, kUnfinishedKind, text, sizeof text);
    if (!there.ok()) return there.status();
    if (!there.value()) return 0u;
    uint32_t steps = 0;
    if (!ParseUnfinishedRecord(text, &steps)) {
      char path[StateDir::kPathCapacity];
      return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                           state_.PathOf(tag, kUnfinishedKind, path, sizeof path));
    }
    return steps;
  }

  void UnlockTag() override { lock_.Release(); }

  bool StopRequested() override { return StopSignalled() || lock_.AbandonRequested(); }

  int64_t NowMs() override { return MonotonicMs(); }

  void SleepMs(uint32_t ms) override {
    timespec left = {static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000L};
    while (nanosleep(&left, &left) != 0 && errno == EINTR && !StopRequested()) {
    }
  }

 private:
  Status Open() {
    if (opened_) return OkStatus();
    Status s = nl_.Open();
    opened_ = s.ok();
    return s;
  }

  Status WriteUnfinished(const char* tag, uint32_t steps) {
    Status s = state_.Open();
    if (!s.ok()) return s;
    if (steps == 0) return state_.RemoveRecord(tag, kUnfinishedKind);
    char text[StateDir::kRecordCapacity];
    FormatUnfinishedRecord(steps, text, sizeof text);
    return state_.WriteRecord(tag, kUnfinishedKind, text);
  }

  // Holds the lock or lets go of the lock file: a failure to take it (or to
  // do what must come before) releases the file again.
  Result<bool> Taken(const Status& s, bool abandoned) {
    if (s.ok()) return abandoned;
    lock_.Release();
    return s;
  }

  // One ARP socket for the process, reopened only when the device changes:
  // each close costs the kernel's RCU grace period.
  Result<ArpSocket*> ArpOn(const LinkInfo& link) {
    if (arp_.fd() < 0 || arp_.ifindex() != link.ifindex) {
      Status s = arp_.Open(link.ifindex);
      if (!s.ok()) return s;
    }
    return &arp_;
  }

  Result<LinkInfo> Link(const char* device) {
    Status s = Open();
    if (!s.ok()) return s;
    return ipres::GetLink(nl_, device);
  }

  NetlinkSocket nl_;
  bool opened_ = false;
  NetlinkSocket events_;
  ArpSocket arp_;
  MessageReader pending_{nullptr, 0};
  StateDir state_{kStateDir};
  TagLockFile lock_{state_};
};

}  // namespace

Host& GetSystemHost() {
  // Built in place and never destroyed, so no exit handler is registered
  // (musl's atexit may allocate); the kernel closes the sockets at exit.
  alignas(SystemHost) static unsigned char storage[sizeof(SystemHost)];
  static SystemHost* host = nullptr;
  if (!host) {
    InstallSignalHandlers();
    host = new (storage) SystemHost;  // default-init: the receive buffers stay untouched BSS
  }
  return *host;
}

}  // namespace ipres
