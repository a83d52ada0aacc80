// Builds one netlink request in a caller-owned fixed buffer: the message
// header, the family header, aligned attributes and nests. Running out of
// room is remembered and reported once, by ok().
#pragma once

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ipv4.h"

namespace ipres {

class MessageBuilder {
 public:
  MessageBuilder(uint8_t* buffer, size_t capacity);

  // Starts the message; the socket fills in sequence number and port id.
  void Begin(uint16_t type, uint16_t flags);
  // Appends a zeroed family header of type T and returns it to fill in.
  template <typename T>
  T* PutHeader() {
    return static_cast<T*>(Reserve(sizeof(T)));
  }

  void PutAttr(uint16_t type, const void* data, size_t len);
  void PutU8(uint16_t type, uint8_t value) { PutAttr(type, &value, 1); }
  void PutU32(uint16_t type, uint32_t value) { PutAttr(type, &value, 4); }
  void PutString(uint16_t type, const char* value);  // with its NUL
  void PutIpv4(uint16_t type, Ipv4 address);         // network order

  // Opens a nested attribute; pass the result to EndNest once its members
  // are in. Returns nullptr when out of room (ok() is then false).
  nlattr* BeginNest(uint16_t type);
  void EndNest(nlattr* nest);

  bool ok() const { return ok_; }
  nlmsghdr* header() { return reinterpret_cast<nlmsghdr*>(buffer_); }
  const uint8_t* data() const { return buffer_; }
  size_t size() const { return size_; }

 private:
  void* Reserve(size_t len);  // aligned, zeroed; nullptr when it does not fit

  uint8_t* buffer_;
  size_t capacity_;
  size_t size_ = 0;
  bool ok_ = true;
};

// A builder with its own buffer, sized for ipres's requests.
class Request : public MessageBuilder {
 public:
  static constexpr size_t kCapacity = 512;
  Request(uint16_t type, uint16_t flags) : MessageBuilder(storage_, kCapacity) {
    Begin(type, flags);
  }

 private:
  alignas(nlmsghdr) uint8_t storage_[kCapacity];
};

}  // namespace ipres
