// SPDX-License-Identifier: Apache-2.0
// The seam through which the operations keep a tag's state across
// processes (/run/ipres): its lock, the engine's last word, the steps left
// unfinished, the standing conflict and the check record. Declares no
// socket: SystemHost (system_tag_store.cc) implements it over tag_state.h
// and check_record.h; unit tests fake it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/mac.h"
#include "base/status.h"

namespace ipres {

// Why an operation takes a tag's lock. A take-down preempts a bring-up: it
// asks the process holding the lock for a restore or recover to abandon it
// (the address then ends absent) instead of waiting for it to finish.
enum class LockIntent { kBringUp, kTakeDown };

// What taking a tag's lock found.
struct LockTaken {
  // Another process held the lock when this one asked for it: this one
  // waited for it to let go, and that operation may have changed the
  // resource meanwhile.
  bool waited = false;
  // A take-down's request made the bring-up holding the lock give up.
  bool abandoned = false;
};

// Another host's claim on a held address that stands (contract "Conflicts
// while holding"), as the monitor records it for quickCheck and the engines.
struct Conflict {
  MacAddress claimant;
  int64_t stands_until_ms = 0;  // on NowMs's clock; 0: no conflict recorded
};

// Which operation spoke last on a tag, and the generation it drew (unique
// to that operation): an operation that finds another generation once it
// holds the lock was superseded by a later word.
enum class WordKind { kNone, kRestore, kRemove };
struct Word {
  WordKind kind = WordKind::kNone;
  uint64_t generation = 0;  // 0 with kNone
  int writer = 0;           // the process that recorded it (0: unknown)
  // When the engine started that process: its start time in clock ticks
  // since boot (0: unknown). With the writer's pid, the order in which the
  // engine spoke, whatever order the processes got going in.
  uint64_t launched = 0;
  // RecordWord only: this is not the caller's word but one already standing
  // whose writer was launched after the caller, so the engine spoke it
  // later; the caller's word was not recorded.
  bool spoken_later = false;
  // That process still runs (as LastWord found it): its operation will see
  // the word through, so the monitor waits for it rather than race it.
  bool writer_running = false;
  bool operator==(const Word& o) const { return kind == o.kind && generation == o.generation; }
  bool operator!=(const Word& o) const { return !(*this == o); }
};

// The periodic checks whose results a tag's check record keeps (contract
// "Binary": they log only what changed since the tag's last result).
enum class CheckKind : uint8_t { kNone, kReady, kQuickCheck, kMonitor };
// "ready", "quickCheck", "monitor" ("none" for kNone), as records and
// status name them.
const char* CheckKindName(CheckKind kind);

// The tag's last check and its last failure, as `ipres status` shows them.
// Times are wall-clock seconds since the epoch: an operator compares them
// with syslog's, and they mean the same to every process.
struct CheckRecord {
  static constexpr size_t kReasonCapacity = 256;
  CheckKind last = CheckKind::kNone;  // kNone: no check recorded yet
  bool last_ok = false;
  int64_t last_at_s = 0;
  // The latest failure (failed_at_s 0: none yet), and when the run of
  // failures it belongs to began.
  CheckKind failed = CheckKind::kNone;
  int64_t failed_at_s = 0;
  int64_t failing_since_s = 0;
  char reason[kReasonCapacity] = {};  // one line of printable ASCII
};

// Changes an operation makes that a later step must undo or complete. Each
// is recorded in the tag's state before it is made and cleared once that
// step is done, so the next operation on the tag finds what a killed
// process left half done.
enum UnfinishedStep : uint32_t {
  kDeviceDown = 1u << 0,    // restore's link bounce took the device down
  kAddressAdded = 1u << 1,  // restore added the address, not yet in service
  kEveryStep = ~0u,         // clears the record whatever it holds
};

class TagStore {
 public:
  // Serialises operations on one tag across processes (the kernel releases
  // the lock if the process dies). One lock at a time per process. A
  // take-down that finds a bring-up accepting abandon requests holding the
  // lock asks it to abandon before it waits. LockTaken says whether it waited and whether
  // the bring-up gave up at the request.
  virtual Result<LockTaken> LockTag(const char* tag, LockIntent intent) = 0;
  // The bring-up holding the lock may be asked to abandon from now until
  // UnlockTag; before, and for anything but a bring-up, a request is ignored.
  // An error when that cannot be recorded (a take-down would then wait).
  virtual Status AcceptAbandonRequests() = 0;
  virtual void UnlockTag() = 0;
  // The engine's last word on the tag (contract "The last word wins"):
  // recorded by restore (wanted) and remove (not) before they wait for
  // anything, the tag's lock included, each under a generation of its own.
  // The latest word is the one the engine spoke last: a word standing whose
  // writer was launched after this process stays (returned, spoken_later),
  // as an engine that starts a restore and then a remove may see the remove
  // get going first; any other is replaced. Kept under /run, so a reboot
  // forgets it. A remove that cannot write its record (no room) deletes it
  // instead: no word. An error when it cannot be recorded or read (a record
  // ipres did not write).
  virtual Result<Word> RecordWord(const char* tag, bool wanted) = 0;
  virtual Result<Word> LastWord(const char* tag) = 0;
  // Deletes the tag's word if it is still `mine` (compared in the writers'
  // turn, so a later word is never lost): a restore stopped by signal
  // leaves no word for the monitor to act on. A later word is success.
  virtual Status WithdrawWord(const char* tag, const Word& mine) = 0;
  // Whether the last word was a restore: held here after a restore, not
  // after a remove nor before any word.
  Result<bool> IsWanted(const char* tag) {
    Result<Word> word = LastWord(tag);
    if (!word.ok()) return word.status();
    return word.value().kind == WordKind::kRestore;
  }
  // The UnfinishedStep bits recorded for the tag (0: none), under its lock.
  // Marking fails when it cannot be recorded: the step must not be taken.
  virtual Status MarkUnfinished(const char* tag, uint32_t steps) = 0;
  virtual Status ClearUnfinished(const char* tag, uint32_t steps) = 0;
  virtual Result<uint32_t> Unfinished(const char* tag) = 0;
  // The standing conflict: written whole by the monitor watching the tag,
  // read by quickCheck (none recorded: stands_until_ms 0). An error when it
  // cannot be written or read (a record ipres did not write).
  virtual Status RecordConflict(const char* tag, const Conflict& conflict) = 0;
  virtual Result<Conflict> RecordedConflict(const char* tag) = 0;
  // The tag's check record: written whole by each periodic check, read by
  // the next and by status, without privilege and without making
  // /run/ipres (none recorded: CheckKind::kNone). An error when it cannot be
  // written or read (a record ipres did not write).
  virtual Status RecordCheck(const char* tag, const CheckRecord& record) = 0;
  virtual Result<CheckRecord> LastCheck(const char* tag) = 0;

 protected:
  ~TagStore() = default;
};

}  // namespace ipres
