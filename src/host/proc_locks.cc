// SPDX-License-Identifier: Apache-2.0
#include "host/proc_locks.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/fd.h"
#include "base/text_fields.h"

namespace ipres {

bool ParseFlockHolder(char* line, const LockedFile& file, int* pid) {
  char* f[kMaxFields];
  if (SplitFields(line, f) < 6 || strcmp(f[1], "FLOCK") != 0) return false;
  unsigned long holder, dev_major, dev_minor, inode;
  char* minor_part = strchr(f[5], ':');
  char* inode_part = minor_part ? strchr(minor_part + 1, ':') : nullptr;
  if (!inode_part || !ParseNumber(f[4], '\0', 10, &holder) ||
      !ParseNumber(f[5], ':', 16, &dev_major) ||
      !ParseNumber(minor_part + 1, ':', 16, &dev_minor) ||
      !ParseNumber(inode_part + 1, '\0', 10, &inode)) {
    return false;
  }
  if (inode != file.inode || dev_major != file.dev_major || dev_minor != file.dev_minor) {
    return false;
  }
  *pid = static_cast<int>(holder);
  return true;
}

int FlockHolderPid(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return 0;
  LockedFile file;
  file.dev_major = major(st.st_dev);
  file.dev_minor = minor(st.st_dev);
  file.inode = st.st_ino;
  UniqueFd locks(open("/proc/locks", O_RDONLY | O_CLOEXEC));
  if (!locks.valid()) return 0;
  char buf[4096];
  size_t used = 0;
  for (;;) {
    ssize_t n = read(locks.get(), buf + used, sizeof buf - 1 - used);
    if (n <= 0) return 0;
    used += static_cast<size_t>(n);
    buf[used] = '\0';
    char* line = buf;
    while (char* nl = strchr(line, '\n')) {
      *nl = '\0';
      int pid;
      if (ParseFlockHolder(line, file, &pid)) return pid;
      line = nl + 1;
    }
    used = static_cast<size_t>(buf + used - line);
    memmove(buf, line, used);
    if (used == sizeof buf - 1) used = 0;  // a line longer than any /proc/locks line
  }
}

}  // namespace ipres
