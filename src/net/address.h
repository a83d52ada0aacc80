// SPDX-License-Identifier: Apache-2.0
// IPv4 and IPv6 addresses over rtnetlink: read, add, delete. Dumps are consumed as
// they arrive, one address at a time: nothing caps how many the node holds.
#pragma once

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <stdint.h>

#include "base/address_types.h"
#include "base/ip_address.h"
#include "base/status.h"
#include "net/link.h"
#include "netlink/message.h"
#include "netlink/socket.h"

namespace ipres {

// Decodes an RTM_NEWADDR/RTM_DELADDR message for AF_INET or AF_INET6; false
// when it is malformed or of another family.
bool ParseAddressMessage(const nlmsghdr* msg, AddressInfo* out);

// Hands every address of family af (AF_INET, AF_INET6) of one device
// (ifindex > 0) or of the node (0) to the visitor.
Status VisitAddresses(NetlinkSocket& nl, int af, int ifindex, AddressVisitor& visitor);

// True when any device of the node holds `address` (with any prefix).
Result<bool> IsNodeAddress(NetlinkSocket& nl, const IpAddress& address);

// As `ip -4 addr add A/P broadcast + label DEV dev DEV`, or for IPv6 `ip -6
// addr add A/P dev DEV nodad` (ipres ran its own duplicate check, so the
// address is usable at once, never tentative), with `preferred_lft 0` when
// `use` says deprecated: EEXIST when present.
Status AddAddress(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address, uint8_t prefix,
                  SourceUse use);
// IPv6: the same request for an address already there (`ip -6 addr
// replace`, NLM_F_REPLACE): its flags and lifetimes become what AddAddress
// gives a new one; the kernel keeps its prefix length and prefix route
// (whatever `prefix` says), and adds it if it is gone.
Status ReplaceAddress(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address,
                      uint8_t prefix, SourceUse use);
// The family header and attributes of their RTM_NEWADDR (sent with
// NLM_F_CREATE and NLM_F_EXCL or NLM_F_REPLACE); pure, so the unit tests
// check its bytes.
void PutNewAddress(Request<ifaddrmsg>& req, const LinkInfo& link, const IpAddress& address,
                   uint8_t prefix, SourceUse use);

// Deletes exactly A/P on the device (IFA_LOCAL and IFA_ADDRESS both given,
// so no other address sharing the IP can match). Deleting a primary address
// normally takes the subnet's secondaries with it; when there are any, the
// device's promote_secondaries is turned on for the delete and put back.
// IPv6 has no secondaries.
Status DeleteAddress(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address,
                     uint8_t prefix);

}  // namespace ipres
