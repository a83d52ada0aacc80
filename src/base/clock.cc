// SPDX-License-Identifier: Apache-2.0
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

namespace {

// Days since 1970-01-01 as a proleptic Gregorian date. Counted in 400-year
// eras of 146097 days, with years that begin on March 1st, so the leap day
// is the last of its year. (Not musl's gmtime_r: it links the time zone
// code, and that the allocator.)
void CivilDate(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;  // from 0000-03-01
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned march_month = (5 * day_of_year + 2) / 153;  // 0: March
  *day = day_of_year - (153 * march_month + 2) / 5 + 1;
  *month = march_month < 10 ? march_month + 3 : march_month - 9;
  *year = static_cast<int64_t>(year_of_era) + era * 400 + (*month <= 2 ? 1 : 0);
}

}  // namespace

UtcText::UtcText(int64_t epoch_s) {
  const int64_t days = (epoch_s >= 0 ? epoch_s : epoch_s - 86399) / 86400;
  const int64_t second_of_day = epoch_s - days * 86400;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilDate(days, &year, &month, &day);
  snprintf(s, sizeof s, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(year), month,
           day, static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
           static_cast<int>(second_of_day % 60));
}

}  // namespace ipres
