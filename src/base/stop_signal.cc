// SPDX-License-Identifier: Apache-2.0
#include "base/stop_signal.h"

#include <errno.h>
#include <signal.h>

namespace ipres {
namespace {

volatile sig_atomic_t g_stop_signalled = 0;

void OnStopSignal(int) {
  g_stop_signalled = 1;
}

}  // namespace

Status InstallStopHandlers() {
  struct sigaction sa = {};
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sa.sa_handler = OnStopSignal;
  const int signals[] = {SIGTERM, SIGINT};
  for (int sig : signals) {
    if (sigaction(sig, &sa, nullptr) != 0) return Status::Errno(errno, "sigaction %d", sig);
  }
  return OkStatus();
}

bool StopSignalled() {
  return g_stop_signalled != 0;
}

}  // namespace ipres
