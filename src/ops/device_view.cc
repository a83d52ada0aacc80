#include "ops/device_view.h"

namespace ipres {
namespace {

class DeviceReader final : public AddressVisitor {
 public:
  explicit DeviceReader(const Resource& r) : r_(r) {}
  void Reset() override { view = DeviceView(); }
  void OnAddress(const AddressInfo& a) override {
    if (a.address == r_.address) {
      if (!view.present) view.prefix = a.prefix;
      view.present = true;
      return;
    }
    if (a.secondary || view.physical_in_subnet) return;
    if (NetworkOf(a.address, r_.prefix) == NetworkOf(r_.address, r_.prefix)) {
      view.physical = a.address;
      view.physical_in_subnet = true;
    } else if (view.physical.value == 0) {
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
  Status s = op.host.ReadAddresses(op.r.device, reader);
  if (!s.ok()) return s;
  return reader.view;
}

}  // namespace ipres
