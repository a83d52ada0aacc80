// SPDX-License-Identifier: Apache-2.0
// SystemHost's TagStore: the tag's lock and records in /run/ipres
// (TagState, CheckRecords).
#include "base/stop_signal.h"
#include "host/system_host_class.h"

namespace ipres {

// An operation begins and ends with its tag's lock; so does the link it
// resolved.
Result<LockTaken> SystemHost::LockTag(const char* tag, LockIntent intent) {
  ForgetLink();
  return tags_.LockTag(tag, intent, ipres::StopSignalled);
}

Status SystemHost::AcceptAbandonRequests() {
  return tags_.AcceptAbandonRequests();
}

void SystemHost::UnlockTag() {
  ForgetLink();
  tags_.UnlockTag();
}

Result<Word> SystemHost::RecordWord(const char* tag, bool wanted) {
  return tags_.RecordWord(tag, wanted);
}

Result<Word> SystemHost::LastWord(const char* tag) {
  return tags_.LastWord(tag);
}

Status SystemHost::WithdrawWord(const char* tag, const Word& mine) {
  return tags_.WithdrawWord(tag, mine);
}

Status SystemHost::MarkUnfinished(const char* tag, uint32_t steps) {
  return tags_.MarkUnfinished(tag, steps);
}

Status SystemHost::ClearUnfinished(const char* tag, uint32_t steps) {
  return tags_.ClearUnfinished(tag, steps);
}

Result<uint32_t> SystemHost::Unfinished(const char* tag) {
  return tags_.Unfinished(tag);
}

Status SystemHost::RecordConflict(const char* tag, const Conflict& conflict) {
  return tags_.RecordConflict(tag, conflict);
}

Result<Conflict> SystemHost::RecordedConflict(const char* tag) {
  return tags_.RecordedConflict(tag);
}

Status SystemHost::RecordCheck(const char* tag, const CheckRecord& record) {
  return checks_.RecordCheck(tag, record);
}

Result<CheckRecord> SystemHost::LastCheck(const char* tag) {
  return checks_.LastCheck(tag);
}

}  // namespace ipres
