// SPDX-License-Identifier: Apache-2.0
// Everything the operations see of the machine, as the small seams it is
// made of, one per concern: the link and its addresses, routes and
// neighbours (LinkConfig); probes and announcements (Probes); the tag's
// state and locks (TagStore); the clock and stop requests (Pacer); and the
// monitor's one wait for events (Events). A helper that needs one concern
// takes that seam; an operation that needs several takes the Host. The
// seams declare no socket: SystemHost (system_host.h) implements them over
// net/, unit tests fake them (tests/unit/mock_host.h).
#pragma once

#include "host/events.h"
#include "host/link_config.h"
#include "host/pacer.h"
#include "host/probes.h"
#include "host/tag_store.h"

namespace ipres {

class Host : public LinkConfig, public Probes, public TagStore, public Pacer, public Events {
 protected:
  ~Host() = default;
};

}  // namespace ipres
