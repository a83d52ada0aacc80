#include "host/tag_state.h"

#include <errno.h>
#include <string.h>

#include "host/conflict_record.h"
#include "host/unfinished_record.h"

namespace ipres {
namespace {

constexpr char kWantedKind[] = "wanted";
constexpr char kWantedRecord[] = "wanted\n";
constexpr char kUnfinishedKind[] = "unfinished";
constexpr char kConflictKind[] = "conflict";

}  // namespace

Result<LockTaken> TagState::Lock(const char* tag, LockIntent intent, bool (*stopping)()) {
  Status s = dir_.Open();
  if (s.ok()) s = lock_.Open(tag);
  if (!s.ok()) return s;
  LockTaken taken;
  Result<bool> free = lock_.TryTake();
  if (!free.ok() || free.value()) return Taken(free.status(), taken);
  taken.waited = true;
  if (intent == LockIntent::kBringUp) return Taken(lock_.Take(stopping), taken);

  HolderRecord holder;
  bool asked = false;
  if (lock_.FindAbandonableHolder(&holder)) {
    // The engine's last word goes first: a remove killed right after
    // asking must not leave the tag wanted. The bring-up recorded "wanted"
    // before it accepted requests, so this comes after it.
    s = SetWanted(tag, false);
    if (!s.ok()) return Taken(s, taken);
    asked = lock_.AskToAbandon(holder);
  }
  s = lock_.Take(stopping);
  taken.abandoned = asked && lock_.AbandonedAt(holder);
  return Taken(s, taken);
}

Status TagState::SetWanted(const char* tag, bool wanted) {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  if (!wanted) return dir_.RemoveRecord(tag, kWantedKind);
  return dir_.WriteRecord(tag, kWantedKind, kWantedRecord);
}

// A read makes nothing: status asks it without privilege.
Result<bool> TagState::IsWanted(const char* tag) {
  Result<bool> present = dir_.OpenIfPresent();
  if (!present.ok() || !present.value()) return present;
  char text[StateDir::kRecordCapacity];
  Result<bool> there = dir_.ReadRecord(tag, kWantedKind, text, sizeof text);
  if (!there.ok() || !there.value()) return there;
  if (strcmp(text, kWantedRecord) != 0) {
    char path[StateDir::kPathCapacity];
    return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                         dir_.PathOf(tag, kWantedKind, path, sizeof path));
  }
  return true;
}

Status TagState::MarkUnfinished(const char* tag, uint32_t steps) {
  Result<uint32_t> now = Unfinished(tag);
  if (!now.ok()) return now.status();
  return WriteUnfinished(tag, now.value() | steps);
}

Status TagState::ClearUnfinished(const char* tag, uint32_t steps) {
  if (steps == kEveryStep) return WriteUnfinished(tag, 0);
  Result<uint32_t> now = Unfinished(tag);
  if (!now.ok()) return now.status();
  if ((now.value() & steps) == 0) return OkStatus();
  return WriteUnfinished(tag, now.value() & ~steps);
}

Result<uint32_t> TagState::Unfinished(const char* tag) {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  char text[StateDir::kRecordCapacity];
  Result<bool> there = dir_.ReadRecord(tag, kUnfinishedKind, text, sizeof text);
  if (!there.ok()) return there.status();
  if (!there.value()) return 0u;
  uint32_t steps = 0;
  if (!ParseUnfinishedRecord(text, &steps)) {
    char path[StateDir::kPathCapacity];
    return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                         dir_.PathOf(tag, kUnfinishedKind, path, sizeof path));
  }
  return steps;
}

// Written by the one monitor watching the tag, without the tag's lock: an
// operation holding it must not delay the record, and nothing else writes it.
Status TagState::RecordConflict(const char* tag, const Conflict& conflict) {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  char text[StateDir::kRecordCapacity];
  if (FormatConflictRecord(conflict, text, sizeof text) == 0) {
    return Status::Errno(EOVERFLOW, "conflict record of %s", tag);
  }
  return dir_.WriteRecord(tag, kConflictKind, text);
}

// quickCheck reads it, and quickCheck changes nothing: not even /run.
Result<Conflict> TagState::RecordedConflict(const char* tag) {
  Result<bool> present = dir_.OpenIfPresent();
  if (!present.ok()) return present.status();
  if (!present.value()) return Conflict();
  char text[StateDir::kRecordCapacity];
  Result<bool> there = dir_.ReadRecord(tag, kConflictKind, text, sizeof text);
  if (!there.ok()) return there.status();
  Conflict conflict;
  if (!there.value()) return conflict;
  if (!ParseConflictRecord(text, &conflict)) {
    char path[StateDir::kPathCapacity];
    return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                         dir_.PathOf(tag, kConflictKind, path, sizeof path));
  }
  return conflict;
}

Status TagState::WriteUnfinished(const char* tag, uint32_t steps) {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  if (steps == 0) return dir_.RemoveRecord(tag, kUnfinishedKind);
  char text[StateDir::kRecordCapacity];
  FormatUnfinishedRecord(steps, text, sizeof text);
  return dir_.WriteRecord(tag, kUnfinishedKind, text);
}

Result<LockTaken> TagState::Taken(const Status& s, const LockTaken& taken) {
  if (s.ok()) return taken;
  lock_.Release();
  return s;
}

}  // namespace ipres
