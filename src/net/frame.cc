// SPDX-License-Identifier: Apache-2.0
#include "net/frame.h"

#include <string.h>

#include "base/byte_order.h"

namespace ipres {
namespace {

constexpr size_t kDestination = 0;
constexpr size_t kSource = 6;
constexpr size_t kEthertype = 12;
// Behind a tag: its tag control information, then the inner type.
constexpr size_t kInnerEthertype = kEthertype + kVlanTagSize;

bool IsTag(uint16_t ethertype) {
  return ethertype == kEthertypeVlan || ethertype == kEthertypeQinQ;
}

}  // namespace

bool ParseEthernetFrame(const uint8_t* frame, size_t len, bool allow_tag, EthernetFrame* out) {
  if (frame == nullptr || len < kEthernetHeaderSize) return false;
  EthernetFrame f;
  memcpy(f.destination.bytes, frame + kDestination, 6);
  memcpy(f.source.bytes, frame + kSource, 6);
  f.ethertype = LoadBigEndian16(frame + kEthertype);
  size_t header = kEthernetHeaderSize;
  if (IsTag(f.ethertype)) {
    if (!allow_tag || len < kEthernetHeaderSize + kVlanTagSize) return false;
    f.ethertype = LoadBigEndian16(frame + kInnerEthertype);
    if (IsTag(f.ethertype)) return false;
    f.tagged = true;
    header += kVlanTagSize;
  }
  f.payload = frame + header;
  f.payload_len = len - header;
  *out = f;
  return true;
}

void PutEthernetHeader(const MacAddress& destination, const MacAddress& source, uint16_t ethertype,
                       uint8_t* frame) {
  memcpy(frame + kDestination, destination.bytes, 6);
  memcpy(frame + kSource, source.bytes, 6);
  StoreBigEndian16(frame + kEthertype, ethertype);
}

}  // namespace ipres
