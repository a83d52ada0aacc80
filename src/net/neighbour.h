// SPDX-License-Identifier: Apache-2.0
// Neighbour (ARP/ND) entries over rtnetlink.
#pragma once

#include "base/status.h"
#include "net/link.h"
#include "netlink/socket.h"

namespace ipres {

// As `ip neigh flush dev DEV`: deletes the device's entries of every family
// except permanent and NOARP ones.
Status FlushNeighbours(NetlinkSocket& nl, const LinkInfo& link);

}  // namespace ipres
