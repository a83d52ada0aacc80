// SPDX-License-Identifier: Apache-2.0
// Network device names: the one capacity and the one rule for what names a
// device, shared by the config, lkping's -I and the netlink code.
#pragma once

#include <stddef.h>
#include <string.h>

namespace ipres {

// IFNAMSIZ: at most 15 characters and the NUL.
constexpr size_t kIfNameCapacity = 16;

enum class DeviceNameFault { kNone, kEmpty, kTooLong, kDotName, kBadCharacter };

// What the kernel accepts as an interface name (dev_valid_name): 1 to 15
// bytes, not "." or "..", no '/', ':' or whitespace.
inline DeviceNameFault CheckDeviceName(const char* name, size_t len) {
  if (len == 0) return DeviceNameFault::kEmpty;
  if (len >= kIfNameCapacity) return DeviceNameFault::kTooLong;
  if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) {
    return DeviceNameFault::kDotName;
  }
  for (size_t i = 0; i < len; ++i) {
    const char c = name[i];
    if (c == '/' || c == ':' || c == ' ' || (c >= '\t' && c <= '\r')) {
      return DeviceNameFault::kBadCharacter;
    }
  }
  return DeviceNameFault::kNone;
}

inline bool IsValidDeviceName(const char* name) {
  return CheckDeviceName(name, strlen(name)) == DeviceNameFault::kNone;
}

}  // namespace ipres
