#include "ops/device_view.h"

namespace ipres {
namespace {

// An IPv6 address that is not yet (or not) usable cannot be a source; nor
// can a link-local one, which reaches no PINGLIST beyond the link.
bool CanBePhysical(const AddressInfo& a) {
  if (!a.address.is_v6()) return true;
  return !a.tentative && !a.dad_failed && !IsLinkLocal(a.address.v6());
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
      return;
    }
    if (a.secondary || view.physical_in_subnet || !CanBePhysical(a)) return;
    if (NetworkOf(a.address, r_.prefix) == NetworkOf(r_.address, r_.prefix)) {
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

Result<DeviceView> ReadDevice(const Op& op) {
  DeviceReader reader(op.r);
  reader.Reset();
  Status s = op.host.ReadAddresses(op.r.address.af(), op.r.device, reader);
  if (!s.ok()) return s;
  return reader.view;
}

}  // namespace ipres
