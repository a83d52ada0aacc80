// SPDX-License-Identifier: Apache-2.0
// The tag's check record (host.h's CheckRecord) as it is kept in the state
// directory, "TAG@...check": the last periodic check, and the last failure
// when there was one, a line each:
//   last KIND ok|failed TIME
//   failure KIND TIME SINCE REASON
// KIND ready, quickCheck or monitor; TIME and SINCE wall-clock seconds; the
// REASON is the rest of the line. Anything else is not a record ipres wrote.
// Readable by everyone (status needs no privilege), written by root alone.
#pragma once

#include <stddef.h>

#include "base/status.h"
#include "host/state_dir.h"
#include "host/tag_store.h"

namespace ipres {

// Room for both lines with the longest reason.
constexpr size_t kCheckRecordCapacity = 96 + CheckRecord::kReasonCapacity;

// Writes the record into out, a reason's bytes other than printable ASCII as
// '?' (it is one line); returns its length (0 when it does not fit or there
// is no check to record).
size_t FormatCheckRecord(const CheckRecord& record, char* out, size_t size);
// Parses a record as FormatCheckRecord writes it; false on anything else.
bool ParseCheckRecord(const char* text, CheckRecord* out);

class CheckRecords {
 public:
  explicit CheckRecords(const char* dir) : dir_(dir) {}
  // TagStore::RecordCheck and TagStore::LastCheck.
  Status RecordCheck(const char* tag, const CheckRecord& record);
  Result<CheckRecord> LastCheck(const char* tag);

 private:
  StateDir dir_;
};

}  // namespace ipres
