// SPDX-License-Identifier: Apache-2.0
// Entry point: `ipres COMMAND ...` (cli/dispatch.h), or `lkping ...` when
// called by that name (contract "Binary": a symlink, BusyBox style).
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/standard_fds.h"
#include "cli/commands.h"
#include "cli/dispatch.h"
#include "cli/lkping.h"

int main(int argc, char** argv) {
  const char* slash = argc > 0 ? strrchr(argv[0], '/') : nullptr;
  const char* name = slash ? slash + 1 : argc > 0 ? argv[0] : "ipres";
  const bool lkping = !strcmp(name, ipres::kLkpingName);
  // Before anything opens a descriptor (syslog's socket included).
  ipres::Status fds = ipres::OpenMissingStandardFds();
  if (!fds.ok()) {
    // Straight to stderr, if that is open: a log line would try syslog, whose
    // socket could land on a closed standard descriptor.
    char line[340];
    int n = snprintf(line, sizeof line, "%s: %s\n", name, ipres::StatusText(fds).c_str());
    if (n > 0) {
      size_t len = static_cast<size_t>(n) < sizeof line ? static_cast<size_t>(n) : sizeof line - 1;
      ssize_t ignored = write(STDERR_FILENO, line, len);
      (void)ignored;
    }
    // lkping's "any other error" is not ipres's: 1 is its "no reply".
    const bool as_lkping = lkping || (argc > 1 && !strcmp(argv[1], ipres::kLkpingName));
    return as_lkping ? ipres::kLkpingExitError : ipres::kExitFailed;
  }
  if (lkping) return ipres::LkpingMain(argc, argv);
  return ipres::IpresMain(argc, argv);
}
