// SPDX-License-Identifier: Apache-2.0
#include "ops/monitor_announce.h"

#include "base/log.h"
#include "ops/announce.h"
#include "ops/device_view.h"
#include "ops/op.h"

namespace ipres {

int64_t ScheduleAnnouncement(const Resource& r, int64_t now, uint32_t delay_ms, const char* why) {
  if (delay_ms == 0) delay_ms = r.t.garp_refresh_ms;
  if (delay_ms == 0) return kNoAnnouncement;
  Log(LogLevel::kInfo, "%s: monitor: %s %s %s: %s again in %s s", r.tag, IpText(r.address).s, why,
      r.device, AnnouncementsOf(r), SecondsText(delay_ms).s);
  return now + delay_ms;
}

int64_t AnnounceAgain(Host& host, const Resource& r) {
  Op op{host, r, "monitor"};
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok() || !dev.value().present) return kNoAnnouncement;
  AnnounceAddress(op);
  return ScheduleAnnouncement(r, host.NowMs(), r.t.garp_refresh_ms, "still on");
}

}  // namespace ipres
