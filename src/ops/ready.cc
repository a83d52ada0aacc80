// SPDX-License-Identifier: Apache-2.0
// ready: could this node serve the resource now? The link check and the
// connectivity check sent from the node's own physical address, so it means
// the same whether or not this node holds the protected address. Changes
// nothing, no lock.
#include "ops/connectivity_check.h"
#include "ops/device_view.h"
#include "ops/link_check.h"
#include "ops/op.h"
#include "ops/periodic_check.h"

namespace ipres {

Status ReadySteps(Host& host, const Resource& r) {
  Op op{host, r, "ready"};
  IPRES_TRY(CheckLink(op, Bounce::kNo));
  if (!ConnectivityCheckPings(r.t)) return CheckConnectivity(op, NetworkOf(r.address, 0), nullptr);

  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok()) return op.FailStep(dev.status(), "read addresses of %s", r.device);
  // A PHYSICAL resource's address is itself the node's physical address.
  IpAddress source = r.t.physical ? r.address : dev.value().physical;
  if (source.IsUnspecified()) {
    Result<IpAddress> base = BasePhysical(op);
    if (!base.ok()) return op.FailStep(base.status(), "find the base device of %s", r.device);
    source = base.value();
  }
  if (source.IsUnspecified()) {
    return op.FailCheck("connectivity check: no physical address on %s to ping from", r.device);
  }
  return CheckConnectivity(op, source, nullptr);
}

}  // namespace ipres
