// SPDX-License-Identifier: Apache-2.0
// The monitor's watch on the state directory for new last words (contract:
// "`ipres monitor` acts on a new word at once"): inotify, so a word is seen
// when its record is renamed into place or deleted, not at the next check.
// Part of EventSource's one poll.
#pragma once

#include "base/fd.h"
#include "base/status.h"

namespace ipres {

class WordWatch {
 public:
  // Watches `dir` (already made and checked by StateDir).
  Status Open(const char* dir);
  int fd() const { return fd_.get(); }
  // Reads what is pending without waiting: true when a word record was
  // written or deleted (or the kernel's queue overflowed, so one may have).
  Result<bool> TakeChange();

 private:
  UniqueFd fd_;
};

}  // namespace ipres
