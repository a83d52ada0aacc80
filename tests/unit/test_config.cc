// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <string.h>

#include "cmocka_cxx.h"
#include "config/describe.h"
#include "config/parser.h"

using namespace ipres;

namespace {

Config g_config;

bool Parse(const char* text, ParseError* error) {
  return ParseConfig(text, strlen(text), &g_config, error);
}

const Resource& ParseOk(const char* text) {
  ParseError error;
  if (!Parse(text, &error)) fail_msg("unexpected error line %d: %s", error.line, error.reason);
  assert_true(g_config.count >= 1);
  return g_config.resources[0];
}

// Expects the parse to fail on `line` with a reason containing `needle`.
void ExpectError(const char* text, int line, const char* needle) {
  ParseError error;
  if (Parse(text, &error)) fail_msg("accepted, expected an error on line %d (%s)", line, needle);
  if (error.line != line || !strstr(error.reason, needle)) {
    fail_msg("got line %d '%s', expected line %d containing '%s'", error.line, error.reason, line,
             needle);
  }
}

void DefaultsApply(void**) {
  const Resource& r = ParseOk("[web]\nADDRESS=192.0.2.100/24\nDEVICE=eth0\n");
  assert_string_equal(r.tag, "web");
  assert_int_equal(r.address.v4().value, 0xc0000264u);
  assert_int_equal(r.prefix, 24);
  assert_string_equal(r.device, "eth0");
  assert_int_equal(r.t.ping_list_count, 0);
  assert_false(r.t.source_address);
  assert_true(r.t.restore_and_recover);
  assert_false(r.t.physical);
  assert_true(r.t.autostart);
  assert_int_equal(r.t.ping_time_ms, 1000);
  assert_int_equal(r.t.ping_tries, 3);
  assert_int_equal(r.t.ping_timeout_ms, 1000);
  assert_int_equal(r.t.quickcheck_timeout_ms, 12000);
  assert_int_equal(r.t.wait_linkdown_ms, 5000);
  assert_int_equal(r.t.max_linkchk_ms, 5000);
  assert_false(r.t.no_link_check);
  assert_false(r.t.no_ip_unique);
  assert_false(r.t.no_bcast_ping);
  assert_int_equal(r.t.lkcheck_interval_ms, 120000);
  assert_int_equal(r.t.garp_repeat_delay_ms, 5000);
  assert_int_equal(r.t.garp_refresh_ms, 0);
}

void EveryKeySet(void**) {
  const Resource& r = ParseOk(
      "[a-b.C_9]\n"
      "ADDRESS=198.51.100.7/25\nDEVICE=br-lan.100\nPINGLIST=198.51.100.1, 198.51.100.2 "
      "198.51.100.3\n"
      "SOURCE_ADDRESS=1\nRESTORE_AND_RECOVER=0\nPHYSICAL=1\nAUTOSTART=0\n"
      "IP_PINGTIME=0.25\nIP_PINGTRIES=7\nIP_PINGTIMEOUT=2.5\nIP_QUICKCHECK_TIMEOUT=30\n"
      "IP_WAIT_LINKDOWN=0\nIP_MAX_LINKCHK=0.001\nIP_NOLINKCHECK=1\nNOIPUNIQUE=1\nNOBCASTPING=1\n"
      "LKCHECKINTERVAL=86400\nGARP_REPEAT_DELAY=0\nGARP_REFRESH=60\n");
  assert_string_equal(r.tag, "a-b.C_9");
  assert_int_equal(r.prefix, 25);
  assert_string_equal(r.device, "br-lan.100");
  assert_int_equal(r.t.ping_list_count, 3);
  assert_int_equal(r.t.ping_list[2].v4().value, 0xc6336403u);
  assert_true(r.t.source_address);
  assert_false(r.t.restore_and_recover);
  assert_true(r.t.physical);
  assert_false(r.t.autostart);
  assert_int_equal(r.t.ping_time_ms, 250);
  assert_int_equal(r.t.ping_tries, 7);
  assert_int_equal(r.t.ping_timeout_ms, 2500);
  assert_int_equal(r.t.quickcheck_timeout_ms, 30000);
  assert_int_equal(r.t.wait_linkdown_ms, 0);
  assert_int_equal(r.t.max_linkchk_ms, 1);
  assert_true(r.t.no_link_check);
  assert_true(r.t.no_ip_unique);
  assert_true(r.t.no_bcast_ping);
  assert_int_equal(r.t.lkcheck_interval_ms, 86400000);
  assert_int_equal(r.t.garp_repeat_delay_ms, 0);
  assert_int_equal(r.t.garp_refresh_ms, 60000);
}

void GlobalsApplyAndResourceOverrides(void**) {
  ParseOk(
      "# comment line\n"
      "IP_PINGTIME=2   # trailing comment\n"
      "NOBCASTPING=1\n"
      "PINGLIST=192.0.2.9\n"
      "\n"
      "[one]\nADDRESS=192.0.2.100/24\nDEVICE=eth0\n"
      "[two]\nADDRESS=192.0.2.101/24\nDEVICE=eth1\nIP_PINGTIME=0.5\nPINGLIST=\n");
  assert_int_equal(g_config.count, 2);
  const Resource& one = g_config.resources[0];
  const Resource& two = g_config.resources[1];
  assert_int_equal(one.t.ping_time_ms, 2000);
  assert_true(one.t.no_bcast_ping);
  assert_int_equal(one.t.ping_list_count, 1);
  assert_int_equal(two.t.ping_time_ms, 500);
  assert_true(two.t.no_bcast_ping);
  assert_int_equal(two.t.ping_list_count, 0);
}

void AcceptedForms(void**) {
  // Spaces around '=', quotes, CRLF line ends, tabs, no final newline.
  const Resource& r = ParseOk(
      "[x]\r\n\tADDRESS = 192.0.2.5/32\r\nDEVICE=\"eth0\"\r\nPINGLIST=\"192.0.2.1,192.0.2.2\"");
  assert_int_equal(r.prefix, 32);
  assert_string_equal(r.device, "eth0");
  assert_int_equal(r.t.ping_list_count, 2);
  ParseOk("[x]\nADDRESS=192.0.2.0/31\nDEVICE=eth0\n");           // /31: both ends are hosts
  ParseOk("[x]\nADDRESS=10.0.0.1/8\nDEVICE=abcdefghijklmno\n");  // 15 characters
  ParseOk("[abcdefghijklmnopqrstuvwxyz01234]\nADDRESS=192.0.2.5/24\nDEVICE=e\n");  // 31
}

// A file without a [TAG] once built a binary that protects nothing (issue
// 25, 10); the error names the file's last line.
void NoResourceIsAnError(void**) {
  ExpectError("IP_PINGTIME=1\n", 1, "no resource");
  ExpectError("", 1, "no resource");
  ExpectError("# [web]\n# ADDRESS=192.0.2.100/24\n\nNOBCASTPING=1\n", 4, "no resource");
}

// A UTF-8 byte order mark at the start is accepted (issue 25, 10: it was
// refused as "got ''"); anywhere else it is text, and refused.
void ByteOrderMarkAtTheStart(void**) {
  const Resource& r =
      ParseOk("\xEF\xBB\xBF# gateway\r\n[web]\r\nADDRESS=192.0.2.100/24\r\nDEVICE=eth0\r\n");
  assert_string_equal(r.tag, "web");
  assert_string_equal(ParseOk("\xEF\xBB\xBF[web]\nADDRESS=192.0.2.100/24\nDEVICE=eth0\n").tag,
                      "web");
  ExpectError(
      "[web]\n\xEF\xBB\xBF"
      "ADDRESS=192.0.2.100/24\nDEVICE=eth0\n",
      2, "unknown key");
}

void BadAddress(void**) {
  ExpectError("[x]\nADDRESS=192.0.2/24\nDEVICE=eth0\n", 2, "not a dotted-quad");
  ExpectError("[x]\nADDRESS=192.0.2.256/24\nDEVICE=eth0\n", 2, "not a dotted-quad");
  ExpectError("[x]\nADDRESS=192.0.02.1/24\nDEVICE=eth0\n", 2, "not a dotted-quad");
  ExpectError("[x]\nADDRESS=192.0.2.1\nDEVICE=eth0\n", 2, "expected A.B.C.D/PREFIX");
  ExpectError("[x]\nADDRESS=192.0.2.1/33\nDEVICE=eth0\n", 2, "prefix length");
  ExpectError("[x]\nADDRESS=192.0.2.1/0\nDEVICE=eth0\n", 2, "prefix length");
  ExpectError("[x]\nADDRESS=192.0.2.1/\nDEVICE=eth0\n", 2, "prefix length");
  ExpectError("[x]\nADDRESS=192.0.2.1/2a\nDEVICE=eth0\n", 2, "prefix length");
  ExpectError("[x]\nADDRESS=192.0.2.1/024\nDEVICE=eth0\n", 2, "prefix length");
  ExpectError("[x]\nADDRESS=192.0.2.1/09\nDEVICE=eth0\n", 2, "prefix length");
  ExpectError("[x]\nADDRESS=224.0.0.1/24\nDEVICE=eth0\n", 2, "not a unicast");
  ExpectError("[x]\nADDRESS=127.0.0.2/8\nDEVICE=eth0\n", 2, "not a unicast");
  ExpectError("[x]\nADDRESS=0.0.0.0/8\nDEVICE=eth0\n", 2, "not a unicast");
  ExpectError("[x]\nADDRESS=192.0.2.0/24\nDEVICE=eth0\n", 2, "network address");
  ExpectError("[x]\nADDRESS=192.0.2.255/24\nDEVICE=eth0\n", 2, "broadcast address");
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=eth0\n[y]\nDEVICE=eth1\nADDRESS=192.0.2.1/24\n", 6,
              "resource [x] already protects it");
}

void BadDevice(void**) {
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=abcdefghijklmnop\n", 3, "at most 15");
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=\n", 3, "empty DEVICE");
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=eth 0\n", 3, "no spaces");
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=eth0:1\n", 3, "no spaces");
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=a/b\n", 3, "no spaces");
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=..\n", 3, "bad DEVICE");
  // The kernel would take these; the generated C++ and `ipres list` would not.
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=eth\x01\n", 3, "control characters");
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=eth\xc3\xa9\n", 3, "control characters");
}

void BadTag(void**) {
  ExpectError("[]\n", 1, "1 to 31 characters");
  ExpectError("[abcdefghijklmnopqrstuvwxyz012345]\n", 1, "1 to 31 characters");
  ExpectError("[a b]\n", 1, "only A-Z");
  ExpectError("[a/b]\n", 1, "only A-Z");
  ExpectError("[web\n", 1, "expected [TAG]");
  ExpectError("[web]\nADDRESS=192.0.2.1/24\nDEVICE=eth0\n\n[web]\n", 5,
              "duplicate tag [web] (first on line 1)");
}

void UnknownAndDuplicateKeys(void**) {
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=eth0\nFOO=1\n", 4, "unknown key 'FOO'");
  ExpectError("ip_pingtime=1\n", 1, "unknown key 'ip_pingtime'");
  ExpectError("[x]\nADDRESS=192.0.2.1/24\nDEVICE=eth0\nDEVICE=eth1\n", 4,
              "duplicate key DEVICE (first on line 3)");
  ExpectError("IP_PINGTIME=1\nIP_PINGTIME=2\n", 2, "duplicate key IP_PINGTIME");
  ExpectError("just words\n", 1, "expected KEY=VALUE or [TAG]");
}

void MissingAddressOrDevice(void**) {
  ExpectError("[x]\nDEVICE=eth0\n", 1, "resource [x] has no ADDRESS");
  ExpectError("[x]\nADDRESS=192.0.2.1/24\n[y]\nADDRESS=192.0.2.2/24\nDEVICE=e\n", 1,
              "resource [x] has no DEVICE");
  ExpectError("# c\n[x]\nADDRESS=192.0.2.1/24\n", 2, "resource [x] has no DEVICE");
}

void KeyBeforeTag(void**) {
  ExpectError("ADDRESS=192.0.2.1/24\n[x]\n", 1, "ADDRESS before any [TAG] line");
  ExpectError("IP_PINGTIME=1\nDEVICE=eth0\n", 2, "DEVICE before any [TAG] line");
}

void BadNumbers(void**) {
  ExpectError("IP_PINGTIME=abc\n", 1, "expected seconds");
  ExpectError("IP_PINGTIME=\n", 1, "expected seconds");
  ExpectError("IP_PINGTIME=1.\n", 1, "expected seconds");
  ExpectError("IP_PINGTIME=.5\n", 1, "expected seconds");
  ExpectError("IP_PINGTIME=-1\n", 1, "expected seconds");
  ExpectError("IP_PINGTIME=0.0001\n", 1, "at most 3 decimals");
  ExpectError("IP_PINGTIME=1s\n", 1, "expected seconds");
  ExpectError("IP_PINGTIME=0\n", 1, "out of range");
  ExpectError("IP_QUICKCHECK_TIMEOUT=0.000\n", 1, "out of range");
  ExpectError("LKCHECKINTERVAL=86401\n", 1, "out of range");
  ExpectError("IP_WAIT_LINKDOWN=9999999\n", 1, "expected seconds");
  ExpectError("IP_PINGTRIES=0\n", 1, "whole number from 1 to 100");
  ExpectError("IP_PINGTRIES=101\n", 1, "whole number from 1 to 100");
  ExpectError("IP_PINGTRIES=1.5\n", 1, "whole number");
  ExpectError("IP_PINGTRIES=0001\n", 1, "whole number");  // three digits at most
  ExpectError("IP_PINGTRIES=+5\n", 1, "whole number");
  ExpectError("NOBCASTPING=yes\n", 1, "expected 0 or 1");
  ExpectError("SOURCE_ADDRESS=2\n", 1, "expected 0 or 1");
}

void BadPingList(void**) {
  ExpectError("PINGLIST=192.0.2.1,192.0.2\n", 1, "bad PINGLIST entry '192.0.2'");
  ExpectError("PINGLIST=192.0.2.1;192.0.2.2\n", 1, "bad PINGLIST entry");
  ExpectError("PINGLIST=255.255.255.255\n", 1, "bad PINGLIST entry");
  ExpectError("PINGLIST=0.0.0.0\n", 1, "bad PINGLIST entry");
  char many[512] = "PINGLIST=";
  for (int i = 1; i <= 17; ++i) snprintf(many + strlen(many), 20, "192.0.2.%d,", i);
  ExpectError(many, 1, "more than 16");
  // The resource's own address in its PINGLIST: on that line, or on the
  // ADDRESS line when the PINGLIST is the global one.
  ExpectError("[x]\nADDRESS=192.0.2.100/24\nPINGLIST=192.0.2.1,192.0.2.100\nDEVICE=eth0\n", 3,
              "PINGLIST of [x] names its own ADDRESS 192.0.2.100");
  ExpectError("PINGLIST=192.0.2.100\n[x]\nDEVICE=eth0\nADDRESS=192.0.2.100/24\n", 4,
              "PINGLIST of [x] names its own ADDRESS 192.0.2.100");
  ParseOk("PINGLIST=192.0.2.100\n[x]\nADDRESS=192.0.2.100/24\nDEVICE=eth0\nPINGLIST=192.0.2.1\n");
}

// ---- IPv6 resources ----

void Ipv6ResourceParses(void**) {
  const Resource& r =
      ParseOk("[v6]\nADDRESS=2001:db8::100/64\nDEVICE=eth0\nPINGLIST=2001:db8::1 2001:DB8::2\n");
  assert_true(r.address.is_v6());
  const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00};
  assert_memory_equal(r.address.v6().bytes, want, 16);
  assert_int_equal(r.prefix, 64);
  assert_int_equal(r.t.ping_list_count, 2);
  assert_true(r.t.ping_list[1].is_v6());
  assert_int_equal(r.t.ping_list[1].v6().bytes[15], 2);
  ParseOk("[v6]\nADDRESS=2001:db8::1/128\nDEVICE=eth0\n");
  ParseOk("[v6]\nADDRESS=2001:db8::/127\nDEVICE=eth0\n");  // /127: both ends are hosts
  ParseOk("[v6]\nADDRESS=2001:db8:0:1:0:0:0:5/1\nDEVICE=eth0\n");
  // A global PINGLIST of one family and resources of both, each with its own.
  ParseOk(
      "PINGLIST=192.0.2.1\n[a]\nADDRESS=192.0.2.100/24\nDEVICE=eth0\n"
      "[b]\nADDRESS=2001:db8::100/64\nDEVICE=eth0\nPINGLIST=2001:db8::1\n");
  assert_int_equal(g_config.count, 2);
}

void BadIpv6Address(void**) {
  ExpectError("[x]\nADDRESS=2001:db8::1\nDEVICE=eth0\n", 2,
              "bad ADDRESS '2001:db8::1': expected IPV6/PREFIX");
  ExpectError("[x]\nADDRESS=2001:db8:::1/64\nDEVICE=eth0\n", 2, "not an IPv6 address");
  ExpectError("[x]\nADDRESS=2001:db8::g/64\nDEVICE=eth0\n", 2, "not an IPv6 address");
  ExpectError("[x]\nADDRESS=2001:db8::1%eth0/64\nDEVICE=eth0\n", 2, "not an IPv6 address");
  ExpectError("[x]\nADDRESS=[2001:db8::1]/64\nDEVICE=eth0\n", 2, "not an IPv6 address");
  ExpectError("[x]\nADDRESS=2001:db8::1/129\nDEVICE=eth0\n", 2, "prefix length must be 1 to 128");
  ExpectError("[x]\nADDRESS=2001:db8::1/0\nDEVICE=eth0\n", 2, "prefix length must be 1 to 128");
  ExpectError("[x]\nADDRESS=2001:db8::1/064\nDEVICE=eth0\n", 2, "prefix length");
  ExpectError("[x]\nADDRESS=2001:db8::1/\nDEVICE=eth0\n", 2, "prefix length");
  ExpectError("[x]\nADDRESS=fe80::1/64\nDEVICE=eth0\n", 2, "link-local");
  ExpectError("[x]\nADDRESS=febf::1/64\nDEVICE=eth0\n", 2, "link-local");
  ExpectError("[x]\nADDRESS=ff02::1/64\nDEVICE=eth0\n", 2, "multicast");
  ExpectError("[x]\nADDRESS=ff05::1:3/64\nDEVICE=eth0\n", 2, "multicast");
  ExpectError("[x]\nADDRESS=::/64\nDEVICE=eth0\n", 2, "not a unicast");
  ExpectError("[x]\nADDRESS=::1/128\nDEVICE=eth0\n", 2, "not a unicast");
  ExpectError("[x]\nADDRESS=::ffff:192.0.2.1/120\nDEVICE=eth0\n", 2, "not a unicast");
  ExpectError("[x]\nADDRESS=2001:db8::/64\nDEVICE=eth0\n", 2, "Subnet-Router anycast");
  // The same address written another way is the same address.
  ExpectError(
      "[x]\nADDRESS=2001:db8::1/64\nDEVICE=eth0\n[y]\nDEVICE=eth1\n"
      "ADDRESS=2001:0DB8:0:0::0001/64\n",
      6, "resource [x] already protects it");
}

void Ipv6PingListFamilies(void**) {
  ExpectError("PINGLIST=2001:db8::1,192.0.2.1\n", 1, "mixes IPv4 and IPv6");
  ExpectError("PINGLIST=ff02::1\n", 1, "bad PINGLIST entry 'ff02::1'");
  ExpectError("PINGLIST=::\n", 1, "bad PINGLIST entry");
  ExpectError("PINGLIST=::1\n", 1, "expected a unicast IPv6 address");
  ExpectError("PINGLIST=::ffff:192.0.2.1\n", 1, "expected a unicast IPv6 address");
  // IPv4's messages as they were.
  ExpectError("PINGLIST=192.0.2.300\n", 1,
              "bad PINGLIST entry '192.0.2.300': expected a unicast dotted-quad IPv4 address");
  ExpectError("[x]\nADDRESS=192.0.2.1\nDEVICE=eth0\n", 2,
              "bad ADDRESS '192.0.2.1': expected A.B.C.D/PREFIX");
  ExpectError("PINGLIST=2001:db8::1%eth0\n", 1, "bad PINGLIST entry");
  ExpectError("PINGLIST=2001:db8::1,fe80::1\n", 1, "bad PINGLIST entry 'fe80::1': a link-local");
  // The PINGLIST of a resource is of its ADDRESS's family: the error on the
  // PINGLIST line, or on the ADDRESS line for a global PINGLIST.
  ExpectError("[x]\nADDRESS=2001:db8::100/64\nPINGLIST=192.0.2.1\nDEVICE=eth0\n", 3,
              "PINGLIST of [x] is IPv4 but its ADDRESS is IPv6");
  ExpectError("[x]\nADDRESS=192.0.2.100/24\nPINGLIST=2001:db8::1\nDEVICE=eth0\n", 3,
              "PINGLIST of [x] is IPv6 but its ADDRESS is IPv4");
  ExpectError("PINGLIST=192.0.2.1\n[x]\nDEVICE=eth0\nADDRESS=2001:db8::100/64\n", 4,
              "PINGLIST of [x] is IPv4 but its ADDRESS is IPv6");
  ExpectError("[x]\nADDRESS=2001:db8::100/64\nPINGLIST=2001:db8::1,2001:db8:0::100\nDEVICE=eth0\n",
              3, "PINGLIST of [x] names its own ADDRESS 2001:db8::100");
}

void DescribeRoundTrips(void**) {
  const char* text =
      "[rt]\nADDRESS=192.0.2.9/24\nDEVICE=eth0\nPINGLIST=192.0.2.1,192.0.2.2\n"
      "IP_PINGTIME=0.25\nIP_PINGTIMEOUT=1.5\nIP_MAX_LINKCHK=0.125\nGARP_REFRESH=30\n";
  Resource first = ParseOk(text);
  char block[2048];
  DescribeResource(first, block, sizeof block);
  assert_non_null(strstr(block, "IP_PINGTIME=0.25\n"));
  assert_non_null(strstr(block, "IP_PINGTIMEOUT=1.5\n"));
  assert_non_null(strstr(block, "IP_MAX_LINKCHK=0.125\n"));
  assert_non_null(strstr(block, "PINGLIST=192.0.2.1,192.0.2.2\n"));
  const Resource& again = ParseOk(block);
  assert_memory_equal(&first, &again, sizeof first);

  const Resource v6 =
      ParseOk("[v6]\nADDRESS=2001:DB8:0::0100/64\nDEVICE=eth0\nPINGLIST=2001:db8::1\n");
  DescribeResource(v6, block, sizeof block);
  assert_non_null(strstr(block, "ADDRESS=2001:db8::100/64\n"));
  assert_non_null(strstr(block, "PINGLIST=2001:db8::1\n"));
  const Resource& v6_again = ParseOk(block);
  assert_memory_equal(&v6, &v6_again, sizeof v6);
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(DefaultsApply),
      cmocka_unit_test(EveryKeySet),
      cmocka_unit_test(GlobalsApplyAndResourceOverrides),
      cmocka_unit_test(AcceptedForms),
      cmocka_unit_test(NoResourceIsAnError),
      cmocka_unit_test(ByteOrderMarkAtTheStart),
      cmocka_unit_test(BadAddress),
      cmocka_unit_test(BadDevice),
      cmocka_unit_test(BadTag),
      cmocka_unit_test(UnknownAndDuplicateKeys),
      cmocka_unit_test(MissingAddressOrDevice),
      cmocka_unit_test(KeyBeforeTag),
      cmocka_unit_test(BadNumbers),
      cmocka_unit_test(BadPingList),
      cmocka_unit_test(Ipv6ResourceParses),
      cmocka_unit_test(BadIpv6Address),
      cmocka_unit_test(Ipv6PingListFamilies),
      cmocka_unit_test(DescribeRoundTrips),
  };
  return cmocka_run_group_tests_name("config", tests, nullptr, nullptr);
}
