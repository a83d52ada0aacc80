#include "base/clock.h"

#include <stdio.h>
#include <time.h>

namespace ipres {

int64_t MonotonicMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // cannot fail for CLOCK_MONOTONIC
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int64_t MonotonicUs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

int64_t WallClockS() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);  // cannot fail for CLOCK_REALTIME
  return static_cast<int64_t>(ts.tv_sec);
}

UtcText::UtcText(int64_t epoch_s) {
  const time_t t = static_cast<time_t>(epoch_s);
  tm utc;
  if (!gmtime_r(&t, &utc)) {
    snprintf(s, sizeof s, "@%lld", static_cast<long long>(epoch_s));
    return;
  }
  snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d:%02dZ", utc.tm_year + 1900, utc.tm_mon + 1,
           utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

}  // namespace ipres
