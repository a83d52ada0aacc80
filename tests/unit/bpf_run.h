// SPDX-License-Identifier: Apache-2.0
// A classic BPF interpreter for the tests: runs a socket filter over a frame
// as the kernel does for a packet socket (net/core/filter.c, the frame from
// its Ethernet header on), for the instructions the claim filters use, the
// packet type (SKF_AD_PKTTYPE) the only ancillary data. Header only and
// without cmocka, so the fuzzer can run it too.
#pragma once

#include <linux/filter.h>
#include <linux/if_packet.h>
#include <stddef.h>
#include <stdint.h>

namespace bpf_test {

// What the kernel's bpf_check_classic refuses at SO_ATTACH_FILTER: no
// instructions or too many, a jump out of the program, an end that is not a
// return; and here also any instruction BpfRun does not know.
inline bool BpfValid(const sock_filter* program, size_t len) {
  if (len == 0 || len > BPF_MAXINSNS) return false;
  for (size_t i = 0; i < len; ++i) {
    const sock_filter& f = program[i];
    const size_t left = len - i - 1;  // instructions after this one
    switch (f.code) {
      case BPF_LD | BPF_W | BPF_ABS:
      case BPF_LD | BPF_H | BPF_ABS:
      case BPF_LD | BPF_B | BPF_ABS:
      case BPF_LD | BPF_W | BPF_IND:
      case BPF_LD | BPF_H | BPF_IND:
      case BPF_LD | BPF_B | BPF_IND:
      case BPF_LDX | BPF_W | BPF_IMM:
      case BPF_ALU | BPF_AND | BPF_K:
      case BPF_RET | BPF_K:
        break;
      case BPF_JMP | BPF_JA:
        if (f.k >= left) return false;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
      case BPF_JMP | BPF_JGT | BPF_K:
        if (f.jt >= left || f.jf >= left) return false;
        break;
      default:
        return false;
    }
  }
  return BPF_CLASS(program[len - 1].code) == BPF_RET;
}

// The bytes of the frame the socket would queue: 0 when the filter drops it
// (a load past the frame's end drops it, as in the kernel), else the return
// value capped at the frame's length. -1 for a program BpfValid refuses or
// ancillary data other than the packet type, `pkt_type` (PACKET_HOST...).
inline long BpfRun(const sock_filter* program, size_t len, const uint8_t* frame, size_t frame_len,
                   uint32_t pkt_type = PACKET_HOST) {
  if (!BpfValid(program, len)) return -1;
  uint32_t a = 0;
  uint32_t x = 0;
  for (size_t pc = 0; pc < len; ++pc) {
    const sock_filter& f = program[pc];
    const uint32_t size = BPF_SIZE(f.code) == BPF_W ? 4 : BPF_SIZE(f.code) == BPF_H ? 2 : 1;
    switch (BPF_CLASS(f.code)) {
      case BPF_LD: {
        if (BPF_MODE(f.code) == BPF_ABS && f.k >= static_cast<uint32_t>(SKF_AD_OFF)) {
          if (f.k != static_cast<uint32_t>(SKF_AD_OFF + SKF_AD_PKTTYPE)) return -1;
          a = pkt_type;
          break;
        }
        const uint64_t at = static_cast<uint64_t>(f.k) + (BPF_MODE(f.code) == BPF_IND ? x : 0);
        if (at + size > frame_len) return 0;
        a = 0;
        for (uint32_t i = 0; i < size; ++i) a = a << 8 | frame[at + i];
        break;
      }
      case BPF_LDX:
        x = f.k;
        break;
      case BPF_ALU:
        a &= f.k;
        break;
      case BPF_JMP:
        if (BPF_OP(f.code) == BPF_JA) {
          pc += f.k;
        } else if (BPF_OP(f.code) == BPF_JGT) {
          pc += a > f.k ? f.jt : f.jf;
        } else {
          pc += a == f.k ? f.jt : f.jf;
        }
        break;
      case BPF_RET:
        return f.k < frame_len ? static_cast<long>(f.k) : static_cast<long>(frame_len);
    }
  }
  return -1;  // BpfValid saw to it that the last instruction returns
}

}  // namespace bpf_test
