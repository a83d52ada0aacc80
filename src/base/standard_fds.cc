// SPDX-License-Identifier: Apache-2.0
#include "base/standard_fds.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

namespace ipres {

Status OpenMissingStandardFds() {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    // open() returns the lowest free descriptor: this one, as those below
    // it are open by now. Not close-on-exec, like any inherited stdio.
    int opened = open("/dev/null", O_RDWR | O_NOCTTY);
    if (opened < 0) return Status::Errno(errno, "open /dev/null in place of closed fd %d", fd);
    if (opened != fd) {
      close(opened);
      return Status::Errno(EBADF, "open /dev/null in place of closed fd %d: got fd %d", fd, opened);
    }
  }
  return OkStatus();
}

}  // namespace ipres
