// SPDX-License-Identifier: Apache-2.0
// The state directory, /run/ipres: what one ipres process leaves for the
// next (a tag's lock, its holder's record, the engine's last word). Root
// writes there, so it must be safe against what a hostile or broken /run
// holds: the directory is opened once and checked (a real directory owned by
// this process's user or root, not writable by group or others), every file is
// opened relative to it without following a symbolic link, and a record is
// written under a temporary name and renamed into place, so a crash
// mid-write never leaves half of one. Every error names the path.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "base/fd.h"
#include "base/status.h"

namespace ipres {

// What names this network namespace in state file names. Addresses live in
// a network namespace, so that is what the state is about: two namespaces
// on one machine (test rigs, containers) are two nodes. The namespace
// cookie (SO_NETNS_COOKIE, Linux >= 5.14) is never reused; the inode of
// /proc/self/ns/net is reused by the kernel once the namespace is gone, so it
// is only the fallback: for older kernels (ENOPROTOOPT) and for qemu-user,
// which passes the option a 4-byte buffer (EINVAL).
struct NetnsKey {
  enum class Kind { kCookie, kInode, kNone };  // kNone: neither (no /proc)
  Kind kind = Kind::kNone;
  uint64_t value = 0;
};
// Any other error (no socket to ask with, say) is an error: a transient one
// must never put this process's state under another name than the next's.
Result<NetnsKey> CurrentNetnsKey();

// "TAG@cookieN.KIND", "TAG@inodeN.KIND" or "TAG.KIND" into out; false when
// it does not fit.
bool FormatStateName(const char* tag, NetnsKey key, const char* kind, char* out, size_t size);

class StateDir {
 public:
  static constexpr size_t kNameCapacity = 80;
  static constexpr size_t kPathCapacity = 128;
  // Records are one short line.
  static constexpr size_t kRecordCapacity = 64;

  // path: /run/ipres on the appliance (unit tests use a directory of their
  // own). The owner it must have is this process's effective uid: root on the
  // appliance, the user ipres runs as otherwise (README, "Privileges").
  explicit StateDir(const char* path);

  // Opens the directory, making it (mode 0700) when it is missing, and
  // refuses one that is a symbolic link, not a directory, owned by another
  // user than this process's or root, or writable by group or others. Opened once; opened again
  // only when the path no longer names the directory opened before (removed and made again
  // meanwhile), so this process and the next always meet in the same one. Every call below needs it
  // open.
  Status Open();
  // The same for a reader that writes nothing: a missing directory is not
  // made (false), so a read works where /run is read-only.
  Result<bool> OpenIfPresent();

  // The lock file of a tag (made when missing, mode 0600), for flock: read-only, as
  // nothing is ever written to it. The caller owns the descriptor.
  Result<int> OpenLockFile(const char* tag);
  // The same under another kind: a lock of its own for a record written
  // without the tag's lock (the check record).
  Result<int> OpenLockFile(const char* tag, const char* kind);

  // Replaces the tag's KIND record with text, whole or not at all: written to
  // KIND.tmp (mode 0644; a stale one, or a link there, is removed first, never written
  // through), synced, then renamed over KIND. One writer per tag at a time:
  // callers hold the tag's lock, or the directory's write turn.
  Status WriteRecord(const char* tag, const char* kind, const char* text);
  // The turn of a record written without the tag's lock: its writers take
  // turns on the directory's flock, held only while they read, compare and
  // write or remove (the kernel lets go of it if a writer dies), so the last
  // rename is the last turn's. Every TakeWriteTurn that succeeds is
  // followed by EndWriteTurn.
  Status TakeWriteTurn();
  Status EndWriteTurn();
  // The tag's KIND record into text (NUL-terminated); false when there is
  // none. A link, anything but a regular file, or a record longer than
  // capacity - 1 bytes is an error naming the path.
  Result<bool> ReadRecord(const char* tag, const char* kind, char* text, size_t capacity);
  // Removes the tag's KIND record (the link itself, if it is one); none there
  // is success.
  Status RemoveRecord(const char* tag, const char* kind);

  const char* path() const { return path_; }
  // The full path of the tag's KIND file, for messages.
  const char* PathOf(const char* tag, const char* kind, char* out, size_t size) const;

 private:
  Status OpenMaking(bool make);
  // The refusals: a link, not a directory, another owner, writable by others.
  Status Check(const struct stat& st) const;
  Status NameOf(const char* tag, const char* kind, char* name) const;

  const char* path_;
  uid_t owner_;
  UniqueFd dir_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  NetnsKey key_;
};

}  // namespace ipres
