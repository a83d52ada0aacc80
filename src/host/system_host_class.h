// SPDX-License-Identifier: Apache-2.0
// SystemHost, the real Host, as host/ builds it: one object, since the
// seams share its netlink socket and the link an operation resolved. Its
// methods live one file per seam (system_link_config.cc, system_probes.cc,
// system_tag_store.cc, system_pacer.cc, system_events.cc), each a thin
// pass to net/ or to host/'s state keepers. Only host/ includes this;
// everyone else gets the Host of system_host.h.
#pragma once

#include <stdint.h>
#include <string.h>

#include <utility>

#include "host/check_record.h"
#include "host/event_source.h"
#include "host/host.h"
#include "host/link_probes.h"
#include "host/tag_state.h"
#include "net/link.h"
#include "netlink/socket.h"

namespace ipres {

class SystemHost final : public Host {
 public:
  // LinkConfig (system_link_config.cc).
  Result<LinkState> GetLink(const char* device) override;
  Status SetLinkUp(const char* device, bool up) override;
  Result<bool> WaitForCarrier(const char* device, uint32_t timeout_ms) override;
  Result<bool> GetMacvlanBase(const char* device, char* base) override;
  Status VisitAddresses(int af, const char* device, AddressVisitor& visitor) override;
  Status AddAddress(const char* device, const IpAddress& address, uint8_t prefix,
                    SourceUse use) override;
  Status ReplaceAddress(const char* device, const IpAddress& address, uint8_t prefix,
                        SourceUse use) override;
  Status DeleteAddress(const char* device, const IpAddress& address, uint8_t prefix) override;
  Status FlushNeighbours(const char* device) override;
  Status SetRouteSource(const char* device, const IpAddress& network, uint8_t prefix,
                        const IpAddress& source) override;
  Result<IpAddress> GetRouteSource(const char* device, const IpAddress& network,
                                   uint8_t prefix) override;
  Status EnsureSubnetRoute(const char* device, const IpAddress& network, uint8_t prefix,
                           const IpAddress& source) override;
  Status DeleteHostRoute(const char* device, const IpAddress& address) override;
  void FlushRouteCache(int af) override;

  // Probes (system_probes.cc).
  Result<Duplicate> ProbeForDuplicate(const char* device, const IpAddress& source,
                                      const IpAddress& address, uint32_t window_ms) override;
  Status ArpAnnounce(const char* device, Ipv4 address, Ipv4 target, GarpKind kind) override;
  Status NdpAnnounce(const char* device, const Ipv6& address) override;
  Result<PingOutcome> Ping(const PingWindow& window) override;
  Status WatchClaims(const char* device, const IpAddress& address) override;
  Result<bool> ProbeClaims(const char* device, const IpAddress& address, uint32_t window_ms,
                           MacAddress* claimant) override;
  Result<bool> TakeClaim(const IpAddress& address, MacAddress* claimant) override;

  // TagStore (system_tag_store.cc).
  Result<LockTaken> LockTag(const char* tag, LockIntent intent) override;
  Status AcceptAbandonRequests() override;
  void UnlockTag() override;
  Result<Word> RecordWord(const char* tag, bool wanted) override;
  Result<Word> LastWord(const char* tag) override;
  Status WithdrawWord(const char* tag, const Word& mine) override;
  Status MarkUnfinished(const char* tag, uint32_t steps) override;
  Status ClearUnfinished(const char* tag, uint32_t steps) override;
  Result<uint32_t> Unfinished(const char* tag) override;
  Status RecordConflict(const char* tag, const Conflict& conflict) override;
  Result<Conflict> RecordedConflict(const char* tag) override;
  Status RecordCheck(const char* tag, const CheckRecord& record) override;
  Result<CheckRecord> LastCheck(const char* tag) override;

  // Pacer (system_pacer.cc).
  bool StopRequested() override;
  bool StopSignalled() override;
  int64_t NowMs() override;
  int64_t WallClockS() override;
  void SleepMs(uint32_t ms) override;
  uint32_t JitterMs(uint32_t limit_ms) override;

  // Events (system_events.cc).
  Status WatchEvents(bool ipv6) override;
  Result<NetEvent> NextEvent(uint32_t timeout_ms) override;

 private:
  static constexpr char kStateDir[] = "/run/ipres";

  // The netlink socket, opened on first use and kept (system_host.cc).
  Status Open();
  // The device called `device`, asked of the kernel afresh (system_host.cc).
  Status Resolve(const char* device);
  // A new operation or a monitor round: the link resolved before is not its.
  void ForgetLink() { link_known_ = false; }

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

}  // namespace ipres
