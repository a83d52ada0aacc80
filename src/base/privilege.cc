// SPDX-License-Identifier: Apache-2.0
#include "base/privilege.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ipres {
namespace {

struct Named {
  unsigned bit;
  int cap;
  const char* name;
};
constexpr Named kCapabilities[] = {
    {kCapNetAdmin, CAP_NET_ADMIN, "CAP_NET_ADMIN"},
    {kCapNetRaw, CAP_NET_RAW, "CAP_NET_RAW"},
};

// Both capability numbers lie below 32: only the first of the two 32-bit
// words of each set is ever non-zero in what we keep.
static_assert(CAP_NET_ADMIN < 32 && CAP_NET_RAW < 32, "capability outside the first word");

uint32_t KernelMask(unsigned keep) {
  uint32_t mask = 0;
  for (const Named& c : kCapabilities) {
    if (keep & c.bit) mask |= 1u << c.cap;
  }
  return mask;
}

}  // namespace

Status KeepOnlyCapabilities(unsigned keep) {
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) != 0) return Status::Errno(errno, "capget");

  char missing[64] = "";
  size_t used = 0;
  for (const Named& c : kCapabilities) {
    if (!(keep & c.bit) || (data[0].permitted & (1u << c.cap))) continue;
    int n = snprintf(missing + used, sizeof missing - used, "%s%s", used ? " and " : "", c.name);
    if (n > 0 && static_cast<size_t>(n) < sizeof missing - used) used += static_cast<size_t>(n);
  }
  if (used) return Status::Errno(EPERM, "missing capability %s", missing);

  // Ambient capabilities would survive an exec; there is none, but nothing
  // of ours should outlive us. Kernels before 4.3 have no ambient set.
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    return Status::Errno(errno, "clear ambient capabilities");
  }
  const uint32_t mask = KernelMask(keep);
  for (__user_cap_data_struct& d : data) d = {};
  data[0].permitted = mask;
  data[0].effective = mask;
  if (syscall(SYS_capset, &header, data) != 0) return Status::Errno(errno, "capset");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Status::Errno(errno, "no_new_privs");
  return OkStatus();
}

}  // namespace ipres
