// SPDX-License-Identifier: Apache-2.0
// Netlink replies as the kernel (or anything able to write to our socket)
// might send them: one datagram run through the reply checker as a request
// and as a dump (each message through the callback Request() and Dump()
// use), every message decoded as a link, address and route, and
// attribute tables parsed flat and nested.
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/address.h"
#include "net/link.h"
#include "net/route.h"
#include "netlink/attr.h"
#include "netlink/socket.h"

using namespace ipres;

namespace {

// The first 8 bytes pick the sequence and port the reply must match, so the
// fuzzer can reach the messages past the origin check.
constexpr size_t kPrefix = 8;

class Decoder final : public DumpHandler {
 public:
  void Reset() override { messages = 0; }
  Status OnMessage(const nlmsghdr* msg) override {
    ++messages;
    LinkInfo link;
    if (ParseLinkMessage(msg, &link) &&
        (strnlen(link.name, sizeof link.name) == sizeof link.name || link.lower_ifindex < 0)) {
      abort();
    }
    // A prefix fits its family; IPv4 has no DAD flags, IPv6 no secondaries;
    // a route's source is of the route's family.
    AddressInfo address;
    if (ParseAddressMessage(msg, &address) &&
        (address.prefix > address.address.bits() ||
         (address.address.is_v6() ? address.secondary : address.tentative || address.dad_failed))) {
      abort();
    }
    RouteInfo route;
    if (ParseRouteMessage(msg, &route) &&
        (route.prefix > route.destination.bits() ||
         !SameFamily(route.destination, route.preferred_source))) {
      abort();
    }
    AttrTable attrs;
    if (attrs.ParseMessage(msg, sizeof(ifinfomsg))) {
      AttrTable nested;
      for (uint16_t type = 0; type <= AttrTable::kMaxType; ++type) {
        const char* text;
        if (attrs.GetString(type, &text) &&
            strnlen(text, attrs.PayloadLength(type)) == attrs.PayloadLength(type)) {
          abort();
        }
        if (nested.ParseNested(attrs, type)) {
          uint32_t value;
          nested.GetU32(AF_INET, &value);
        }
      }
    }
    return OkStatus();
  }
  size_t messages = 0;
};

// A copy with netlink's alignment, as the socket's receive buffer has.
alignas(nlmsghdr) uint8_t g_buffer[16384];

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kPrefix || size - kPrefix > sizeof g_buffer) return 0;
  uint32_t sequence, port;
  memcpy(&sequence, data, 4);
  memcpy(&port, data + 4, 4);
  size_t len = size - kPrefix;
  memcpy(g_buffer, data + kPrefix, len);
  // A failed reply always says why, with an errno: callers map it to exit 1.
  Decoder decoder;
  AckCallback ack(&decoder, "fuzz");
  Result<Answer> answer = RunCallbacks(g_buffer, len, sequence, port, ack, "fuzz");
  if (!answer.ok() && answer.status().err() == 0) abort();
  DumpCallback dump(decoder, "fuzz");
  answer = RunCallbacks(g_buffer, len, sequence, port, dump, "fuzz");
  if (!answer.ok() && answer.status().err() == 0) abort();
  return 0;
}
