// SPDX-License-Identifier: Apache-2.0
#include "ops/monitor_announce.h"

#include "ops/announce.h"
#include "ops/device_view.h"
#include "ops/monitor_op.h"

namespace ipres {

Announcement ScheduleAnnouncement(const Op& op, int64_t now, uint32_t delay_ms, const char* why,
                                  bool refresh) {
  const Resource& r = op.r;
  if (delay_ms == 0) delay_ms = r.t.garp_refresh_ms;
  if (delay_ms == 0) return Announcement();
  op.Log(LogLevel::kInfo, "%s %s %s: %s again in %s s", IpText(r.address).s, why, r.device,
         AnnouncementsOf(r), SecondsText(delay_ms).s);
  return Announcement{now + delay_ms, refresh};
}

Announcement AnnounceAgain(Host& host, const Resource& r, bool refresh) {
  const Op op = MonitorOp(host, r);
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok() || !dev.value().present) return Announcement();
  if (!refresh) {
    AnnounceAddress(op);
    return ScheduleAnnouncement(op, host.NowMs(), r.t.garp_refresh_ms, "still on", true);
  }
  AnnounceAddress(op, AnnounceLog::kFailuresOnly);
  if (r.t.garp_refresh_ms == 0) return Announcement();
  return Announcement{host.NowMs() + r.t.garp_refresh_ms, true};
}

Announcement AnnounceWhenFree(Host& host, const Resource& r, const ConflictWatch& conflict,
                              const Announcement& due) {
  const int64_t now = host.NowMs();
  const int64_t free_from = conflict.AnnouncementsFreeFrom(now);
  if (free_from == now) return AnnounceAgain(host, r, due.refresh);
  return ScheduleAnnouncement(MonitorOp(host, r), now, static_cast<uint32_t>(free_from - now),
                              "defended on", due.refresh);
}

}  // namespace ipres
