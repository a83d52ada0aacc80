// SPDX-License-Identifier: Apache-2.0
#include "host/check_record.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>

#include "base/fd.h"
#include "base/text_fields.h"

namespace ipres {
namespace {

constexpr char kCheckKind[] = "check";
constexpr char kCheckLockKind[] = "check-lock";

constexpr struct {
  CheckKind kind;
  const char* name;
} kCheckNames[] = {
    {CheckKind::kReady, "ready"},
    {CheckKind::kQuickCheck, "quickCheck"},
    {CheckKind::kMonitor, "monitor"},
};

bool ParseKind(const char* text, CheckKind* out) {
  for (const auto& k : kCheckNames) {
    if (strcmp(text, k.name) == 0) {
      *out = k.kind;
      return true;
    }
  }
  return false;
}

bool ParseTime(const char* text, int64_t* out) {
  uint64_t value = 0;
  if (ParseDecimal(text, strlen(text), 1, INT64_MAX, &value) != FieldParse::kOk) return false;
  *out = static_cast<int64_t>(value);
  return true;
}

// "last KIND ok|failed TIME", without its newline.
bool ParseLast(char* line, CheckRecord* out) {
  char* f[kMaxFields];
  if (SplitFields(line, f) != 4 || strcmp(f[0], "last") != 0) return false;
  if (!ParseKind(f[1], &out->last)) return false;
  if (strcmp(f[2], "ok") != 0 && strcmp(f[2], "failed") != 0) return false;
  out->last_ok = f[2][0] == 'o';
  return ParseTime(f[3], &out->last_at_s);
}

// "failure KIND TIME SINCE REASON", without its newline: four fields, one
// space each, then the reason, printable ASCII.
bool ParseFailure(char* line, CheckRecord* out) {
  char* reason = line;
  for (int spaces = 0; spaces < 4; ++spaces) {
    reason = strchr(reason, ' ');
    if (!reason) return false;
    *reason++ = '\0';
  }
  const size_t len = strlen(reason);
  if (len == 0 || len >= sizeof out->reason) return false;
  for (size_t i = 0; i < len; ++i) {
    if (reason[i] < 0x20 || reason[i] > 0x7e) return false;
  }
  const char* kind = line + strlen(line) + 1;
  const char* at = kind + strlen(kind) + 1;
  const char* since = at + strlen(at) + 1;
  if (strcmp(line, "failure") != 0 || !ParseKind(kind, &out->failed) ||
      !ParseTime(at, &out->failed_at_s) || !ParseTime(since, &out->failing_since_s)) {
    return false;
  }
  memcpy(out->reason, reason, len + 1);
  return true;
}

}  // namespace

const char* CheckKindName(CheckKind kind) {
  for (const auto& k : kCheckNames) {
    if (k.kind == kind) return k.name;
  }
  return "none";
}

size_t FormatCheckRecord(const CheckRecord& record, char* out, size_t size) {
  if (record.last == CheckKind::kNone) return 0;
  int n = snprintf(out, size, "last %s %s %" PRId64 "\n", CheckKindName(record.last),
                   record.last_ok ? "ok" : "failed", record.last_at_s);
  if (n <= 0 || static_cast<size_t>(n) >= size) return 0;
  size_t used = static_cast<size_t>(n);
  if (record.failed_at_s == 0) return used;
  char reason[CheckRecord::kReasonCapacity];
  snprintf(reason, sizeof reason, "%s", record.reason[0] ? record.reason : "?");
  for (char* c = reason; *c; ++c) {
    if (*c < 0x20 || *c > 0x7e) *c = '?';
  }
  n = snprintf(out + used, size - used, "failure %s %" PRId64 " %" PRId64 " %s\n",
               CheckKindName(record.failed), record.failed_at_s, record.failing_since_s, reason);
  if (n <= 0 || static_cast<size_t>(n) >= size - used) return 0;
  return used + static_cast<size_t>(n);
}

bool ParseCheckRecord(const char* text, CheckRecord* out) {
  char copy[kCheckRecordCapacity];
  const size_t len = strlen(text);
  if (len == 0 || len >= sizeof copy || text[len - 1] != '\n') return false;
  memcpy(copy, text, len + 1);
  copy[len - 1] = '\0';
  char* second = strchr(copy, '\n');
  if (second) *second++ = '\0';
  *out = CheckRecord();
  if (!ParseLast(copy, out)) return false;
  // A failed last check is the last failure too.
  if (!second) return out->last_ok;
  return ParseFailure(second, out);
}

// The checks run without the tag's lock (an engine's ready must not wait
// for a restore), so two may end at once: a lock of the record's own keeps
// their writes one after the other, each whole. The kernel lets go of it
// when its holder dies.
Status CheckRecords::RecordCheck(const char* tag, const CheckRecord& record) {
  char text[kCheckRecordCapacity];
  if (FormatCheckRecord(record, text, sizeof text) == 0) {
    return Status::Errno(EINVAL, "check record of %s: nothing to record", tag);
  }
  Status s = dir_.Open();
  if (!s.ok()) return s;
  Result<int> lock = dir_.OpenLockFile(tag, kCheckLockKind);
  if (!lock.ok()) return lock.status();
  UniqueFd held(lock.value());
  if (flock(held.get(), LOCK_EX) != 0) {
    char path[StateDir::kPathCapacity];
    return Status::Errno(errno, "lock %s", dir_.PathOf(tag, kCheckLockKind, path, sizeof path));
  }
  return dir_.WriteRecord(tag, kCheckKind, text);
}

// A read never makes /run/ipres: status runs without privilege, and a check
// that finds no directory has no last result.
Result<CheckRecord> CheckRecords::LastCheck(const char* tag) {
  Result<bool> present = dir_.OpenIfPresent();
  if (!present.ok()) return present.status();
  CheckRecord record;
  if (!present.value()) return record;
  char text[kCheckRecordCapacity];
  Result<bool> there = dir_.ReadRecord(tag, kCheckKind, text, sizeof text);
  if (!there.ok()) return there.status();
  if (!there.value()) return record;
  if (!ParseCheckRecord(text, &record)) {
    char path[StateDir::kPathCapacity];
    return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                         dir_.PathOf(tag, kCheckKind, path, sizeof path));
  }
  return record;
}

}  // namespace ipres
