#include "host/system_host.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <new>
#include <utility>

#include "base/clock.h"
#include "base/log.h"
#include "config/resource.h"
#include "host/state_dir.h"
#include "net/link.h"
#include "net/neighbour.h"
#include "net/route.h"
#include "netlink/attr.h"
#include "netlink/socket.h"

namespace ipres {
namespace {

constexpr char kStateDir[] = "/run/ipres";
constexpr char kHolderKind[] = "holder";
constexpr char kWantedKind[] = "wanted";
constexpr char kWantedRecord[] = "wanted\n";
constexpr uint16_t kDuplicateSequence = 1;
constexpr size_t kEchoPayload = 56;

// SIGTERM/SIGINT end the process; SIGUSR1 is a take-down (remove) asking
// the lock holder to abandon its bring-up (restore, recover).
constexpr int kAbandonSignal = SIGUSR1;
volatile sig_atomic_t g_stop_requested = 0;
volatile sig_atomic_t g_abandon_requested = 0;

void OnStopSignal(int) {
  g_stop_requested = 1;
}
void OnAbandonSignal(int) {
  g_abandon_requested = 1;
}

void InstallStopHandlers() {
  struct sigaction sa = {};
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking wait must return and look at the flag
  sa.sa_handler = OnStopSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sa.sa_handler = OnAbandonSignal;
  sigaction(kAbandonSignal, &sa, nullptr);
}

// Splits a line into at most kMaxFields whitespace-separated fields, in
// place. (No sscanf: musl's scanf family brings in the allocator.)
constexpr size_t kMaxFields = 8;
size_t SplitFields(char* line, char** fields) {
  size_t count = 0;
  char* p = line;
  while (count < kMaxFields) {
    while (*p == ' ' || *p == '\t') ++p;
    if (*p == '\0') break;
    fields[count++] = p;
    while (*p != '\0' && *p != ' ' && *p != '\t') ++p;
    if (*p != '\0') *p++ = '\0';
  }
  return count;
}

// A whole field (up to `end`, or its NUL) as a number in `base`; false on
// anything else, an empty field or an overflow.
bool ParseNumber(const char* text, char end, unsigned base, unsigned long* out) {
  unsigned long value = 0;
  const char* p = text;
  for (; *p != '\0' && *p != end; ++p) {
    unsigned digit;
    if (*p >= '0' && *p <= '9') {
      digit = static_cast<unsigned>(*p - '0');
    } else if (base == 16 && *p >= 'a' && *p <= 'f') {
      digit = static_cast<unsigned>(*p - 'a' + 10);
    } else {
      return false;
    }
    if (digit >= base || value > (~0ul - digit) / base) return false;
    value = value * base + digit;
  }
  if (p == text || *p != end) return false;
  *out = value;
  return true;
}

// True when a /proc/locks line shows a granted FLOCK on the file with this
// device and inode: "1: FLOCK  ADVISORY  WRITE 123 00:1a:4567 0 EOF"
// (blocked waiters read "1: -> FLOCK ..."). *pid gets its holder.
bool IsFlockOn(char* line, const struct stat& st, int* pid) {
  char* f[kMaxFields];
  if (SplitFields(line, f) < 6 || strcmp(f[1], "FLOCK") != 0) return false;
  unsigned long holder, dev_major, dev_minor, inode;
  char* minor_part = strchr(f[5], ':');
  char* inode_part = minor_part ? strchr(minor_part + 1, ':') : nullptr;
  if (!inode_part || !ParseNumber(f[4], '\0', 10, &holder) ||
      !ParseNumber(f[5], ':', 16, &dev_major) ||
      !ParseNumber(minor_part + 1, ':', 16, &dev_minor) ||
      !ParseNumber(inode_part + 1, '\0', 10, &inode)) {
    return false;
  }
  if (inode != st.st_ino || dev_major != major(st.st_dev) || dev_minor != minor(st.st_dev)) {
    return false;
  }
  *pid = static_cast<int>(holder);
  return true;
}

// The pid holding the flock on fd, as the kernel lists it in /proc/locks;
// 0 when it cannot tell.
int LockHolderPid(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return 0;
  UniqueFd locks(open("/proc/locks", O_RDONLY | O_CLOEXEC));
  if (!locks.valid()) return 0;
  char buf[4096];
  size_t used = 0;
  for (;;) {
    ssize_t n = read(locks.get(), buf + used, sizeof buf - 1 - used);
    if (n <= 0) return 0;
    used += static_cast<size_t>(n);
    buf[used] = '\0';
    char* line = buf;
    while (char* nl = strchr(line, '\n')) {
      *nl = '\0';
      int pid;
      if (IsFlockOn(line, st, &pid)) return pid;
      line = nl + 1;
    }
    used = static_cast<size_t>(buf + used - line);
    memmove(buf, line, used);
    if (used == sizeof buf - 1) used = 0;  // a line longer than any /proc/locks line
  }
}

// The holder's record beside the lock: "PID up|down".
void RecordHolder(StateDir& state, const char* tag, LockIntent intent) {
  char line[32];
  snprintf(line, sizeof line, "%d %s\n", static_cast<int>(getpid()),
           intent == LockIntent::kBringUp ? "up" : "down");
  // Best effort: without the record a take-down waits instead of preempting.
  Status ignored = state.WriteRecord(tag, kHolderKind, line);
  (void)ignored;
}

// Asks the holder of a bring-up to abandon it; true when it was asked. The
// record is trusted only when the kernel names the same pid as the holder.
bool AskHolderToAbandon(StateDir& state, const char* tag, int fd) {
  char line[StateDir::kRecordCapacity];
  Result<bool> there = state.ReadRecord(tag, kHolderKind, line, sizeof line);
  char* nl = there.ok() && there.value() ? strchr(line, '\n') : nullptr;
  if (nl) *nl = '\0';
  char* f[kMaxFields];
  unsigned long pid = 0;
  if (!nl || SplitFields(line, f) != 2 || !ParseNumber(f[0], '\0', 10, &pid)) return false;
  if (pid == 0 || strcmp(f[1], "up") != 0) return false;
  if (LockHolderPid(fd) != static_cast<int>(pid)) return false;
  return kill(static_cast<pid_t>(pid), kAbandonSignal) == 0;
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

  Status SendGratuitousArp(const char* device, Ipv4 address, Ipv4 target, GarpKind kind) override {
    Result<LinkInfo> link = Link(device);
    if (!link.ok()) return link.status();
    if (!link.value().has_mac) return Status::Errno(EOPNOTSUPP, "%s has no MAC address", device);
    Result<ArpSocket*> arp = ArpOn(link.value());
    if (!arp.ok()) return arp.status();
    return ipres::SendGratuitousArp(*arp.value(), link.value().mac, address, target, kind);
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
    Result<ArpSocket*> arp_socket = ArpOn(link.value());
    if (!arp_socket.ok()) return arp_socket.status();
    ArpSocket& arp = *arp_socket.value();
    Status s = arp.Drain();
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
        Result<bool> conflict = arp.ReceiveConflict(link.value().mac, address, nullptr);
        if (!conflict.ok()) return conflict.status();
        if (conflict.value()) return Duplicate::kArpReply;
      }
    }
  }

  Result<bool> Ping(const PingWindow& window) override {
    Ipv4 responder;
    return PingAny(window, &responder);
  }

  Status WatchEvents() override {
    Status s = events_.Open();
    if (s.ok()) s = events_.JoinGroup(RTNLGRP_LINK);
    if (s.ok()) s = events_.JoinGroup(RTNLGRP_IPV4_IFADDR);
    return s;
  }

  Result<NetEvent> NextEvent(uint32_t timeout_ms) override {
    const int64_t deadline = MonotonicMs() + timeout_ms;
    for (;;) {
      while (const nlmsghdr* msg = pending_.Next()) {
        NetEvent ev;
        if (Decode(msg, &ev)) return ev;
      }
      int64_t left = MsUntil(deadline, MonotonicMs());
      if (left == 0) return NetEvent();
      Result<size_t> got = events_.ReceiveEvent(static_cast<int>(left));
      if (!got.ok() && got.status().err() == ENOBUFS) {
        NetEvent lost;
        lost.kind = NetEventKind::kEventsLost;
        return lost;
      }
      if (!got.ok()) return got.status();
      pending_ = MessageReader(events_.buffer(), got.value());
    }
  }

  Result<bool> LockTag(const char* tag, LockIntent intent) override {
    Status s = state_.Open();
    if (!s.ok()) return s;
    Result<int> opened = state_.OpenLockFile(tag);
    if (!opened.ok()) return opened.status();
    UniqueFd fd(opened.value());
    snprintf(locked_tag_, sizeof locked_tag_, "%s", tag);
    if (intent == LockIntent::kTakeDown && flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
      RecordHolder(state_, tag, intent);
      lock_fd_ = std::move(fd);
      return false;
    }
    const bool preempted =
        intent == LockIntent::kTakeDown && AskHolderToAbandon(state_, tag, fd.get());
    while (flock(fd.get(), LOCK_EX) != 0) {
      if (errno != EINTR || g_stop_requested) {
        char path[StateDir::kPathCapacity];
        return Status::Errno(errno, "lock %s", state_.PathOf(tag, "lock", path, sizeof path));
      }
    }
    RecordHolder(state_, tag, intent);
    // The kernel drops the lock when the process ends or dies.
    lock_fd_ = std::move(fd);
    return preempted;
  }

  Status SetWanted(const char* tag, bool wanted) override {
    Status s = state_.Open();
    if (!s.ok()) return s;
    if (!wanted) return state_.RemoveRecord(tag, kWantedKind);
    return state_.WriteRecord(tag, kWantedKind, kWantedRecord);
  }

  Result<bool> IsWanted(const char* tag) override {
    Status s = state_.Open();
    if (!s.ok()) return s;
    char text[StateDir::kRecordCapacity];
    Result<bool> there = state_.ReadRecord(tag, kWantedKind, text, sizeof text);
    if (!there.ok() || !there.value()) return there;
    if (strcmp(text, kWantedRecord) != 0) {
      char path[StateDir::kPathCapacity];
      return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                           state_.PathOf(tag, kWantedKind, path, sizeof path));
    }
    return true;
  }

  void UnlockTag() override {
    if (lock_fd_.valid()) {
      // The record must not outlive the hold.
      Status ignored = state_.RemoveRecord(locked_tag_, kHolderKind);
      (void)ignored;
    }
    lock_fd_.Reset(-1);
    g_abandon_requested = 0;  // it was about the operation that held the lock
  }

  bool StopRequested() override { return g_stop_requested != 0 || g_abandon_requested != 0; }

  int64_t NowMs() override { return MonotonicMs(); }

  void SleepMs(uint32_t ms) override {
    timespec left = {static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000L};
    while (nanosleep(&left, &left) != 0 && errno == EINTR && !StopRequested()) {
    }
  }

 private:
  Status Open() {
    if (opened_) return Status::Ok();
    Status s = nl_.Open();
    opened_ = s.ok();
    return s;
  }

  // One ARP socket for the process, reopened only when the device changes:
  // each close costs the kernel's RCU grace period.
  Result<ArpSocket*> ArpOn(const LinkInfo& link) {
    if (arp_.fd() < 0 || arp_.ifindex() != link.ifindex) {
      Status s = arp_.Open(link.ifindex);
      if (!s.ok()) return s;
    }
    return &arp_;
  }

  Result<LinkInfo> Link(const char* device) {
    Status s = Open();
    if (!s.ok()) return s;
    return ipres::GetLink(nl_, device);
  }

  static bool Decode(const nlmsghdr* msg, NetEvent* ev) {
    if (msg->nlmsg_type == RTM_NEWADDR || msg->nlmsg_type == RTM_DELADDR) {
      AddressInfo info;
      if (!ParseAddressMessage(msg, &info)) return false;
      ev->kind = msg->nlmsg_type == RTM_NEWADDR ? NetEventKind::kAddressAdded
                                                : NetEventKind::kAddressRemoved;
      ev->ifindex = info.ifindex;
      ev->address = info.address;
      ev->prefix = info.prefix;
      return true;
    }
    if (msg->nlmsg_type == RTM_NEWLINK || msg->nlmsg_type == RTM_DELLINK) {
      LinkInfo link;
      if (!ParseLinkMessage(msg, &link)) return false;
      ev->kind = NetEventKind::kLinkChanged;
      ev->ifindex = link.ifindex;
      ev->carrier = msg->nlmsg_type == RTM_NEWLINK && link.carrier();
      memcpy(ev->device, link.name, sizeof ev->device);
      return true;
    }
    return false;
  }

  NetlinkSocket nl_;
  bool opened_ = false;
  NetlinkSocket events_;
  ArpSocket arp_;
  MessageReader pending_{nullptr, 0};
  StateDir state_{kStateDir};
  UniqueFd lock_fd_;
  char locked_tag_[kTagCapacity] = {};
};

}  // namespace

Host& GetSystemHost() {
  // Built in place and never destroyed, so no exit handler is registered
  // (musl's atexit may allocate); the kernel closes the sockets at exit.
  alignas(SystemHost) static unsigned char storage[sizeof(SystemHost)];
  static SystemHost* host = nullptr;
  if (!host) {
    InstallStopHandlers();
    host = new (storage) SystemHost;  // default-init: the receive buffers stay untouched BSS
  }
  return *host;
}

}  // namespace ipres
