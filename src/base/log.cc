// SPDX-License-Identifier: Apache-2.0
#include "base/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/clock.h"

namespace ipres {
namespace {

constexpr int kFacilityDaemon = 3 << 3;
// Without a syslog daemon, try again this much later, not on every line.
constexpr int64_t kReconnectMs = 10000;
bool g_syslog_enabled = true;
int g_syslog_fd = -1;
int64_t g_next_connect_ms = 0;

// Connects to /dev/log on first use; a missing daemon is not an error.
void SendSyslog(LogLevel level, const char* text) {
  if (!g_syslog_enabled) return;
  if (g_syslog_fd < 0) {
    const int64_t now = MonotonicMs();
    if (now < g_next_connect_ms) return;
    g_next_connect_ms = now + kReconnectMs;
    g_syslog_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (g_syslog_fd < 0) return;
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, "/dev/log", sizeof "/dev/log");
    if (connect(g_syslog_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(g_syslog_fd);
      g_syslog_fd = -1;
      return;
    }
  }
  char line[600];
  // No timestamp: syslogd stamps messages that carry none.
  int n = snprintf(line, sizeof line, "<%d>ipres[%d]: %s",
                   kFacilityDaemon | static_cast<int>(level), static_cast<int>(getpid()), text);
  if (n <= 0) return;
  size_t len = static_cast<size_t>(n) < sizeof line ? static_cast<size_t>(n) : sizeof line - 1;
  if (send(g_syslog_fd, line, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN) {
    close(g_syslog_fd);
    g_syslog_fd = -1;
  }
}

LogHold* g_hold = nullptr;

// A line as Log formatted it (len bytes, with room for one more): to the
// innermost hold, or out (to syslog too unless stderr_only).
void Route(LogLevel level, char* text, size_t len, bool stderr_only = false) {
  // A hold that cannot keep it let go (and emitted what it held): the next
  // one out is asked.
  for (LogHold* hold = g_hold; hold; hold = hold == g_hold ? nullptr : g_hold) {
    if (hold->Keep(level, text, len)) return;
  }
  if (!stderr_only) SendSyslog(level, text);
  text[len] = '\n';
  ssize_t ignored = write(STDERR_FILENO, text, len + 1);
  (void)ignored;  // nowhere left to report a failing stderr
}

}  // namespace

void SetSyslogEnabled(bool enabled) {
  g_syslog_enabled = enabled;
}

void Log(LogLevel level, const char* fmt, ...) {
  char text[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(text, sizeof text - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  size_t len = static_cast<size_t>(n) < sizeof text - 1 ? static_cast<size_t>(n) : sizeof text - 2;
  Route(level, text, len);
}

LogHold::LogHold() : outer_(g_hold) {
  g_hold = this;
}

LogHold::~LogHold() {
  Release();
}

void LogHold::Release() {
  if (g_hold == this) g_hold = outer_;
  holding_ = false;
}

bool LogHold::Keep(LogLevel level, const char* text, size_t len) {
  if (!holding_) return false;
  if (used_ + len + 2 > sizeof held_) {
    Emit();
    return false;
  }
  held_[used_++] = static_cast<char>(level);
  memcpy(held_ + used_, text, len);
  used_ += len;
  held_[used_++] = '\0';
  return true;
}

void LogHold::Emit(To to) {
  if (!holding_) return;
  Release();
  char line[512];
  for (size_t at = 0; at < used_;) {
    const LogLevel level = static_cast<LogLevel>(held_[at++]);
    const size_t len = strlen(held_ + at);
    memcpy(line, held_ + at, len);  // Keep took at most what Log formats: it fits
    Route(level, line, len, to == To::kStderrOnly);
    at += len + 1;
  }
  used_ = 0;
}

void LogHold::Drop() {
  Release();
  used_ = 0;
}

}  // namespace ipres
