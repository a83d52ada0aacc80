// SPDX-License-Identifier: Apache-2.0
// Least privilege: ipres runs as root, but keeps only the capabilities its
// sockets need and can never gain more (no_new_privs). Capabilities are read
// and set with capget/capset and prctl directly; there is no libcap on the
// appliance.
#pragma once

#include "base/status.h"

namespace ipres {

// The capabilities ipres ever needs, as a set of these bits.
enum : unsigned {
  kCapNetAdmin = 1u << 0,  // rtnetlink changes: addresses, routes, links, neighbours
  kCapNetRaw = 1u << 1,    // raw ICMP and AF_PACKET sockets
};

// Checks that the process holds every capability in `keep` (permitted set);
// if not, fails with EPERM naming each missing one and changes nothing.
// Otherwise leaves exactly `keep` permitted and effective, nothing
// inheritable or ambient, and sets no_new_privs.
Status KeepOnlyCapabilities(unsigned keep);

}  // namespace ipres
