#include "base/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

namespace ipres {

Status Status::Errno(int err, const char* fmt, ...) {
  Status s;
  s.failed_ = true;
  s.err_ = err;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s.message_, sizeof s.message_, fmt, ap);
  va_end(ap);
  return s;
}

Status Status::Fail(const char* fmt, ...) {
  Status s;
  s.failed_ = true;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s.message_, sizeof s.message_, fmt, ap);
  va_end(ap);
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

}  // namespace ipres
