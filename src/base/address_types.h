// SPDX-License-Identifier: Apache-2.0
// An address as the kernel lists it on a device, and the visitor that takes
// a dump's addresses: plain data, produced by net/address.h and read by the
// operations through the host's seams (which must not see net/).
#pragma once

#include <stdint.h>

#include "base/ip_address.h"

namespace ipres {

struct AddressInfo {
  int ifindex = 0;
  IpAddress address;
  uint8_t prefix = 0;
  bool secondary = false;   // IFA_F_SECONDARY (IPv4)
  bool tentative = false;   // IFA_F_TENTATIVE: IPv6 DAD still running
  bool dad_failed = false;  // IFA_F_DADFAILED: IPv6 DAD found a holder
  // IPv6 privacy (IFA_F_TEMPORARY) or deprecated (IFA_F_DEPRECATED): the
  // kernel does not pick it as a source for new traffic. Deprecated is
  // still in service: it answers and may be bound as a source.
  bool temporary = false;
  bool deprecated = false;
};

// Whether the kernel may pick an IPv6 address as the source of the node's
// own new connections: preferred (lifetimes forever, as `ip addr add` sets
// them), or deprecated (preferred lifetime 0, valid forever: `ip -6 addr
// add ... preferred_lft 0`), which it passes over for any preferred one of
// the same scope (RFC 6724 rule 3). IPv4 has no such choice and ignores it.
enum class SourceUse : uint8_t { kPreferred, kDeprecated };

// Takes a dump's addresses one at a time, as libmnl hands each message to
// a callback; keeps what it needs, never a list of everything.
class AddressVisitor {
 public:
  // Before the dump, and again before each retry of a dump the kernel
  // interrupted: forget what was seen.
  virtual void Reset() = 0;
  virtual void OnAddress(const AddressInfo& address) = 0;

 protected:
  ~AddressVisitor() = default;
};

}  // namespace ipres
