// SPDX-License-Identifier: Apache-2.0
#include "host/system_host.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <new>
#include <utility>

#include "base/clock.h"
#include "base/random.h"
#include "base/stop_signal.h"
#include "host/check_record.h"
#include "host/event_source.h"
#include "host/link_probes.h"
#include "host/node_filters.h"
#include "host/tag_state.h"
#include "net/link.h"
#include "net/neighbour.h"
#include "net/route.h"
#include "netlink/socket.h"

namespace ipres {
namespace {

constexpr char kStateDir[] = "/run/ipres";

class SystemHost final : public Host {
 public:
  // The operation's own read of the link: always the kernel's word, and
  // the link the steps after it work on.
  Result<LinkState> LinkStateOf(const char* device) override {
    Status s = Resolve(device);
    if (!s.ok()) return s;
    LinkState state;
    state.ifindex = link_.ifindex;
    state.admin_up = link_.admin_up();
    state.carrier = link_.carrier();
    return state;
  }

  Status SetAdminUp(const char* device, bool up) override {
    return OnLink(device, [&](const LinkInfo& link) { return SetLinkUp(nl_, link, up); });
  }

  Result<bool> CarrierWithin(const char* device, uint32_t timeout_ms) override {
    NetlinkSocket link_events;
    Status s = Open();
    if (s.ok()) s = link_events.Open();
    if (!s.ok()) return s;
    return WaitForCarrier(nl_, link_events, device, timeout_ms);
  }

  Result<bool> BaseDevice(const char* device, char* base) override {
    return OnLink(device, [&](const LinkInfo& link) { return GetMacvlanBase(nl_, link, base); });
  }

  Status ReadAddresses(int af, const char* device, AddressVisitor& visitor) override {
    if (device) {
      return OnLink(device, [&](const LinkInfo& link) {
        return VisitAddresses(nl_, af, link.ifindex, visitor);
      });
    }
    Status s = Open();
    if (!s.ok()) return s;
    return VisitAddresses(nl_, af, 0, visitor);
  }

  // An IPv6 address is in service once its local route is in (a second at
  // most; the checks after it tell whether it works).
  Status AssignAddress(const char* device, const IpAddress& address, uint8_t prefix,
                       SourceUse use) override {
    return OnLink(device, [&](const LinkInfo& link) -> Status {
      Status s = AddAddress(nl_, link, address, prefix, use);
      if (!s.ok() || !address.is_v6()) return s;
      Result<bool> routed = LocalRouteWithin(nl_, link, address, 1000);
      return routed.ok() ? OkStatus() : routed.status();
    });
  }

  Status SetSourceUse(const char* device, const IpAddress& address, uint8_t prefix,
                      SourceUse use) override {
    return OnLink(device, [&](const LinkInfo& link) {
      return ReplaceAddress(nl_, link, address, prefix, use);
    });
  }

  Status RemoveAddress(const char* device, const IpAddress& address, uint8_t prefix) override {
    return OnLink(device,
                  [&](const LinkInfo& link) { return DeleteAddress(nl_, link, address, prefix); });
  }

  Status ForgetNeighbours(const char* device) override {
    return OnLink(device, [&](const LinkInfo& link) { return FlushNeighbours(nl_, link); });
  }

  Status ArpAnnounce(const char* device, Ipv4 address, Ipv4 target, GarpKind kind) override {
    return OnLink(device, [&](const LinkInfo& link) {
      return probes_.ArpAnnounce(link, address, target, kind);
    });
  }

  Status NdpAnnounce(const char* device, const Ipv6& address) override {
    return OnLink(device, [&](const LinkInfo& link) -> Status {
      Result<bool> router = GetIpv6Forwarding(nl_, link);
      if (!router.ok()) return router.status();
      return probes_.NdpAnnounce(link, address, router.value());
    });
  }

  Status SetSubnetSource(const char* device, const IpAddress& network, uint8_t prefix,
                         const IpAddress& source) override {
    return OnLink(device, [&](const LinkInfo& link) {
      return SetRouteSource(nl_, link, network, prefix, source);
    });
  }

  Result<IpAddress> SubnetSource(const char* device, const IpAddress& network,
                                 uint8_t prefix) override {
    return OnLink(device,
                  [&](const LinkInfo& link) { return GetRouteSource(nl_, link, network, prefix); });
  }

  Status ReinstateSubnetRoute(const char* device, const IpAddress& network, uint8_t prefix,
                              const IpAddress& source) override {
    return OnLink(device, [&](const LinkInfo& link) {
      return EnsureSubnetRoute(nl_, link, network, prefix, source);
    });
  }

  Status DropLocalRoute(const char* device, const IpAddress& address) override {
    return OnLink(device,
                  [&](const LinkInfo& link) { return DeleteHostRoute(nl_, link, address); });
  }

  void InvalidateRouteCache(int af) override { FlushRouteCache(af); }

  Result<Duplicate> CheckDuplicate(const char* device, const IpAddress& source,
                                   const IpAddress& address, uint32_t window_ms) override {
    Status s = Open();
    if (!s.ok()) return s;
    NodeAddressFilter own(nl_);
    NodeMacFilter macs(nl_);
    return OnLink(device, [&](const LinkInfo& link) {
      return probes_.CheckDuplicate(link, source, address, window_ms, own, macs);
    });
  }

  Result<PingOutcome> Ping(const PingWindow& window) override {
    Status s = Open();
    if (!s.ok()) return s;
    NodeAddressFilter own(nl_);
    return PingAny(window, &own);
  }

  Status WatchClaims(const char* device, const IpAddress& address) override {
    return OnLink(device,
                  [&](const LinkInfo& link) { return events_.claims().Watch(link, address); });
  }

  Result<bool> ProbeClaims(const char* device, const IpAddress& address, uint32_t window_ms,
                           MacAddress* claimant) override {
    Status s = WatchClaims(device, address);
    if (!s.ok()) return s;
    return events_.ProbeClaims(address, window_ms, nl_, claimant);
  }

  Result<bool> TakeClaim(const IpAddress& address, MacAddress* claimant) override {
    Status s = Open();
    if (!s.ok()) return s;
    return events_.TakeClaim(address, nl_, claimant);
  }

  Status WatchEvents(bool ipv6) override { return events_.Subscribe(ipv6, tags_.OpenDir()); }

  // The monitor waits here between its rounds of work: a link resolved
  // before is not the next round's.
  Result<NetEvent> NextEvent(uint32_t timeout_ms) override {
    link_known_ = false;
    Status s = Open();
    if (!s.ok()) return s;
    return events_.Next(timeout_ms, nl_);
  }

  // An operation begins and ends with its tag's lock; so does the link it
  // resolved.
  Result<LockTaken> LockTag(const char* tag, LockIntent intent) override {
    link_known_ = false;
    return tags_.Lock(tag, intent, ipres::StopSignalled);
  }
  Status AcceptAbandonRequests() override { return tags_.AcceptAbandonRequests(); }
  void UnlockTag() override {
    link_known_ = false;
    tags_.Unlock();
  }
  Result<Word> RecordWord(const char* tag, bool w) override { return tags_.RecordWord(tag, w); }
  Result<Word> LastWord(const char* tag) override { return tags_.LastWord(tag); }
  Status WithdrawWord(const char* t, const Word& w) override { return tags_.WithdrawWord(t, w); }
  Status MarkUnfinished(const char* tag, uint32_t steps) override {
    return tags_.MarkUnfinished(tag, steps);
  }
  Status ClearUnfinished(const char* tag, uint32_t steps) override {
    return tags_.ClearUnfinished(tag, steps);
  }
  Result<uint32_t> Unfinished(const char* tag) override { return tags_.Unfinished(tag); }
  Status RecordConflict(const char* tag, const Conflict& conflict) override {
    return tags_.RecordConflict(tag, conflict);
  }
  Result<Conflict> RecordedConflict(const char* t) override { return tags_.RecordedConflict(t); }
  Status RecordCheck(const char* tag, const CheckRecord& c) override {
    return checks_.Write(tag, c);
  }
  Result<CheckRecord> LastCheck(const char* tag) override { return checks_.Read(tag); }

  bool StopRequested() override { return StopSignalled() || tags_.AbandonRequested(); }
  bool StopSignalled() override { return ipres::StopSignalled(); }

  int64_t NowMs() override { return MonotonicMs(); }
  int64_t WallClockS() override { return ipres::WallClockS(); }
  uint32_t JitterMs(uint32_t limit_ms) override { return RandomUpTo(limit_ms); }

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

  // The device called `device`, asked of the kernel afresh.
  Status Resolve(const char* device) {
    link_known_ = false;
    Status s = Open();
    if (!s.ok()) return s;
    Result<LinkInfo> link = GetLink(nl_, device);
    if (!link.ok()) return link.status();
    link_ = link.value();
    link_known_ = true;
    return OkStatus();
  }

  // Runs one step on the device. Its name is resolved once per operation
  // and the link kept for the steps after. A step that fails on a kept
  // link resolves the name again: a device that went away then fails with
  // that lookup's own error (ENODEV), as when each step looked it up
  // itself, and one replaced under the same name gets the step again on its
  // new index.
  template <typename Step>
  auto OnLink(const char* device, Step step) -> decltype(step(std::declval<const LinkInfo&>())) {
    const bool kept = link_known_ && strcmp(link_.name, device) == 0;
    if (!kept) {
      Status s = Resolve(device);
      if (!s.ok()) return s;
    }
    auto done = step(link_);
    if (done.ok() || !kept) return done;
    const int tried = link_.ifindex;
    Status s = Resolve(device);
    if (!s.ok()) return s;
    if (link_.ifindex == tried) return done;
    return step(link_);
  }

  NetlinkSocket nl_;
  bool opened_ = false;
  LinkInfo link_;  // the device the operation works on, while link_known_
  bool link_known_ = false;
  EventSource events_;
  LinkProbes probes_;
  TagState tags_{kStateDir};
  CheckRecords checks_{kStateDir};
};

}  // namespace

Host& GetSystemHost() {
  // Built in place and never destroyed, so no exit handler is registered
  // (musl's atexit may allocate); the kernel closes the sockets at exit.
  alignas(SystemHost) static unsigned char storage[sizeof(SystemHost)];
  static SystemHost* host = nullptr;
  if (!host) {
    // Stop requests, and tag_lock.cc's abandon requests.
    InstallStopHandlers().IgnoreError("sigaction cannot fail for these signals");
    IgnoreAbandonRequests();
    host = new (storage) SystemHost;  // default-init: the receive buffers stay untouched BSS
  }
  return *host;
}

}  // namespace ipres
