// SPDX-License-Identifier: Apache-2.0
#include "ops/device_view.h"

#include "base/device_name.h"

namespace ipres {
namespace {

// An IPv6 address that is not yet (or not) usable cannot be a source; nor
// can a link-local one, which reaches no PINGLIST beyond the link, nor one
// the kernel would not pick (privacy, deprecated: every other resource's
// address with SOURCE_ADDRESS=0 among them).
bool CanBePhysical(const AddressInfo& a) {
  if (!a.address.is_v6()) return true;
  return !a.tentative && !a.dad_failed && !a.temporary && !a.deprecated &&
         !IsLinkLocal(a.address.v6());
}

class DeviceReader final : public AddressVisitor {
 public:
  explicit DeviceReader(const Resource& r) : r_(r) {}
  void Reset() override {
    view = DeviceView();
    view.physical = NetworkOf(r_.address, 0);  // unspecified, of the address's family
  }
  void OnAddress(const AddressInfo& a) override {
    if (a.address == r_.address) {
      if (!view.present) view.prefix = a.prefix;
      view.present = true;
      view.tentative |= a.tentative;
      view.dad_failed |= a.dad_failed;
      view.deprecated |= a.deprecated;
      return;
    }
    if (a.secondary || !CanBePhysical(a)) return;
    const bool in_subnet = NetworkOf(a.address, r_.prefix) == NetworkOf(r_.address, r_.prefix);
    if (a.address.is_v6()) {
      // IPv6 has no primaries and the kernel lists a device's newest
      // address first: the oldest (the node's own, there before any
      // resource's) is the last of the subnet, or else the last at all.
      if (in_subnet || !view.physical_in_subnet) {
        view.physical = a.address;
        view.physical_in_subnet = in_subnet;
      }
      return;
    }
    if (view.physical_in_subnet) return;
    if (in_subnet) {
      view.physical = a.address;
      view.physical_in_subnet = true;
    } else if (view.physical.IsUnspecified()) {
      view.physical = a.address;
    }
  }
  DeviceView view;

 private:
  const Resource& r_;
};

}  // namespace

Status CheckUsable(const Op& op, const DeviceView& dev) {
  if (!dev.tentative && !dev.dad_failed) return OkStatus();
  return op.FailCheck(
      "%s on %s is %s", IpText(op.r.address).s, op.r.device,
      dev.dad_failed ? "dadfailed: another node holds it" : "tentative: not yet usable");
}

Result<DeviceView> ReadDevice(const Op& op) {
  DeviceReader reader(op.r);
  reader.Reset();
  Status s = op.host.VisitAddresses(op.r.address.af(), op.r.device, reader);
  if (!s.ok()) return s;
  return reader.view;
}

Result<IpAddress> BasePhysical(const Op& op) {
  DeviceReader reader(op.r);
  reader.Reset();
  char base[kIfNameCapacity];
  Result<bool> found = op.host.GetMacvlanBase(op.r.device, base);
  if (!found.ok()) return found.status();
  if (!found.value()) return reader.view.physical;
  Status s = op.host.VisitAddresses(op.r.address.af(), base, reader);
  if (!s.ok()) return s;
  // Another subnet's address there would ping from the wrong segment.
  if (!reader.view.physical_in_subnet) return NetworkOf(op.r.address, 0);
  op.Log(LogLevel::kInfo, "%s has no address of its own: sending from %s on %s, its base device",
         op.r.device, IpText(reader.view.physical).s, base);
  return reader.view.physical;
}

}  // namespace ipres
