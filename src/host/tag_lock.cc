// SPDX-License-Identifier: Apache-2.0
#include "host/tag_lock.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/random.h"
#include "base/text_fields.h"
#include "host/proc_locks.h"

namespace ipres {
namespace {

constexpr int kAbandonSignal = SIGUSR1;
constexpr char kHolderKind[] = "holder";

// The operation this process runs that a take-down may abandon (0: none),
// and whether a request for it came / was seen by the operation. Written by
// the main flow and read by the handler, or the other way round.
volatile sig_atomic_t g_abandonable = 0;
volatile sig_atomic_t g_abandon_requested = 0;
volatile sig_atomic_t g_abandon_seen = 0;

// Installed only while an operation accepts requests. A take-down's request
// counts when it carries that operation's id (one meant for an earlier
// operation of this process does not); a plain kill(1), someone's deliberate
// word with no id, counts as it always did.
void OnAbandonSignal(int, siginfo_t* info, void*) {
  const int expected = g_abandonable;
  if (expected == 0) return;
  if (info->si_code == SI_USER ||
      (info->si_code == SI_QUEUE && info->si_value.sival_int == expected)) {
    g_abandon_requested = 1;
  }
}

// Outside an operation that accepts requests the signal is ignored by the
// kernel itself: no handler runs, so no blocking call returns EINTR, and a
// request that arrives late is gone, not pending.
void AcceptAbandonSignal(bool accept) {
  struct sigaction sa = {};
  sigemptyset(&sa.sa_mask);
  if (accept) {
    sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: a blocking wait must return and look
    sa.sa_sigaction = OnAbandonSignal;
  } else {
    sa.sa_handler = SIG_IGN;
  }
  sigaction(kAbandonSignal, &sa, nullptr);
}

// Never 0 (0 means "none").
int NewOperationId() {
  uint32_t id = 0;
  while (id == 0) FillRandom(&id, sizeof id);
  return static_cast<int>(id);
}

}  // namespace

bool ParseHolderRecord(const char* text, HolderRecord* out) {
  char line[StateDir::kRecordCapacity];
  if (!CopyRecordLine(text, line, sizeof line)) return false;
  char* f[kMaxFields];
  unsigned long pid, operation;
  if (SplitFields(line, f) != 3 || !ParseNumber(f[0], '\0', 10, &pid) ||
      !ParseNumber(f[2], '\0', 10, &operation) || pid == 0 || pid > 0x7fffffff || operation == 0 ||
      operation > 0xffffffff) {
    return false;
  }
  HolderRecord r;
  if (!strcmp(f[1], "up")) {
    r.state = HolderRecord::State::kUp;
  } else if (!strcmp(f[1], "abandoned")) {
    r.state = HolderRecord::State::kAbandoned;
  } else {
    return false;
  }
  r.pid = pid;
  r.operation = static_cast<uint32_t>(operation);
  *out = r;
  return true;
}

bool FormatHolderRecord(const HolderRecord& record, char* out, size_t size) {
  int n = snprintf(out, size, "%lu %s %lu\n", record.pid,
                   record.state == HolderRecord::State::kUp ? "up" : "abandoned",
                   static_cast<unsigned long>(record.operation));
  return n > 0 && static_cast<size_t>(n) < size;
}

void IgnoreAbandonRequests() {
  AcceptAbandonSignal(false);
}

Status TagLockFile::Open(const char* tag) {
  Release();
  snprintf(tag_, sizeof tag_, "%s", tag);
  Result<int> fd = dir_.OpenLockFile(tag_);
  if (!fd.ok()) return fd.status();
  fd_.Reset(fd.value());
  return OkStatus();
}

Result<bool> TagLockFile::TryTake() {
  if (flock(fd_.get(), LOCK_EX | LOCK_NB) == 0) return true;
  if (errno == EWOULDBLOCK) return false;
  char path[StateDir::kPathCapacity];
  return Status::Errno(errno, "lock %s", dir_.PathOf(tag_, "lock", path, sizeof path));
}

Status TagLockFile::Take(bool (*stopping)()) {
  while (flock(fd_.get(), LOCK_EX) != 0) {
    if (errno != EINTR || stopping()) {
      char path[StateDir::kPathCapacity];
      return Status::Errno(errno, "lock %s", dir_.PathOf(tag_, "lock", path, sizeof path));
    }
  }
  return OkStatus();
}

bool TagLockFile::FindAbandonableHolder(HolderRecord* holder) {
  // An unreadable or garbled record (only root can write there) is no
  // bring-up to ask: the take-down then waits for the lock, which is still
  // correct, only slower.
  char text[StateDir::kRecordCapacity];
  Result<bool> there = dir_.ReadRecord(tag_, kHolderKind, text, sizeof text);
  if (!there.ok() || !there.value() || !ParseHolderRecord(text, holder)) return false;
  // A record a killed holder left names a pid that holds nothing (or by now
  // another process, which SIGUSR1 would kill).
  return holder->state == HolderRecord::State::kUp &&
         FlockHolderPid(fd_.get()) == static_cast<int>(holder->pid);
}

bool TagLockFile::AskToAbandon(const HolderRecord& holder) const {
  union sigval value;
  value.sival_int = static_cast<int>(holder.operation);
  return sigqueue(static_cast<pid_t>(holder.pid), kAbandonSignal, value) == 0;
}

bool TagLockFile::AbandonedAt(const HolderRecord& asked) {
  char text[StateDir::kRecordCapacity];
  HolderRecord left;
  Result<bool> there = dir_.ReadRecord(tag_, kHolderKind, text, sizeof text);
  return there.ok() && there.value() && ParseHolderRecord(text, &left) &&
         left.state == HolderRecord::State::kAbandoned && left.pid == asked.pid &&
         left.operation == asked.operation;
}

Status TagLockFile::AcceptAbandonRequests() {
  HolderRecord me;
  me.pid = static_cast<unsigned long>(getpid());
  me.operation = static_cast<uint32_t>(NewOperationId());
  char text[StateDir::kRecordCapacity];
  FormatHolderRecord(me, text, sizeof text);
  // Armed before the record is out: a take-down that reads it may signal at once.
  g_abandonable = static_cast<int>(me.operation);
  AcceptAbandonSignal(true);
  Status s = dir_.WriteRecord(tag_, kHolderKind, text);
  if (!s.ok()) {
    AcceptAbandonSignal(false);
    g_abandonable = 0;
  }
  return s;
}

bool TagLockFile::AbandonRequested() {
  if (g_abandonable == 0 || !g_abandon_requested) return false;
  g_abandon_seen = 1;
  return true;
}

void TagLockFile::Release() {
  const int operation = g_abandonable;
  if (operation != 0) AcceptAbandonSignal(false);  // from here on a request is late: ignored
  g_abandonable = 0;
  if (operation != 0 && fd_.valid()) {
    // Best effort, both: a take-down that finds no "abandoned" says nothing
    // about abandoning, and an "up" left here names a pid that no longer
    // holds the lock, which no take-down signals.
    if (g_abandon_seen) {
      HolderRecord me;
      me.pid = static_cast<unsigned long>(getpid());
      me.state = HolderRecord::State::kAbandoned;
      me.operation = static_cast<uint32_t>(operation);
      char text[StateDir::kRecordCapacity];
      if (FormatHolderRecord(me, text, sizeof text)) {
        dir_.WriteRecord(tag_, kHolderKind, text)
            .IgnoreError("best effort: without it a take-down says nothing of abandoning");
      }
    } else {
      dir_.RemoveRecord(tag_, kHolderKind)
          .IgnoreError("best effort: a stale \"up\" names a pid no take-down signals");
    }
  }
  fd_.Reset(-1);  // the kernel drops the flock with the last descriptor
  g_abandon_requested = 0;
  g_abandon_seen = 0;
}

}  // namespace ipres
