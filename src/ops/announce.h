// Telling the network the address is here (spec "Assigning virtual IP
// addresses and flushing the ARP table", after the add): restore's
// gratuitous ARPs, and the monitor's later repeats of them.
#pragma once

#include "ops/op.h"

namespace ipres {

// The four gratuitous ARPs of restore (-U and -A to the address, then to the
// subnet broadcast). False when any could not be sent (each is logged).
bool AnnounceAddress(const Op& op);

}  // namespace ipres
