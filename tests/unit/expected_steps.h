// SPDX-License-Identifier: Apache-2.0
// Each step's host calls, as MockHost logs them, defined once: a test lists
// the steps it expects, e.g.
//   ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck,
//                   kAssignAndFlush, kUnicastPing});
// Named after the spec's steps (ip-recovery-kit-operations.txt) where they
// are one, for the resources the tests use: `steps` for TestResource() (vip,
// 192.0.2.100/24 on eth0, whose own address is 192.0.2.2/24, PINGLIST
// 192.0.2.10), `steps6` for the IPv6 one of test_ipv6_ops (v6,
// 2001:db8::100/64 on eth0, whose own is 2001:db8::2, PINGLIST 2001:db8::10).
// A test that expects a call these steps do not make writes it out itself.
#pragma once

#include "mock_host.h"

namespace ipres {
namespace steps {

// restore 2, quickCheck 2: the link's state.
inline constexpr Expected kLinkCheck[] = {"GetLink eth0"};
// restore 2 with the link down: the one bounce (IP_WAIT_LINKDOWN 300 ms,
// MAX_LINKCHK 2000 ms for the carrier).
inline constexpr Expected kLinkBounce[] = {"SetLinkUp eth0 down", "SleepMs 300",
                                           "SetLinkUp eth0 up", "WaitForCarrier eth0 2000"};
// restore 3, remove 2, quickCheck 1: the device's addresses.
inline constexpr Expected kAssignmentStatus[] = {"VisitAddresses eth0"};
// restore 4 (IP_PINGTIMEOUT 400 ms).
inline constexpr Expected kDuplicationCheck[] = {
    "ProbeForDuplicate eth0 from 192.0.2.2 for 192.0.2.100 in 400"};
// restore 5, the add.
inline constexpr Expected kAssign[] = {"AddAddress eth0 192.0.2.100/24 brd 192.0.2.255"};
// The gratuitous ARPs of restore 5, also the monitor's repeat and its
// defence of a claimed address.
inline constexpr Expected kAnnouncements[] = {"ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100",
                                              "ArpAnnounce eth0 reply 192.0.2.100 to 192.0.2.100",
                                              "ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.255",
                                              "ArpAnnounce eth0 reply 192.0.2.100 to 192.0.2.255"};
// restore 5 after the add (also where the address was there already).
inline constexpr Expected kFlushAndAnnounce[] = {"FlushNeighbours eth0", kAnnouncements};
// restore 5 whole: "Assigning virtual IP addresses and flushing the ARP table".
inline constexpr Expected kAssignAndFlush[] = {kAssign, kFlushAndAnnounce};
// restore 6 (SOURCE_ADDRESS=1).
inline constexpr Expected kEnableSource[] = {"SetRouteSource eth0 192.0.2.0/24 src 192.0.2.100"};
// Connectivity check 1 and 2 (IP_PINGTIME 500 ms).
inline constexpr Expected kUnicastPing[] = {"Ping eth0 from 192.0.2.100 to 192.0.2.10 in 500"};
inline constexpr Expected kBroadcastPing[] = {
    "Ping eth0 from 192.0.2.100 bcast 192.0.2.255 in 500"};
// remove 4, 5 and 6.
inline constexpr Expected kRemoveAddress[] = {"DeleteAddress eth0 192.0.2.100/24"};
inline constexpr Expected kRemoveHostRoute[] = {"DeleteHostRoute eth0 192.0.2.100"};
inline constexpr Expected kClearRouteCache[] = {"FlushRouteCache"};
// remove 4-6 as a healthy run makes them: the delete and a look that it is
// gone, the host route, the route cache; also a failed restore's or a
// recover's take-down.
inline constexpr Expected kTakeDown[] = {kRemoveAddress, kAssignmentStatus, kRemoveHostRoute,
                                         kClearRouteCache};
// restore 2-7 on a healthy machine without the address: recover 2's restore.
inline constexpr Expected kBringUp[] = {kLinkCheck, kAssignmentStatus, kDuplicationCheck,
                                        kAssignAndFlush, kUnicastPing};
// quickCheck 1-3, the first ping answered.
inline constexpr Expected kQuickCheck[] = {kAssignmentStatus, kLinkCheck, kUnicastPing};
// The monitor's probe for a holder that announces nothing (IP_PINGTIMEOUT),
// and the claim it asks for before it blames the network.
inline constexpr Expected kClaimProbe[] = {
    "VisitAddresses eth0", "ProbeClaims eth0 192.0.2.100 in 400", "TakeClaim 192.0.2.100"};
// The monitor's check of an address it holds: the probe, then quickCheck.
inline constexpr Expected kHeldCheck[] = {kClaimProbe, kQuickCheck};

}  // namespace steps

namespace steps6 {

using steps::kLinkCheck;

inline constexpr Expected kAssignmentStatus[] = {"VisitAddresses -6 eth0"};
inline constexpr Expected kDuplicationCheck[] = {
    "ProbeForDuplicate eth0 from 2001:db8::2 for 2001:db8::100 in 400"};
// restore 5's add, deprecated as SOURCE_ADDRESS=0 wants it.
inline constexpr Expected kAssign[] = {"AddAddress eth0 2001:db8::100/64 nodad deprecated"};
inline constexpr Expected kAnnouncement[] = {"NdpAnnounce eth0 2001:db8::100"};
inline constexpr Expected kFlushAndAnnounce[] = {"FlushNeighbours eth0", kAnnouncement,
                                                 kAnnouncement, kAnnouncement, kAnnouncement};
inline constexpr Expected kAssignAndFlush[] = {kAssign, kFlushAndAnnounce};
inline constexpr Expected kEnableSource[] = {"SetRouteSource eth0 2001:db8::/64 src 2001:db8::100"};
inline constexpr Expected kUnicastPing[] = {"Ping eth0 from 2001:db8::100 to 2001:db8::10 in 500"};
inline constexpr Expected kAllNodesPing[] = {"Ping eth0 from 2001:db8::100 bcast ff02::1 in 500"};
inline constexpr Expected kRemoveAddress[] = {"DeleteAddress eth0 2001:db8::100/64"};
inline constexpr Expected kRemoveHostRoute[] = {"DeleteHostRoute eth0 2001:db8::100"};
inline constexpr Expected kClearRouteCache[] = {"FlushRouteCache -6"};
inline constexpr Expected kTakeDown[] = {kRemoveAddress, kAssignmentStatus, kRemoveHostRoute,
                                         kClearRouteCache};
inline constexpr Expected kQuickCheck[] = {kAssignmentStatus, kLinkCheck, kUnicastPing};

}  // namespace steps6
}  // namespace ipres
