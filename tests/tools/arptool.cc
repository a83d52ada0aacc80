// Test tool over net/arp for the namespace tests:
//   arptool garp DEV U|A ADDRESS TARGET   one gratuitous ARP (arping -U / -A)
//   arptool probe DEV ADDRESS WINDOW_MS   an RFC 5227 probe, then listen
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
      "       arptool probe DEV ADDRESS WINDOW_MS\n",
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
  int ifindex;
  MacAddress own;
  Status status = LookUp(argv[2], &ifindex, &own);
  if (!status.ok()) return Fail(status);
  ArpSocket socket;
  status = socket.Open(ifindex, /*vlan=*/false);  // the tests send on no VLAN
  if (status.ok()) status = SendGratuitousArp(socket, own, address, target, kind);
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
  int ifindex;
  MacAddress own;
  Status status = LookUp(argv[2], &ifindex, &own);
  if (!status.ok()) return Fail(status);

  // Listen before sending, so an answer cannot arrive before the socket does.
  ArpSocket socket;
  status = socket.Open(ifindex, /*vlan=*/false);  // the tests send on no VLAN
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

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && strcmp(argv[1], "garp") == 0) return Garp(argv);
  if (argc == 5 && strcmp(argv[1], "probe") == 0) return Probe(argv);
  return Usage();
}
