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

const char* Status::Describe(char* out, size_t size) const {
  if (!failed_) {
    snprintf(out, size, "ok");
  } else if (err_ != 0) {
    snprintf(out, size, "%s: %s", message_, strerror(err_));
  } else {
    snprintf(out, size, "%s", message_);
  }
  return out;
}

}  // namespace ipres
