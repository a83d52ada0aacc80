// SPDX-License-Identifier: Apache-2.0
// Who holds a flock, as the kernel lists it in /proc/locks (fs/locks.c):
//   "1: FLOCK  ADVISORY  WRITE 123 00:1a:4567 0 EOF"
// ID, kind, mode, access, the holder's pid, MAJOR:MINOR:INODE (hex, hex,
// decimal) of the file, then the range. A process waiting for that lock is
// listed under it as "1: -> FLOCK  ADVISORY  WRITE 124 00:1a:4567 0 EOF".
#pragma once

namespace ipres {

// The file a lock is on, as /proc/locks names it.
struct LockedFile {
  unsigned long dev_major = 0;
  unsigned long dev_minor = 0;
  unsigned long inode = 0;
};

// True when `line` (one line, no newline; split in place) shows a granted
// FLOCK on `file`: *pid gets its holder. Waiters, POSIX and other locks,
// other files and malformed lines are false.
bool ParseFlockHolder(char* line, const LockedFile& file, int* pid);

// The pid holding the flock on fd; 0 when /proc/locks does not tell.
int FlockHolderPid(int fd);

}  // namespace ipres
