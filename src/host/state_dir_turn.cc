// SPDX-License-Identifier: Apache-2.0
// The writers' turn on the state directory: records written without the
// tag's lock (the engine's word) are written, or withdrawn, one at a time.
#include <errno.h>
#include <sys/file.h>

#include "host/state_dir.h"

namespace ipres {

Status StateDir::TakeWriteTurn() {
  if (!dir_.valid()) return Status::Errno(EBADF, "%s is not open", path_);
  // A stop signal does not end the wait: the turn is a write's, not a wait.
  while (flock(dir_.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return Status::Errno(errno, "lock %s for a record", path_);
  }
  return OkStatus();
}

Status StateDir::EndWriteTurn() {
  if (flock(dir_.get(), LOCK_UN) != 0) return Status::Errno(errno, "unlock %s", path_);
  return OkStatus();
}

}  // namespace ipres
