// SPDX-License-Identifier: Apache-2.0
// The lock on one tag across processes, and the request to abandon that a
// take-down (remove) sends the bring-up (restore, recover) holding it.
//
// The lock is a flock on the tag's lock file in the state directory; the
// kernel releases it when the holder ends or dies. A bring-up that may be
// abandoned says so in the tag's "holder" record: "PID up ID", ID a random
// number for this one operation. A take-down that finds the lock held reads
// the record, checks with /proc/locks that PID is the holder, and sends it
// SIGUSR1 carrying ID (sigqueue). The holder acts on the request only while it
// runs that operation: outside one the signal is ignored by the kernel (so a
// request that arrives after the holder let go of the lock, late, never stops
// a monitor), and during one a request carrying another operation's id is
// ignored; a plain `kill -USR1` by hand still makes it abandon. A bring-up
// that saw the request leaves "PID abandoned ID" when it lets go, so the
// take-down reports that it made the bring-up abandon only when it did.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/fd.h"
#include "base/status.h"
#include "config/resource.h"
#include "host/state_dir.h"

namespace ipres {

struct HolderRecord {
  enum class State { kUp, kAbandoned };
  unsigned long pid = 0;
  State state = State::kUp;
  uint32_t operation = 0;
};
// "PID up ID\n" or "PID abandoned ID\n"; false for anything else.
bool ParseHolderRecord(const char* text, HolderRecord* out);
bool FormatHolderRecord(const HolderRecord& record, char* out, size_t size);

// SIGUSR1 ignored until an operation accepts abandon requests. Once per
// process, before the first lock.
void IgnoreAbandonRequests();

// One tag's lock, held by this process or being waited for. One at a time
// per process.
class TagLockFile {
 public:
  explicit TagLockFile(StateDir& dir) : dir_(dir) {}

  // Opens the tag's lock file (state directory open).
  Status Open(const char* tag);
  // Takes the lock if it is free: true when taken.
  Result<bool> TryTake();
  // Waits for the lock. A signal ends the wait with an error when stopping()
  // says the process is to stop.
  Status Take(bool (*stopping)());
  // True, with the record, when the lock is held by a bring-up that accepts
  // abandon requests (its record names the pid /proc/locks gives).
  bool FindAbandonableHolder(HolderRecord* holder);
  // Sends holder the request for its operation; true when it was sent.
  bool AskToAbandon(const HolderRecord& holder) const;
  // Once the lock is taken after asking: true when the holder asked saw the
  // request and gave up at it.
  bool AbandonedAt(const HolderRecord& asked);

  // The holder side, lock taken: records "PID up ID" for a fresh ID and
  // acts on requests for it from now until Release. Failing to record is an
  // error: without the record a take-down would wait instead of preempting.
  Status AcceptAbandonRequests();
  // True once a request for the running operation arrived; the operation
  // then counts as having seen it.
  bool AbandonRequested();

  // Lets go of the lock (or of the lock file, when it was never taken).
  void Release();

 private:
  StateDir& dir_;
  UniqueFd fd_;
  char tag_[kTagCapacity] = {};
};

}  // namespace ipres
