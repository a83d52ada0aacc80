// SPDX-License-Identifier: Apache-2.0
// Test tool over net/arp for the namespace tests:
//   arptool garp DEV U|A ADDRESS TARGET   one gratuitous ARP (arping -U / -A)
//   arptool probe DEV ADDRESS WINDOW_MS   an RFC 5227 probe, then listen
//   arptool flood DEV RATE SECONDS        ARP requests for other addresses at
//                                         a steady RATE per second (bench/)
// Exit 0: sent / no conflict; 1: conflict (the sender's MAC on stdout);
// 2: usage or any error.
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include "base/clock.h"
#include "base/fd.h"
#include "net/arp.h"

using namespace ipres;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitConflict = 1;
constexpr int kExitError = 2;

int Usage() {
  fputs(
      "usage: arptool garp DEV U|A ADDRESS TARGET\n"
      "       arptool probe DEV ADDRESS WINDOW_MS\n"
      "       arptool flood DEV RATE SECONDS\n",
      stderr);
  return kExitError;
}

int Fail(const Status& status) {
  fprintf(stderr, "arptool: %s\n", StatusText(status).c_str());
  return kExitError;
}

// The product gets these from rtnetlink; a test tool may ask the old way.
Status LookUp(const char* dev, int* ifindex, MacAddress* mac) {
  unsigned index = if_nametoindex(dev);
  if (index == 0) return Status::Errno(errno, "if_nametoindex %s", dev);
  ifreq ifr = {};
  if (strlen(dev) >= sizeof ifr.ifr_name) return Status::Fail("device name %s too long", dev);
  strcpy(ifr.ifr_name, dev);
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::Errno(errno, "socket for SIOCGIFHWADDR");
  if (ioctl(fd.get(), SIOCGIFHWADDR, &ifr) != 0) {
    return Status::Errno(errno, "SIOCGIFHWADDR on %s", dev);
  }
  if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    return Status::Fail("%s is not Ethernet (hardware type %d)", dev, ifr.ifr_hwaddr.sa_family);
  }
  memcpy(mac->bytes, ifr.ifr_hwaddr.sa_data, 6);
  *ifindex = static_cast<int>(index);
  return OkStatus();
}

// An ARP socket on `dev` and the device's MAC; the tests and the bench send
// on no VLAN.
Status OpenOn(const char* dev, ArpSocket* socket, MacAddress* own) {
  int ifindex = 0;
  Status status = LookUp(dev, &ifindex, own);
  return status.ok() ? socket->Open(ifindex, /*vlan=*/false) : status;
}

bool ParseAddress(const char* text, Ipv4* out) {
  if (ParseIpv4(text, out)) return true;
  fprintf(stderr, "arptool: bad address '%s'\n", text);
  return false;
}

int Garp(char** argv) {
  GarpKind kind;
  if (strcmp(argv[3], "U") == 0) {
    kind = GarpKind::kRequest;
  } else if (strcmp(argv[3], "A") == 0) {
    kind = GarpKind::kReply;
  } else {
    return Usage();
  }
  Ipv4 address;
  Ipv4 target;
  if (!ParseAddress(argv[4], &address) || !ParseAddress(argv[5], &target)) return kExitError;
  MacAddress own;
  ArpSocket socket;
  Status status = OpenOn(argv[2], &socket, &own);
  if (status.ok()) status = ArpAnnounce(socket, own, address, target, kind);
  return status.ok() ? kExitOk : Fail(status);
}

int Probe(char** argv) {
  Ipv4 address;
  if (!ParseAddress(argv[3], &address)) return kExitError;
  char* end;
  errno = 0;
  long window_ms = strtol(argv[4], &end, 10);
  if (errno != 0 || *end != '\0' || end == argv[4] || window_ms < 0 || window_ms > 600000) {
    fprintf(stderr, "arptool: bad window '%s'\n", argv[4]);
    return kExitError;
  }
  // Listen before sending, so an answer cannot arrive before the socket does.
  MacAddress own;
  ArpSocket socket;
  Status status = OpenOn(argv[2], &socket, &own);
  if (!status.ok()) return Fail(status);
  uint8_t frame[kArpFrameSize];
  status = socket.Send(frame, BuildArpProbe(own, address, frame, sizeof frame));
  if (!status.ok()) return Fail(status);

  int64_t deadline = MonotonicMs() + window_ms;
  for (;;) {
    MacAddress who;
    Result<bool> conflict = socket.ReceiveConflict(own, address, &who);
    if (!conflict.ok()) return Fail(conflict.status());
    if (conflict.value()) {
      const uint8_t* b = who.bytes;
      printf("conflict: %02x:%02x:%02x:%02x:%02x:%02x\n", b[0], b[1], b[2], b[3], b[4], b[5]);
      return kExitConflict;
    }
    int64_t left = MsUntil(deadline, MonotonicMs());
    if (left == 0) return kExitOk;
    pollfd pfd = {socket.fd(), POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left)) < 0 && errno != EINTR) {
      return Fail(Status::Errno(errno, "poll ARP socket on %s", argv[2]));
    }
  }
}

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

bool ParseCount(const char* text, long lo, long hi, long* out) {
  char* end;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno != 0 || *end != '\0' || end == text || v < lo || v > hi) {
    fprintf(stderr, "arptool: '%s' is not %ld..%ld\n", text, lo, hi);
    return false;
  }
  *out = v;
  return true;
}

// Frame k is due at start + k / RATE s: each wake-up sends every frame due
// by then, so a late wake-up is caught up and the average rate stays RATE.
// Frame k: ARP request from DEV's MAC, sender 192.0.2.(150 + k % 50),
// target 192.0.2.(200 + k % 50): TEST-NET-1 hosts that no node of the bench
// holds, so they are about no address anyone watches. Prints frames sent,
// the time taken and the latest a frame went out after it was due.
int Flood(char** argv) {
  long rate;
  long seconds;
  if (!ParseCount(argv[3], 1, 100000, &rate) || !ParseCount(argv[4], 1, 600, &seconds)) {
    return kExitError;
  }
  MacAddress own;
  ArpSocket socket;
  Status status = OpenOn(argv[2], &socket, &own);
  if (!status.ok()) return Fail(status);
  const int64_t total = rate * seconds;
  const int64_t start = NowNs();
  int64_t sent = 0;
  int64_t failed = 0;
  int64_t max_late_ns = 0;
  while (sent + failed < total) {
    const int64_t k = sent + failed;
    const int64_t due = start + k * 1000000000 / rate;
    int64_t now = NowNs();
    if (now < due) {
      timespec ts = {static_cast<time_t>(due / 1000000000), static_cast<long>(due % 1000000000)};
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
      now = NowNs();
    }
    if (now - due > max_late_ns) max_late_ns = now - due;
    constexpr uint32_t kTestNet1 = 0xc0000200;  // 192.0.2.0
    const Ipv4 sender{kTestNet1 + 150 + static_cast<uint32_t>(k % 50)};
    const Ipv4 target{kTestNet1 + 200 + static_cast<uint32_t>(k % 50)};
    if (ArpAnnounce(socket, own, sender, target, GarpKind::kRequest).ok()) {
      ++sent;
    } else {
      ++failed;
    }
  }
  const int64_t elapsed = NowNs() - start;
  printf("sent=%lld failed=%lld elapsed_us=%lld max_late_us=%lld\n", static_cast<long long>(sent),
         static_cast<long long>(failed), static_cast<long long>(elapsed / 1000),
         static_cast<long long>(max_late_ns / 1000));
  return failed == 0 ? kExitOk : kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && strcmp(argv[1], "garp") == 0) return Garp(argv);
  if (argc == 5 && strcmp(argv[1], "probe") == 0) return Probe(argv);
  if (argc == 5 && strcmp(argv[1], "flood") == 0) return Flood(argv);
  return Usage();
}
