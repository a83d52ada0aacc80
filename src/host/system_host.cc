#include "host/system_host.h"

#include <errno.h>

namespace ipres {
namespace {

// Placeholder until net/ lands: every request fails with ENOSYS.
class SystemHost final : public Host {
 public:
  Result<LinkState> GetLink(const char* d) override { return Missing("link", d); }
  Status SetLinkUp(const char* d, bool) override { return Missing("link", d); }
  Result<bool> WaitForCarrier(const char* d, uint32_t) override { return Missing("link", d); }
  Status ListAddresses(const char* d, AddressList*) override { return Missing("address", d); }
  Status AddAddress(const char* d, Ipv4, uint8_t, Ipv4) override { return Missing("address", d); }
  Status DeleteAddress(const char* d, Ipv4, uint8_t) override { return Missing("address", d); }
  Status FlushNeighbours(const char* d) override { return Missing("neighbour", d); }
  Status SendGratuitousArp(const char* d, Ipv4, Ipv4, GarpKind) override {
    return Missing("arp", d);
  }
  Status SetRouteSource(const char* d, Ipv4, uint8_t, Ipv4) override { return Missing("route", d); }
  Status DeleteHostRoute(const char* d, Ipv4) override { return Missing("route", d); }
  void FlushRouteCache() override {}
  Result<Duplicate> CheckDuplicate(const char* d, Ipv4, Ipv4, uint32_t) override {
    return Missing("duplicate check", d);
  }
  Result<bool> Ping(const PingWindow& w) override { return Missing("ping", w.device); }
  Status LockTag(const char* tag) override { return Missing("lock", tag); }
  bool StopRequested() override { return false; }
  int64_t NowMs() override { return 0; }
  void SleepMs(uint32_t) override {}

 private:
  static Status Missing(const char* what, const char* on) {
    return Status::Errno(ENOSYS, "%s on %s", what, on ? on : "node");
  }
};

}  // namespace

Host& GetSystemHost() {
  static SystemHost host;
  return host;
}

}  // namespace ipres
