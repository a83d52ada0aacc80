// SPDX-License-Identifier: Apache-2.0
// Frames as the claim watch's packet socket reads them, judged against an own
// MAC and held addresses the input also picks: both classifiers, through a
// tag and not, and the BPF programs (tests/unit/bpf_run.h) over the same
// bytes, which must never drop a frame the classifier calls a claim.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/bpf_run.h"
#include "base/byte_order.h"
#include "net/arp.h"
#include "net/claim.h"

using namespace ipres;

namespace {

// Own MAC (6), the IPv4 address (4), the IPv6 address (16), then the frame.
constexpr size_t kPrefix = 26;

// The claim, if any, and that the kernel's filter keeps all of it.
bool Claim(bool v6, const uint8_t* frame, size_t len, bool allow_tag, Ipv4 v4, const Ipv6& address,
           const MacAddress& own, MacAddress* claimant) {
  const bool claim = v6 ? IsNaClaim(frame, len, allow_tag, address, own, claimant)
                        : IsArpClaim(frame, len, allow_tag, v4, own, claimant);
  sock_filter program[kClaimFilterCapacity];
  const size_t n = v6 ? BuildNaClaimFilter(address, allow_tag, program, kClaimFilterCapacity)
                      : BuildArpClaimFilter(v4, own, allow_tag, program, kClaimFilterCapacity);
  const long kept = bpf_test::BpfRun(program, n, frame, len);
  if (kept < 0) abort();  // a program the kernel would refuse
  if (claim && static_cast<size_t>(kept) != len) abort();
  if (claim && *claimant == own) abort();
  return claim;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kPrefix) return 0;
  MacAddress own;
  Ipv6 v6;
  memcpy(own.bytes, data, 6);
  const Ipv4 v4 = {LoadBigEndian32(data + 6)};
  memcpy(v6.bytes, data + 10, 16);
  const uint8_t* frame = data + kPrefix;
  const size_t len = size - kPrefix;
  const bool families[] = {false, true};
  for (bool is_v6 : families) {
    MacAddress plain, through_tag;
    const bool untagged = Claim(is_v6, frame, len, false, v4, v6, own, &plain);
    const bool tagged = Claim(is_v6, frame, len, true, v4, v6, own, &through_tag);
    // Allowing a tag changes nothing for a frame without one.
    if (untagged && (!tagged || plain != through_tag)) abort();
  }
  // The duplicate check's rule reads the same frames, tagged or not: every
  // ARP claim is a conflict there too.
  const bool tag_allowed[] = {false, true};
  for (bool allow_tag : tag_allowed) {
    MacAddress claimant;
    if (IsArpClaim(frame, len, allow_tag, v4, own, &claimant) &&
        !IsArpConflict(frame, len, allow_tag, own, v4)) {
      abort();
    }
  }
  return 0;
}
