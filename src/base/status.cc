// SPDX-License-Identifier: Apache-2.0
#include "base/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

namespace ipres {

Status Status::Errno(int err, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Status s = Failure(err, fmt, ap);
  va_end(ap);
  return s;
}

Status Status::Fail(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Status s = Failure(0, fmt, ap);
  va_end(ap);
  return s;
}

Status Status::Failure(int err, const char* fmt, va_list ap) {
  Status s;
  s.failed_ = true;
  s.err_ = err;
  vsnprintf(s.message_, sizeof s.message_, fmt, ap);
  return s;
}

StatusText::StatusText(const Status& status) {
  if (status.ok()) {
    snprintf(text_, sizeof text_, "ok");
  } else if (status.err() != 0) {
    snprintf(text_, sizeof text_, "%s: %s", status.context(), strerror(status.err()));
  } else {
    snprintf(text_, sizeof text_, "%s", status.context());
  }
}

void TrapValueOfFailedResult(const Status& status) {
  char line[sizeof(StatusText) + 64];
  int n = snprintf(line, sizeof line, "internal: value() of a failed Result: %s\n",
                   StatusText(status).c_str());
  if (n > 0) {
    size_t len = static_cast<size_t>(n) < sizeof line ? static_cast<size_t>(n) : sizeof line - 1;
    ssize_t written = write(STDERR_FILENO, line, len);
    (void)written;  // about to trap: nowhere left to report a failing stderr
  }
  __builtin_trap();
}

}  // namespace ipres
