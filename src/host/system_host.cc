// SPDX-License-Identifier: Apache-2.0
// The process's SystemHost, and the netlink socket and link that its
// seams' files (system_host_class.h) share.
#include "host/system_host.h"

#include <new>

#include "base/stop_signal.h"
#include "host/system_host_class.h"

namespace ipres {

Status SystemHost::Open() {
  if (opened_) return OkStatus();
  Status s = nl_.Open();
  opened_ = s.ok();
  return s;
}

Status SystemHost::Resolve(const char* device) {
  link_known_ = false;
  Status s = Open();
  if (!s.ok()) return s;
  Result<LinkInfo> link = ipres::GetLink(nl_, device);
  if (!link.ok()) return link.status();
  link_ = link.value();
  link_known_ = true;
  return OkStatus();
}

Host& GetSystemHost() {
  // Built in place and never destroyed, so no exit handler is registered
  // (musl's atexit may allocate); the kernel closes the sockets at exit.
  alignas(SystemHost) static unsigned char storage[sizeof(SystemHost)];
  static SystemHost* host = nullptr;
  if (!host) {
    // Stop requests, and tag_lock.cc's abandon requests.
    InstallStopHandlers().IgnoreError("sigaction cannot fail for these signals");
    IgnoreAbandonRequests();
    host = new (storage) SystemHost;  // default-init: the receive buffers stay untouched BSS
  }
  return *host;
}

}  // namespace ipres
