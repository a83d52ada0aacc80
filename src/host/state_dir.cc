// SPDX-License-Identifier: Apache-2.0
#include "host/state_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71  // Linux 5.14; musl's headers may predate it
#endif

namespace ipres {
namespace {

// Every state file is opened relative to the directory and never through a
// link; O_NONBLOCK and O_NOCTTY keep a FIFO or a device planted there from
// blocking or becoming a terminal before it is refused.
constexpr int kStateFileFlags = O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;

// ELOOP from O_NOFOLLOW means the name is a link: say so, not "loop".
Status OpenError(int err, const char* verb, const char* path) {
  if (err == ELOOP) return Status::Errno(err, "refuse %s: a symbolic link", path);
  return Status::Errno(err, "%s %s", verb, path);
}

// What is made here gets exactly the mode asked for, whatever the umask:
// the directory and a lock file the owner's alone (contract "Crashes and
// local state"), a record readable by all. (One thread: the umask is ours.)
class ExactModes {
 public:
  ExactModes() : saved_(umask(0)) {}
  ~ExactModes() { umask(saved_); }
  ExactModes(const ExactModes&) = delete;
  ExactModes& operator=(const ExactModes&) = delete;

 private:
  mode_t saved_;
};

constexpr mode_t kDirMode = 0700;
constexpr mode_t kRecordMode = 0644;
constexpr mode_t kLockMode = 0600;

int CreateFile(int dir, const char* name, int flags, mode_t mode) {
  ExactModes exact;
  return openat(dir, name, flags | O_CREAT | O_EXCL, mode);
}

// The file, made when missing (O_EXCL: only a file this call made gets its
// mode from here).
int OpenOrCreateFile(int dir, const char* name, int flags, mode_t mode) {
  for (;;) {
    int fd = CreateFile(dir, name, flags, mode);
    if (fd >= 0 || errno != EEXIST) return fd;
    fd = openat(dir, name, flags);
    if (fd >= 0 || errno != ENOENT) return fd;  // ENOENT: removed meanwhile, make it
  }
}

Status ExpectRegularFile(int fd, const char* path) {
  struct stat st;
  if (fstat(fd, &st) != 0) return Status::Errno(errno, "stat %s", path);
  if (S_ISREG(st.st_mode)) return OkStatus();
  return Status::Errno(S_ISDIR(st.st_mode) ? EISDIR : EINVAL, "refuse %s: not a regular file",
                       path);
}

}  // namespace

Result<NetnsKey> CurrentNetnsKey() {
  NetnsKey key;
  // Any socket answers for the namespace it was made in; ipres always has
  // rtnetlink, so that family is sure to exist.
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return Status::Errno(errno, "socket for the network namespace cookie");
  uint64_t cookie = 0;
  socklen_t len = sizeof cookie;
  int r = getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len);
  int err = errno;
  close(fd);
  if (r == 0 && len == sizeof cookie) {
    key.kind = NetnsKey::Kind::kCookie;
    key.value = cookie;
    return key;
  }
  // Only an answer every process here gets alike may fall back: a transient
  // error must not put this process's lock under another name.
  if (r == 0 || (err != ENOPROTOOPT && err != EINVAL)) {
    return Status::Errno(r == 0 ? EINVAL : err, "network namespace cookie (SO_NETNS_COOKIE)");
  }
  struct stat st;
  if (stat("/proc/self/ns/net", &st) == 0) {
    key.kind = NetnsKey::Kind::kInode;
    key.value = st.st_ino;
    return key;
  }
  if (errno != ENOENT) return Status::Errno(errno, "stat /proc/self/ns/net");
  return key;  // no /proc: one namespace is all this machine can tell apart
}

bool FormatStateName(const char* tag, NetnsKey key, const char* kind, char* out, size_t size) {
  const unsigned long long value = key.value;
  int n;
  switch (key.kind) {
    case NetnsKey::Kind::kCookie:
      n = snprintf(out, size, "%s@cookie%llu.%s", tag, value, kind);
      break;
    case NetnsKey::Kind::kInode:
      n = snprintf(out, size, "%s@inode%llu.%s", tag, value, kind);
      break;
    default:
      n = snprintf(out, size, "%s.%s", tag, kind);
      break;
  }
  return n > 0 && static_cast<size_t>(n) < size;
}

StateDir::StateDir(const char* path) : path_(path), owner_(geteuid()) {}

Status StateDir::Open() {
  return OpenMaking(true);
}

Result<bool> StateDir::OpenIfPresent() {
  Status s = OpenMaking(false);
  if (s.ok()) return true;
  if (s.err() == ENOENT) return false;
  return s;
}

Status StateDir::OpenMaking(bool make) {
  if (dir_.valid()) {
    struct stat now;
    if (lstat(path_, &now) == 0 && now.st_dev == dev_ && now.st_ino == ino_) return OkStatus();
    dir_.Reset(-1);
  }
  if (make) {
    ExactModes exact;
    if (mkdir(path_, kDirMode) != 0 && errno != EEXIST)
      return Status::Errno(errno, "create %s", path_);
  }
  UniqueFd dir(open(path_, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir.valid()) {
    // Say why, where the path itself shows it: a link (O_DIRECTORY answers
    // ENOTDIR for one), or another owner's directory this process may not
    // enter (EACCES: no capability overrides its mode).
    const int err = errno;
    struct stat st;
    if (lstat(path_, &st) == 0) {
      Status s = Check(st);
      if (!s.ok()) return s;
    }
    return Status::Errno(err, "open %s", path_);
  }
  struct stat st;
  if (fstat(dir.get(), &st) != 0) return Status::Errno(errno, "stat %s", path_);
  Status s = Check(st);
  if (!s.ok()) return s;
  Result<NetnsKey> key = CurrentNetnsKey();
  if (!key.ok()) return key.status();
  key_ = key.value();
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  dir_ = std::move(dir);
  return OkStatus();
}

Status StateDir::Check(const struct stat& st) const {
  if (S_ISLNK(st.st_mode)) return Status::Errno(ELOOP, "refuse %s: a symbolic link", path_);
  if (!S_ISDIR(st.st_mode)) return Status::Errno(ENOTDIR, "refuse %s", path_);
  // Root's directory is trusted by every user: another user's process
  // (status, unprivileged) only reads there.
  if (st.st_uid != owner_ && st.st_uid != 0) {
    return Status::Errno(EPERM, "refuse %s: owned by uid %u, not %u", path_,
                         static_cast<unsigned>(st.st_uid), static_cast<unsigned>(owner_));
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return Status::Errno(EPERM, "refuse %s: mode %04o lets group or others write", path_,
                         static_cast<unsigned>(st.st_mode & 07777));
  }
  return OkStatus();
}

Status StateDir::NameOf(const char* tag, const char* kind, char* name) const {
  if (!dir_.valid()) return Status::Errno(EBADF, "%s is not open", path_);
  if (!FormatStateName(tag, key_, kind, name, kNameCapacity)) {
    return Status::Errno(ENAMETOOLONG, "state file name for %s", tag);
  }
  return OkStatus();
}

const char* StateDir::PathOf(const char* tag, const char* kind, char* out, size_t size) const {
  char name[kNameCapacity];
  if (!FormatStateName(tag, key_, kind, name, sizeof name)) snprintf(name, sizeof name, "%s", tag);
  snprintf(out, size, "%s/%s", path_, name);
  return out;
}

Result<int> StateDir::OpenLockFile(const char* tag) {
  return OpenLockFile(tag, "lock");
}

Result<int> StateDir::OpenLockFile(const char* tag, const char* kind) {
  char name[kNameCapacity], path[kPathCapacity];
  Status s = NameOf(tag, kind, name);
  if (!s.ok()) return s;
  UniqueFd fd(OpenOrCreateFile(dir_.get(), name, O_RDONLY | kStateFileFlags, kLockMode));
  if (!fd.valid()) return OpenError(errno, "open", PathOf(tag, kind, path, sizeof path));
  s = ExpectRegularFile(fd.get(), PathOf(tag, kind, path, sizeof path));
  if (!s.ok()) return s;
  return fd.Release();
}

Status StateDir::WriteRecord(const char* tag, const char* kind, const char* text) {
  char name[kNameCapacity], temp[kNameCapacity + 4];
  Status s = NameOf(tag, kind, name);
  if (!s.ok()) return s;
  snprintf(temp, sizeof temp, "%s.tmp", name);
  char path[kPathCapacity], temp_path[kPathCapacity + 4];
  PathOf(tag, kind, path, sizeof path);
  snprintf(temp_path, sizeof temp_path, "%s.tmp", path);

  // A temporary a killed writer left behind, or anything planted under its
  // name, goes first: the record is only ever written into a file made here.
  if (unlinkat(dir_.get(), temp, 0) != 0 && errno != ENOENT) {
    return Status::Errno(errno, "remove %s", temp_path);
  }
  UniqueFd fd(CreateFile(dir_.get(), temp, O_WRONLY | kStateFileFlags, kRecordMode));
  if (!fd.valid()) return OpenError(errno, "create", temp_path);
  const size_t len = strlen(text);
  const ssize_t n = write(fd.get(), text, len);
  if (n < 0) {
    s = Status::Errno(errno, "write %s", temp_path);
  } else if (static_cast<size_t>(n) != len) {
    s = Status::Errno(ENOSPC, "write %s: %zd of %zu bytes", temp_path, n, len);
  }
  // Synced before the rename, so even a /run on disk never shows a renamed
  // but empty record after a power loss (on tmpfs it costs nothing).
  if (s.ok() && fsync(fd.get()) != 0) s = Status::Errno(errno, "sync %s", temp_path);
  fd.Reset(-1);
  if (s.ok() && renameat(dir_.get(), temp, dir_.get(), name) != 0) {
    s = Status::Errno(errno, "rename %s to %s", temp_path, path);
  }
  if (!s.ok()) unlinkat(dir_.get(), temp, 0);  // no half record left under either name
  return s;
}

Result<bool> StateDir::ReadRecord(const char* tag, const char* kind, char* text, size_t capacity) {
  char name[kNameCapacity], path[kPathCapacity];
  Status s = NameOf(tag, kind, name);
  if (!s.ok()) return s;
  PathOf(tag, kind, path, sizeof path);
  UniqueFd fd(openat(dir_.get(), name, O_RDONLY | kStateFileFlags));
  if (!fd.valid()) {
    if (errno == ENOENT) return false;
    return OpenError(errno, "open", path);
  }
  s = ExpectRegularFile(fd.get(), path);
  if (!s.ok()) return s;
  ssize_t n = read(fd.get(), text, capacity);
  if (n < 0) return Status::Errno(errno, "read %s", path);
  if (static_cast<size_t>(n) >= capacity) {
    return Status::Errno(EINVAL, "refuse %s: longer than %zu bytes", path, capacity - 1);
  }
  text[n] = '\0';
  return true;
}

Status StateDir::RemoveRecord(const char* tag, const char* kind) {
  char name[kNameCapacity], path[kPathCapacity];
  Status s = NameOf(tag, kind, name);
  if (!s.ok()) return s;
  if (unlinkat(dir_.get(), name, 0) != 0 && errno != ENOENT) {
    return Status::Errno(errno, "remove %s", PathOf(tag, kind, path, sizeof path));
  }
  return OkStatus();
}

}  // namespace ipres
