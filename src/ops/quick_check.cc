// quickCheck: monitor once (spec "Monitoring"), within IP_QUICKCHECK_TIMEOUT.
// Changes nothing, so it takes no lock.
#include "ops/common.h"
#include "ops/ops.h"

namespace ipres {

Status QuickCheck(Host& host, const Resource& r) {
  Op op{host, r, "quickCheck"};
  if (!r.t.restore_and_recover) {
    op.Log(LogLevel::kInfo, "Restore and Recover is Disable: nothing to do");
    return Status::Ok();
  }
  const Deadline deadline{host.NowMs() + r.t.quickcheck_timeout_ms, r.t.quickcheck_timeout_ms};

  // 1. The address must be on the device.
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok()) return op.Failed(dev.status(), "read addresses of %s", r.device);
  if (!dev.value().present) {
    return op.Error("%s is not on %s", IpText(r.address).s, r.device);
  }
  op.Log(LogLevel::kInfo, "%s on %s", IpText(r.address).s, r.device);

  // 2. Link check, no bounce.
  Status s = CheckLink(op, Bounce::kNo);
  if (!s.ok()) return s;

  // 3. Connectivity check, every window cut to the time left.
  return CheckConnectivity(op, r.address, &deadline);
}

}  // namespace ipres
