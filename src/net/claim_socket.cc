// SPDX-License-Identifier: Apache-2.0
#include "net/claim_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>

#include "net/claim.h"
#include "net/frame.h"
#include "net/ndp_socket.h"

namespace ipres {
namespace {

// A claim is an ARP packet or an advertisement that fits an Ethernet frame
// (with a tag); a longer frame arrives cut short and fails the checks.
constexpr size_t kReceiveBytes = kEthernetHeaderSize + kVlanTagSize + ETH_DATA_LEN;

uint16_t Protocol(const IpAddress& address) {
  return htons(address.is_v6() ? ETH_P_IPV6 : ETH_P_ARP);
}

}  // namespace

Status ClaimSocket::Open(int ifindex, const IpAddress& address, const MacAddress& own, bool vlan) {
  Close();
  // Protocol 0 until bind: nothing is queued before the filter is attached.
  const int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return Status::Errno(errno, "socket AF_PACKET for the claim watch on ifindex %d", ifindex);
  }
  UniqueFd owned(fd);
  // The filter wakes us only for claims, which come one at a time: a small
  // queue (the kernel doubles this) is enough.
  const int queue = 8192;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &queue, sizeof queue) != 0) {
    return Status::Errno(errno, "SO_RCVBUF on the claim watch for ifindex %d", ifindex);
  }
  sock_filter program[kClaimFilterCapacity];
  const size_t len =
      address.is_v6() ? BuildNaClaimFilter(address.v6(), vlan, program, kClaimFilterCapacity)
                      : BuildArpClaimFilter(address.v4(), own, vlan, program, kClaimFilterCapacity);
  const sock_fprog filter = {static_cast<unsigned short>(len), program};
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &filter, sizeof filter) != 0) {
    return Status::Errno(errno, "SO_ATTACH_FILTER on the claim watch for ifindex %d", ifindex);
  }
  sockaddr_ll sll = {};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = Protocol(address);
  sll.sll_ifindex = ifindex;
  if (bind(fd, reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0) {
    return Status::Errno(errno, "bind the claim watch to ifindex %d", ifindex);
  }
  fd_ = static_cast<UniqueFd&&>(owned);
  ifindex_ = ifindex;
  address_ = address;
  own_ = own;
  vlan_ = vlan;
  return OkStatus();
}

void ClaimSocket::Close() {
  fd_.Reset(-1);
}

Status ClaimSocket::SendProbe() {
  uint8_t frame[kClaimProbeCapacity];
  const size_t len =
      address_.is_v6()
          ? BuildNaClaimProbe(address_.v6(), own_, RandomNdpNonce(), frame, sizeof frame)
          : BuildArpClaimProbe(address_.v4(), own_, frame, sizeof frame);
  sockaddr_ll to = {};
  to.sll_family = AF_PACKET;
  to.sll_protocol = Protocol(address_);
  to.sll_ifindex = ifindex_;
  to.sll_halen = ETH_ALEN;
  memcpy(to.sll_addr, frame, ETH_ALEN);  // the frame's destination
  ssize_t n;
  do {
    n = sendto(fd_.get(), frame, len, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    return Status::Errno(errno, "send the claim probe for %s on ifindex %d", IpText(address_).s,
                         ifindex_);
  }
  if (static_cast<size_t>(n) != len) {
    return Status::Fail("send the claim probe for %s on ifindex %d: sent %zd of %zu bytes",
                        IpText(address_).s, ifindex_, n, len);
  }
  return OkStatus();
}

Result<bool> ClaimSocket::ReceiveClaim(MacAddress* claimant, bool* may_answer_probe) {
  uint8_t frame[kReceiveBytes];
  for (;;) {
    sockaddr_ll from = {};
    socklen_t from_len = sizeof from;
    const ssize_t n =
        recvfrom(fd_.get(), frame, sizeof frame, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
      if (IsDeviceDownError(errno)) continue;
      return Status::Errno(errno, "recvfrom on the claim watch for %s on ifindex %d",
                           IpText(address_).s, ifindex_);
    }
    if (!DeliveredToThisNode(from.sll_pkttype)) continue;
    const size_t len = static_cast<size_t>(n);
    const bool claim = address_.is_v6()
                           ? IsNaClaim(frame, len, vlan_, address_.v6(), own_, claimant)
                           : IsArpClaim(frame, len, vlan_, address_.v4(), own_, claimant);
    if (!claim) continue;
    *may_answer_probe = address_.is_v6() || AnswersArpProbe(frame, len, vlan_);
    return true;
  }
}

}  // namespace ipres
