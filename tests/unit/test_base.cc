// SPDX-License-Identifier: Apache-2.0
// base/: Status and Result, the number and seconds reader, byte order, the
// device-name rule, the seconds formatter, and addresses of both families.
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/byte_order.h"
#include "base/clock.h"
#include "base/device_name.h"
#include "base/ip_address.h"
#include "base/status.h"
#include "base/text_fields.h"
#include "cmocka_cxx.h"

using namespace ipres;

namespace {

// ---- Status and Result ----

void OkStatusReadsAsOk(void**) {
  Status ok = OkStatus();
  assert_true(ok.ok());
  assert_int_equal(ok.err(), 0);
  assert_string_equal(StatusText(ok).c_str(), "ok");
}

void StatusTextWithAndWithoutErrno(void**) {
  Status with = Status::Errno(ENODEV, "device %s", "eth9");
  assert_false(with.ok());
  assert_int_equal(with.err(), ENODEV);
  assert_string_equal(with.context(), "device eth9");
  char expected[128];
  snprintf(expected, sizeof expected, "device eth9: %s", strerror(ENODEV));
  assert_string_equal(StatusText(with).c_str(), expected);

  Status without = Status::Fail("check %d did not pass", 3);
  assert_false(without.ok());
  assert_int_equal(without.err(), 0);
  assert_string_equal(StatusText(without).c_str(), "check 3 did not pass");
}

void StatusContextIsTruncatedNotOverrun(void**) {
  char longer[Status::kMessageCapacity * 2];
  memset(longer, 'x', sizeof longer - 1);
  longer[sizeof longer - 1] = '\0';
  Status s = Status::Fail("%s", longer);
  assert_int_equal(strlen(s.context()), Status::kMessageCapacity - 1);
}

void ResultHoldsValueOrFailure(void**) {
  Result<int> value = 7;
  assert_true(value.ok());
  assert_int_equal(value.value(), 7);
  Result<int> failed = Status::Errno(EIO, "read");
  assert_false(failed.ok());
  assert_int_equal(failed.status().err(), EIO);
}

void ResultFromOkStatusReadsAsFailed(void**) {
  Result<int> wrong = OkStatus();
  assert_false(wrong.ok());
  assert_false(wrong.status().ok());
  assert_non_null(strstr(wrong.status().context(), "Result built from an OK status"));
}

// ---- ParseDecimal and ParseNumber ----

FieldParse Decimal(const char* text, uint64_t min, uint64_t max, uint64_t* out) {
  return ParseDecimal(text, strlen(text), min, max, out);
}

void DecimalBoundsAndShape(void**) {
  uint64_t v = 0;
  assert_true(Decimal("1", 1, 100, &v) == FieldParse::kOk);
  assert_int_equal(v, 1);
  assert_true(Decimal("100", 1, 100, &v) == FieldParse::kOk);
  assert_true(Decimal("007", 1, 100, &v) == FieldParse::kOk);  // leading zeros are digits
  assert_int_equal(v, 7);
  assert_true(Decimal("0", 1, 100, &v) == FieldParse::kOutOfRange);
  assert_true(Decimal("101", 1, 100, &v) == FieldParse::kOutOfRange);
  assert_true(Decimal("", 0, 100, &v) == FieldParse::kMalformed);
  assert_true(Decimal("-1", 0, 100, &v) == FieldParse::kMalformed);
  assert_true(Decimal("+1", 0, 100, &v) == FieldParse::kMalformed);
  assert_true(Decimal(" 1", 0, 100, &v) == FieldParse::kMalformed);
  assert_true(Decimal("1 ", 0, 100, &v) == FieldParse::kMalformed);
  assert_true(Decimal("1x", 0, 100, &v) == FieldParse::kMalformed);
  assert_true(Decimal("0x10", 0, 100, &v) == FieldParse::kMalformed);
  // Only `len` bytes are read.
  assert_true(ParseDecimal("12junk", 2, 0, 100, &v) == FieldParse::kOk);
  assert_int_equal(v, 12);
}

void DecimalOverflowIsOutOfRange(void**) {
  uint64_t v = 5;
  assert_true(Decimal("18446744073709551615", 0, UINT64_MAX, &v) == FieldParse::kOk);
  assert_true(v == UINT64_MAX);
  assert_true(Decimal("18446744073709551616", 0, UINT64_MAX, &v) == FieldParse::kOutOfRange);
  assert_true(Decimal("99999999999999999999999", 0, UINT64_MAX, &v) == FieldParse::kOutOfRange);
  // Malformed wins over out of range: the whole field is read first.
  assert_true(Decimal("99999999999999999999999x", 0, 10, &v) == FieldParse::kMalformed);
  assert_true(v == UINT64_MAX);  // untouched on failure
}

void NumberFieldsInBase10And16(void**) {
  unsigned long v = 0;
  assert_true(ParseNumber("1234", '\0', 10, &v));
  assert_int_equal(v, 1234);
  assert_true(ParseNumber("fd:01", ':', 16, &v));
  assert_int_equal(v, 0xfd);
  assert_false(ParseNumber("FD", '\0', 16, &v));  // lowercase only, as the kernel prints
  assert_false(ParseNumber("12a", '\0', 10, &v));
  assert_false(ParseNumber("", '\0', 10, &v));
  assert_false(ParseNumber(":", ':', 10, &v));
  assert_false(ParseNumber("12", ':', 10, &v));  // the end mark is required
  assert_false(ParseNumber("-1", '\0', 10, &v));
  assert_false(ParseNumber("99999999999999999999999", '\0', 10, &v));
}

// ---- ParseSecondsMs ----

FieldParse Seconds(const char* text, SecondsSyntax syntax, uint32_t min, uint32_t max,
                   uint32_t* ms) {
  return ParseSecondsMs(text, strlen(text), syntax, min, max, ms);
}

void RecordLines(void**) {
  char line[8];
  assert_true(CopyRecordLine("up 1\n", line, sizeof line));
  assert_string_equal(line, "up 1");
  assert_true(CopyRecordLine("1234567\n", line, sizeof line));  // 7 and the NUL fit
  assert_false(CopyRecordLine("12345678\n", line, sizeof line));
  assert_false(CopyRecordLine("up 1", line, sizeof line));  // no newline
  assert_false(CopyRecordLine("up\n1\n", line, sizeof line));
  assert_false(CopyRecordLine("up\n\n", line, sizeof line));
  assert_true(CopyRecordLine("\n", line, sizeof line));
  assert_string_equal(line, "");
}

void ConfigSeconds(void**) {
  const SecondsSyntax c = SecondsSyntax::kConfig;
  uint32_t ms = 0;
  assert_true(Seconds("5", c, 0, 86400000, &ms) == FieldParse::kOk);
  assert_int_equal(ms, 5000);
  assert_true(Seconds("0.25", c, 0, 86400000, &ms) == FieldParse::kOk);
  assert_int_equal(ms, 250);
  assert_true(Seconds("0.125", c, 0, 86400000, &ms) == FieldParse::kOk);
  assert_int_equal(ms, 125);
  assert_true(Seconds("86400", c, 0, 86400000, &ms) == FieldParse::kOk);
  assert_true(Seconds("86400.001", c, 0, 86400000, &ms) == FieldParse::kOutOfRange);
  assert_true(Seconds("0", c, 1, 86400000, &ms) == FieldParse::kOutOfRange);
  assert_true(Seconds("999999", c, 0, 86400000, &ms) == FieldParse::kOutOfRange);
  // The config's own shape: digits on both sides of a point, 6 and 3 at most.
  assert_true(Seconds("1000000", c, 0, 86400000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds("0.0001", c, 0, 86400000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds("1.", c, 0, 86400000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds(".5", c, 0, 86400000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds("", c, 0, 86400000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds("-1", c, 0, 86400000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds("1s", c, 0, 86400000, &ms) == FieldParse::kMalformed);
}

void PingSeconds(void**) {
  const SecondsSyntax p = SecondsSyntax::kPing;
  uint32_t ms = 0;
  assert_true(Seconds("0.25", p, 0, 5000, &ms) == FieldParse::kOk);
  assert_int_equal(ms, 250);
  assert_true(Seconds("1.", p, 0, 5000, &ms) == FieldParse::kOk);
  assert_int_equal(ms, 1000);
  assert_true(Seconds(".5", p, 0, 5000, &ms) == FieldParse::kOk);
  assert_int_equal(ms, 500);
  assert_true(Seconds("0.0001", p, 1, 5000, &ms) == FieldParse::kOk);  // rounded up, never 0
  assert_int_equal(ms, 1);
  assert_true(Seconds("1.2340", p, 0, 5000, &ms) == FieldParse::kOk);
  assert_int_equal(ms, 1234);
  assert_true(Seconds("1.2341", p, 0, 5000, &ms) == FieldParse::kOk);
  assert_int_equal(ms, 1235);
  assert_true(Seconds("0.000", p, 0, 5000, &ms) == FieldParse::kOk);
  assert_int_equal(ms, 0);
  assert_true(Seconds("0.000", p, 1, 5000, &ms) == FieldParse::kOutOfRange);
  assert_true(Seconds("5.001", p, 0, 5000, &ms) == FieldParse::kOutOfRange);
  assert_true(Seconds("2147483", p, 0, 2147483000u, &ms) == FieldParse::kOk);
  assert_true(Seconds("2147484", p, 0, 2147483000u, &ms) == FieldParse::kOutOfRange);
  assert_true(Seconds("99999999999999999999", p, 0, 5000, &ms) == FieldParse::kOutOfRange);
  assert_true(Seconds(".", p, 0, 5000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds("", p, 0, 5000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds("+1", p, 0, 5000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds(" 1", p, 0, 5000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds("1e3", p, 0, 5000, &ms) == FieldParse::kMalformed);
  assert_true(Seconds("1.2.3", p, 0, 5000, &ms) == FieldParse::kMalformed);
}

void SecondsFormatter(void**) {
  char s[16];
  assert_string_equal(FormatSeconds(0, s, sizeof s), "0");
  assert_string_equal(FormatSeconds(5000, s, sizeof s), "5");
  assert_string_equal(FormatSeconds(500, s, sizeof s), "0.5");
  assert_string_equal(FormatSeconds(250, s, sizeof s), "0.25");
  assert_string_equal(FormatSeconds(1, s, sizeof s), "0.001");
  assert_string_equal(FormatSeconds(86400000, s, sizeof s), "86400");
  assert_string_equal(FormatSeconds(4294967295u, s, sizeof s), "4294967.295");
  // What it writes, the config reads back.
  const uint32_t samples[] = {1, 10, 120, 1500, 86399999};
  for (uint32_t ms : samples) {
    uint32_t back = 0;
    FormatSeconds(ms, s, sizeof s);
    assert_true(Seconds(s, SecondsSyntax::kConfig, 0, 86400000, &back) == FieldParse::kOk);
    assert_int_equal(back, ms);
  }
}

// ---- byte order ----

void BigEndianFields(void**) {
  uint8_t b[6] = {};
  StoreBigEndian16(b + 1, 0x0806);
  assert_int_equal(b[1], 0x08);
  assert_int_equal(b[2], 0x06);
  assert_int_equal(LoadBigEndian16(b + 1), 0x0806);
  StoreBigEndian32(b + 1, 0xc0000201u);  // unaligned on purpose
  const uint8_t expected[] = {0, 0xc0, 0x00, 0x02, 0x01, 0};
  assert_memory_equal(b, expected, sizeof b);
  assert_int_equal(LoadBigEndian32(b + 1), 0xc0000201u);
  const uint8_t high[] = {0xff, 0xfe, 0xfd, 0xfc};
  assert_int_equal(LoadBigEndian16(high), 0xfffe);
  assert_int_equal(LoadBigEndian32(high), 0xfffefdfcu);
}

// ---- device names ----

DeviceNameFault Device(const char* name) {
  return CheckDeviceName(name, strlen(name));
}

void DeviceNameRule(void**) {
  assert_int_equal(kIfNameCapacity, 16);
  assert_true(Device("eth0") == DeviceNameFault::kNone);
  assert_true(Device("br-lan.100") == DeviceNameFault::kNone);
  assert_true(Device("abcdefghijklmno") == DeviceNameFault::kNone);  // 15: the most
  assert_true(Device("abcdefghijklmnop") == DeviceNameFault::kTooLong);
  assert_true(Device("") == DeviceNameFault::kEmpty);
  assert_true(Device(".") == DeviceNameFault::kDotName);
  assert_true(Device("..") == DeviceNameFault::kDotName);
  assert_true(Device("...") == DeviceNameFault::kNone);
  assert_true(Device("eth/0") == DeviceNameFault::kBadCharacter);
  assert_true(Device("eth0:1") == DeviceNameFault::kBadCharacter);
  assert_true(Device("eth 0") == DeviceNameFault::kBadCharacter);
  assert_true(Device("eth\t0") == DeviceNameFault::kBadCharacter);
  assert_true(Device("eth\r") == DeviceNameFault::kBadCharacter);
  // The kernel's rule only: other bytes are the config's own business.
  assert_true(Device("eth\x01") == DeviceNameFault::kNone);
  assert_true(Device("192.0.2.300") == DeviceNameFault::kNone);
  assert_true(IsValidDeviceName("eth0"));
  assert_false(IsValidDeviceName("eth0:1"));
}

// ---- addresses ----

Ipv6 V6(const char* text) {
  Ipv6 a;
  if (!ParseIpv6(text, strlen(text), &a)) fail_msg("'%s' did not parse", text);
  return a;
}

void Ipv6TextBothWays(void**) {
  const uint8_t db8_1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  assert_memory_equal(V6("2001:db8::1").bytes, db8_1, 16);
  assert_memory_equal(V6("2001:0DB8:0000:0:0:0:0:1").bytes, db8_1, 16);
  Ipv6 a;
  const char* bad[] = {"",
                       ":",
                       "2001:db8:::1",
                       "2001:db8::1::2",
                       "1:2:3:4:5:6:7:8:9",
                       "2001:db8::g",
                       "2001:db8::1%eth0",
                       "[2001:db8::1]",
                       "12345::1",
                       "2001:db8::1/64",
                       "192.0.2.1"};
  for (const char* text : bad) {
    if (ParseIpv6(text, strlen(text), &a)) fail_msg("'%s' parsed", text);
  }
  // Exactly len characters: what follows is not read.
  assert_true(ParseIpv6("2001:db8::1/64", 11, &a));
  assert_false(ParseIpv6("2001:db8::1\0", 12, &a));
  char text[kIpv6TextCapacity];
  assert_string_equal(FormatIpv6(V6("2001:0db8:0:0:0:0:0:100"), text), "2001:db8::100");
  assert_string_equal(FormatIpv6(V6("2001:db8:0:1:0:0:0:1"), text), "2001:db8:0:1::1");
  assert_string_equal(FormatIpv6(V6("ff02::1:ff00:100"), text), "ff02::1:ff00:100");
  char longest[] = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
  assert_true(ParseIpv6(longest, strlen(longest), &a));
  assert_true(strlen(FormatIpv6(a, text)) < kIpv6TextCapacity);
}

void Ipv6Scopes(void**) {
  assert_true(IsLinkLocal(V6("fe80::1")));
  assert_true(IsLinkLocal(V6("febf:ffff::1")));
  assert_false(IsLinkLocal(V6("fec0::1")));
  assert_true(IsMulticast(V6("ff02::1")));
  assert_false(IsMulticast(V6("fe02::1")));
  assert_true(IsUnspecified(V6("::")));
  assert_true(IsLoopback(V6("::1")));
  assert_true(IsV4Mapped(V6("::ffff:192.0.2.1")));
  assert_true(AllNodes() == V6("ff02::1"));
  // RFC 4291 2.7.1: ff02::1:ff and the low 24 bits.
  assert_true(SolicitedNodeOf(V6("2001:db8::12:3456")) == V6("ff02::1:ff12:3456"));
  assert_true(NetworkOf(V6("2001:db8:1:2:3:4:5:6"), 64) == V6("2001:db8:1:2::"));
  assert_true(NetworkOf(V6("2001:db8:1:2:3:4:5:6"), 60) == V6("2001:db8:1::"));
  assert_true(NetworkOf(V6("2001:db8:1:2:3:4:5:6"), 127) == V6("2001:db8:1:2:3:4:5:6"));
  assert_true(NetworkOf(V6("2001:db8:1:2:3:4:5:7"), 127) == V6("2001:db8:1:2:3:4:5:6"));
  assert_true(NetworkOf(V6("2001:db8:1:2:3:4:5:7"), 128) == V6("2001:db8:1:2:3:4:5:7"));
  assert_true(NetworkOf(V6("ffff::1"), 0) == V6("::"));
  assert_true(NetworkOf(V6("ffff::1"), 1) == V6("8000::"));
}

void AddressOfEitherFamily(void**) {
  IpAddress v4;
  assert_true(ParseIpAddress("192.0.2.1", &v4));
  assert_false(v4.is_v6());
  assert_int_equal(v4.af(), AF_INET);
  assert_int_equal(v4.bits(), 32);
  assert_int_equal(v4.v4().value, 0xc0000201u);
  assert_true(IsUnspecified(v4.v6()));
  IpAddress v6;
  assert_true(ParseIpAddress("2001:db8::1", &v6));
  assert_true(v6.is_v6());
  assert_int_equal(v6.af(), AF_INET6);
  assert_int_equal(v6.bits(), 128);
  assert_int_equal(v6.v4().value, 0);
  // ::c000:201 holds the same bytes as 192.0.2.1 but is another address.
  IpAddress compat;
  assert_true(ParseIpAddress("::192.0.2.1", &compat));
  assert_true(compat != v4);
  assert_false(SameFamily(compat, v4));
  assert_true(IpAddress() == Ipv4{});
  assert_true(IpAddress() != Ipv6{});
  assert_true(IpAddress().IsUnspecified() && IpAddress(Ipv6{}).IsUnspecified());
  assert_false(ParseIpAddress("192.0.2.1:80", &v4));
  assert_false(ParseIpAddress("", &v4));
  assert_true(NetworkOf(v6, 64) == IpAddress(V6("2001:db8::")));
  assert_true(NetworkOf(IpAddress(Ipv4{0xc0000264u}), 24) == IpAddress(Ipv4{0xc0000200u}));
  assert_string_equal(IpText(v6).s, "2001:db8::1");
  assert_string_equal(IpText(IpAddress(Ipv4{0xc0000201u})).s, "192.0.2.1");
}

// Checked against Python's datetime: the epoch, a leap day, the end of a
// leap February, a day in 2025, the last second of 2099.
void UtcTextOfKnownSeconds(void**) {
  assert_string_equal(UtcText(0).s, "1970-01-01T00:00:00Z");
  assert_string_equal(UtcText(951782400).s, "2000-02-29T00:00:00Z");
  assert_string_equal(UtcText(1709164799).s, "2024-02-28T23:59:59Z");
  assert_string_equal(UtcText(1764892800).s, "2025-12-05T00:00:00Z");
  assert_string_equal(UtcText(4102444799).s, "2099-12-31T23:59:59Z");
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(OkStatusReadsAsOk),
      cmocka_unit_test(RecordLines),
      cmocka_unit_test(StatusTextWithAndWithoutErrno),
      cmocka_unit_test(StatusContextIsTruncatedNotOverrun),
      cmocka_unit_test(ResultHoldsValueOrFailure),
      cmocka_unit_test(ResultFromOkStatusReadsAsFailed),
      cmocka_unit_test(DecimalBoundsAndShape),
      cmocka_unit_test(DecimalOverflowIsOutOfRange),
      cmocka_unit_test(NumberFieldsInBase10And16),
      cmocka_unit_test(ConfigSeconds),
      cmocka_unit_test(PingSeconds),
      cmocka_unit_test(SecondsFormatter),
      cmocka_unit_test(BigEndianFields),
      cmocka_unit_test(DeviceNameRule),
      cmocka_unit_test(Ipv6TextBothWays),
      cmocka_unit_test(Ipv6Scopes),
      cmocka_unit_test(AddressOfEitherFamily),
      cmocka_unit_test(UtcTextOfKnownSeconds),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
