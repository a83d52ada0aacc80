// SPDX-License-Identifier: Apache-2.0
#include "net/net_event.h"

#include <linux/rtnetlink.h>
#include <string.h>

#include "net/address.h"

namespace ipres {

bool DecodeNetEvent(const nlmsghdr* msg, NetEvent* ev) {
  if (msg->nlmsg_type == RTM_NEWADDR || msg->nlmsg_type == RTM_DELADDR) {
    AddressInfo info;
    if (!ParseAddressMessage(msg, &info)) return false;
    ev->kind = msg->nlmsg_type == RTM_NEWADDR ? NetEventKind::kAddressAdded
                                              : NetEventKind::kAddressRemoved;
    ev->ifindex = info.ifindex;
    ev->address = info.address;
    ev->prefix = info.prefix;
    ev->tentative = info.tentative;
    ev->dad_failed = info.dad_failed;
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

}  // namespace ipres
