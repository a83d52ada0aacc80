// IPv4 addresses over rtnetlink: list, add, delete.
#pragma once

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ipv4.h"
#include "base/status.h"
#include "net/link.h"
#include "netlink/socket.h"

namespace ipres {

struct AddressInfo {
  int ifindex = 0;
  Ipv4 address;
  uint8_t prefix = 0;
  bool secondary = false;  // IFA_F_SECONDARY
};

constexpr size_t kMaxAddresses = 64;
struct AddressList {
  AddressInfo items[kMaxAddresses];
  size_t count = 0;
};

// Decodes an RTM_NEWADDR/RTM_DELADDR message for AF_INET; false when it is
// malformed or of another family.
bool ParseAddressMessage(const nlmsghdr* msg, AddressInfo* out);

// The IPv4 addresses of one device (ifindex > 0) or of the node (0).
// More than kMaxAddresses is an error (ENOSPC), never a silent cut.
Status ListAddresses(NetlinkSocket& nl, int ifindex, AddressList* out);

// As `ip -4 addr add A/P broadcast B label DEV dev DEV`: EEXIST when present.
Status AddAddress(NetlinkSocket& nl, const LinkInfo& link, Ipv4 address, uint8_t prefix,
                  Ipv4 broadcast);

// Deletes exactly A/P on the device (IFA_LOCAL and IFA_ADDRESS both given,
// so no other address sharing the IP can match). Deleting a primary address
// normally takes the subnet's secondaries with it; when there are any, the
// device's promote_secondaries is turned on for the delete and put back.
Status DeleteAddress(NetlinkSocket& nl, const LinkInfo& link, Ipv4 address, uint8_t prefix);

}  // namespace ipres
