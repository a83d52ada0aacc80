// SPDX-License-Identifier: Apache-2.0
// What a killed restore, remove or recover on a tag left half done, as the
// next operation on it (holding the tag's lock) finds and finishes it. The
// record lives beside the tag's lock (Host's UnfinishedStep bits).
#pragma once

#include <stdint.h>

#include "base/status.h"
#include "ops/op.h"

namespace ipres {

class LeftUnfinished {
 public:
  // Reads the record; a device a killed link check left down is brought up
  // here. A failure is logged; status() holds it.
  explicit LeftUnfinished(const Op& op);
  LeftUnfinished(const LeftUnfinished&) = delete;
  LeftUnfinished& operator=(const LeftUnfinished&) = delete;
  const Status& status() const { return status_; }

  // A killed restore added the address and did not see it through its
  // checks: it stays when it passes them now, else it is taken off again.
  bool address_added() const { return address_added_; }
  // Before an add: if this process is killed between the add and the end of
  // the checks, the next operation completes or undoes it. A failure to
  // record that is logged, then returned.
  Status RecordAdding();
  // The address is in service or gone: nothing of it is left to finish. A
  // record that could not be read goes whole, so it cannot block the next
  // restore.
  void AddressSettled();

 private:
  const Op& op_;
  Status status_;
  bool address_added_ = false;
};

// The steps are done; a failure to record that is logged only (a stale
// record costs the next operation a harmless repeat).
void ClearUnfinished(const Op& op, uint32_t steps);

}  // namespace ipres
