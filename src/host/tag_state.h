// SPDX-License-Identifier: Apache-2.0
// What SystemHost keeps for each tag in the state directory (/run/ipres):
// the lock that serialises operations on it, with the request to abandon a
// bring-up, and the "wanted" (the last word), "unfinished" and "conflict"
// records. See host.h for what each means to an operation.
#pragma once

#include <stdint.h>

#include "base/status.h"
#include "host/state_dir.h"
#include "host/tag_lock.h"
#include "host/tag_store.h"

namespace ipres {

// The kind of the word's record, "TAG@NETNS.wanted".
constexpr char kWordKind[] = "wanted";

class TagState {
 public:
  explicit TagState(const char* dir) : dir_(dir) {}

  // TagStore::LockTag: tried without blocking first, so it can tell whether it
  // waited; a wait for the lock ends with an error on a signal once
  // stopping() says the process is to stop.
  Result<LockTaken> LockTag(const char* tag, LockIntent intent, bool (*stopping)());
  Status AcceptAbandonRequests() { return lock_.AcceptAbandonRequests(); }
  bool AbandonRequested() { return lock_.AbandonRequested(); }
  void UnlockTag() { lock_.Release(); }

  // Makes the state directory (the monitor watches it for new words): its
  // path once made and checked.
  Result<const char*> OpenDir();
  Result<Word> RecordWord(const char* tag, bool wanted);
  Result<Word> LastWord(const char* tag);
  Status WithdrawWord(const char* tag, const Word& mine);

  Status MarkUnfinished(const char* tag, uint32_t steps);
  Status ClearUnfinished(const char* tag, uint32_t steps);
  Result<uint32_t> Unfinished(const char* tag);

  Status RecordConflict(const char* tag, const Conflict& conflict);
  Result<Conflict> RecordedConflict(const char* tag);

 private:
  Status WriteUnfinished(const char* tag, uint32_t steps);
  Result<Word> ReadWord(const char* tag);
  // Holds the lock or lets go of the lock file: a failure to take it (or to
  // do what must come before) releases the file again.
  Result<LockTaken> Taken(const Status& s, const LockTaken& taken);

  StateDir dir_;
  TagLockFile lock_{dir_};
};

}  // namespace ipres
