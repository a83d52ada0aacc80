// Telling the network the address is here (spec "Assigning virtual IP
// addresses and flushing the ARP table", after the add): restore's flush and
// gratuitous ARPs, and the monitor's later repeats of the ARPs.
#pragma once

#include "ops/op.h"

namespace ipres {

// The four gratuitous ARPs of restore (-U and -A to the address, then to the
// subnet broadcast); for IPv6, four unsolicited neighbour advertisements.
// False when any could not be sent (each is logged).
bool AnnounceAddress(const Op& op);
// Flush the device's neighbours, then AnnounceAddress; when an announcement
// cannot go out, the spec's fallback: flush again, so at least this node
// forgets stale neighbours. A failure here is logged, never fatal.
void FlushAndAnnounce(const Op& op);

}  // namespace ipres
