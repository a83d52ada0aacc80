#include "host/system_host.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <utility>

#include "base/clock.h"
#include "net/link.h"
#include "net/neighbour.h"
#include "net/route.h"
#include "netlink/socket.h"

namespace ipres {
namespace {

constexpr char kLockDir[] = "/run/ipres";
constexpr uint16_t kDuplicateSequence = 1;
constexpr size_t kEchoPayload = 56;

volatile sig_atomic_t g_stop_requested = 0;

void OnStopSignal(int) { g_stop_requested = 1; }

void InstallStopHandlers() {
  struct sigaction sa = {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking wait must return and look at the flag
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

class SystemHost final : public Host {
 public:
  Result<LinkState> GetLink(const char* device) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    LinkState state;
    state.ifindex = link.value().ifindex;
    state.admin_up = link.value().admin_up();
    state.carrier = link.value().carrier();
    return state;
  }

  Status SetLinkUp(const char* device, bool up) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::SetLinkUp(nl_, link.value(), up);
  }

  Result<bool> WaitForCarrier(const char* device, uint32_t timeout_ms) override {
    return ipres::WaitForCarrier(device, timeout_ms);
  }

  Status ListAddresses(const char* device, AddressList* out) override {
    Status s = Open();
    if (!s.ok()) return s;
    int ifindex = 0;
    if (device) {
      Result<LinkInfo> link = Link(device);
      if (!link.ok()) return link.status();
      ifindex = link.value().ifindex;
    }
    return ipres::ListAddresses(nl_, ifindex, out);
  }

  Status AddAddress(const char* device, Ipv4 address, uint8_t prefix, Ipv4 broadcast) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::AddAddress(nl_, link.value(), address, prefix, broadcast);
  }

  Status DeleteAddress(const char* device, Ipv4 address, uint8_t prefix) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::DeleteAddress(nl_, link.value(), address, prefix);
  }

  Status FlushNeighbours(const char* device) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::FlushNeighbours(nl_, link.value());
  }

  Status SendGratuitousArp(const char* device, Ipv4 address, Ipv4 target,
                           GarpKind kind) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    if (!link.value().has_mac) return Status::Errno(EOPNOTSUPP, "%s has no MAC address", device);
    return ipres::SendGratuitousArp(link.value().ifindex, link.value().mac, address, target, kind);
  }

  Status SetRouteSource(const char* device, Ipv4 network, uint8_t prefix, Ipv4 source) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::SetRouteSource(nl_, link.value(), network, prefix, source);
  }

  Status DeleteHostRoute(const char* device, Ipv4 address) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    return ipres::DeleteHostRoute(nl_, link.value(), address);
  }

  void FlushRouteCache() override { ipres::FlushRouteCache(); }

  Result<Duplicate> CheckDuplicate(const char* device, Ipv4 source, Ipv4 address,
                                   uint32_t window_ms) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    if (!link.value().has_mac) return Status::Errno(EOPNOTSUPP, "%s has no MAC address", device);
    const int64_t deadline = MonotonicMs() + window_ms;

    // Both probes go out before either answer is awaited: one window for both.
    ArpSocket arp;
    Status s = arp.Open(link.value().ifindex);
    if (!s.ok()) return s;
    uint8_t frame[kArpFrameSize];
    size_t len = BuildArpProbe(link.value().mac, address, frame, sizeof frame);
    s = arp.Send(frame, len);
    if (!s.ok()) return s;
    IcmpSocket icmp;
    s = icmp.Open(device, source, false);
    if (!s.ok()) return s;
    const uint16_t id = RandomEchoIdentifier();
    s = icmp.SendEcho(address, id, kDuplicateSequence, kEchoPayload);
    if (!s.ok()) return s;

    for (;;) {
      int64_t left = MsUntil(deadline, MonotonicMs());
      if (left == 0) return Duplicate::kNone;
      pollfd fds[2] = {{icmp.fd(), POLLIN, 0}, {arp.fd(), POLLIN, 0}};
      int r = poll(fds, 2, static_cast<int>(left));
      if (r < 0) {
        char a[16];
        return Status::Errno(errno, "duplicate check for %s on %s", FormatIpv4(address, a), device);
      }
      if (fds[0].revents & POLLIN) {
        EchoReply reply;
        Result<bool> got = icmp.ReceiveReply(id, &reply);
        if (!got.ok()) return got.status();
        if (got.value() && reply.from == address && reply.sequence == kDuplicateSequence) {
          return Duplicate::kIcmpReply;
        }
      }
      if (fds[1].revents & POLLIN) {
        uint8_t buf[256];
        for (;;) {
          Result<size_t> got = arp.Receive(buf, sizeof buf);
          if (!got.ok()) return got.status();
          if (got.value() == 0) break;
          if (IsArpConflict(buf, got.value(), link.value().mac, address)) {
            return Duplicate::kArpReply;
          }
        }
      }
    }
  }

  Result<bool> Ping(const PingWindow& window) override {
    Ipv4 responder;
    return PingAny(window, &responder);
  }

  Status LockTag(const char* tag) override {
    if (mkdir(kLockDir, 0755) != 0 && errno != EEXIST) {
      return Status::Errno(errno, "create lock directory %s", kLockDir);
    }
    char path[64];
    snprintf(path, sizeof path, "%s/%s.lock", kLockDir, tag);
    UniqueFd fd(open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd.valid()) return Status::Errno(errno, "open lock %s", path);
    while (flock(fd.get(), LOCK_EX) != 0) {
      if (errno != EINTR || g_stop_requested) return Status::Errno(errno, "lock %s", path);
    }
    // Held until the process ends; the kernel drops it if the process dies.
    lock_fd_ = std::move(fd);
    return Status::Ok();
  }

  bool StopRequested() override { return g_stop_requested != 0; }

  int64_t NowMs() override { return MonotonicMs(); }

  void SleepMs(uint32_t ms) override {
    timespec left = {static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000L};
    while (nanosleep(&left, &left) != 0 && errno == EINTR && !g_stop_requested) {
    }
  }

 private:
  Status Open() {
    if (opened_) return Status::Ok();
    Status s = nl_.Open();
    opened_ = s.ok();
    return s;
  }

  Result<LinkInfo> Link(const char* device) {
    Status s = Open();
    if (!s.ok()) return s;
    return ipres::GetLink(nl_, device);
  }

  NetlinkSocket nl_;
  bool opened_ = false;
  UniqueFd lock_fd_;
};

}  // namespace

Host& GetSystemHost() {
  static SystemHost host;
  static bool installed = false;
  if (!installed) {
    InstallStopHandlers();
    installed = true;
  }
  return host;
}

}  // namespace ipres
