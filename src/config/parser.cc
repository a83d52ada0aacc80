#include "config/parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/text_fields.h"

namespace ipres {
namespace {

constexpr uint32_t kMaxSecondsMs = 86400u * 1000u;
constexpr uint32_t kMaxPingTries = 100;

enum class Kind { kAddress, kDevice, kPingList, kBool, kSeconds, kPositiveSeconds, kCount };

struct Key {
  const char* name;
  Kind kind;
  bool Tunables::*flag;        // kBool
  uint32_t Tunables::*number;  // kCount, kSeconds, kPositiveSeconds
};

// Every key the file may set; ADDRESS and DEVICE belong to a resource only.
constexpr Key kKeys[] = {
    {"ADDRESS", Kind::kAddress, nullptr, nullptr},
    {"DEVICE", Kind::kDevice, nullptr, nullptr},
    {"PINGLIST", Kind::kPingList, nullptr, nullptr},
    {"SOURCE_ADDRESS", Kind::kBool, &Tunables::source_address, nullptr},
    {"RESTORE_AND_RECOVER", Kind::kBool, &Tunables::restore_and_recover, nullptr},
    {"PHYSICAL", Kind::kBool, &Tunables::physical, nullptr},
    {"AUTOSTART", Kind::kBool, &Tunables::autostart, nullptr},
    {"IP_PINGTIME", Kind::kPositiveSeconds, nullptr, &Tunables::ping_time_ms},
    {"IP_PINGTRIES", Kind::kCount, nullptr, &Tunables::ping_tries},
    {"IP_PINGTIMEOUT", Kind::kPositiveSeconds, nullptr, &Tunables::ping_timeout_ms},
    {"IP_QUICKCHECK_TIMEOUT", Kind::kPositiveSeconds, nullptr, &Tunables::quickcheck_timeout_ms},
    {"IP_WAIT_LINKDOWN", Kind::kSeconds, nullptr, &Tunables::wait_linkdown_ms},
    {"IP_MAX_LINKCHK", Kind::kSeconds, nullptr, &Tunables::max_linkchk_ms},
    {"IP_NOLINKCHECK", Kind::kBool, &Tunables::no_link_check, nullptr},
    {"NOIPUNIQUE", Kind::kBool, &Tunables::no_ip_unique, nullptr},
    {"NOBCASTPING", Kind::kBool, &Tunables::no_bcast_ping, nullptr},
    {"LKCHECKINTERVAL", Kind::kPositiveSeconds, nullptr, &Tunables::lkcheck_interval_ms},
    {"GARP_REPEAT_DELAY", Kind::kSeconds, nullptr, &Tunables::garp_repeat_delay_ms},
    {"GARP_REFRESH", Kind::kSeconds, nullptr, &Tunables::garp_refresh_ms},
};
constexpr size_t kKeyCount = sizeof kKeys / sizeof kKeys[0];

size_t KeyIndex(const char* name) {
  size_t k = 0;
  while (k < kKeyCount && strcmp(kKeys[k].name, name) != 0) ++k;
  return k;
}

struct Span {
  const char* p;
  size_t n;
  bool Is(const char* s) const { return strlen(s) == n && memcmp(p, s, n) == 0; }
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

Span Trim(Span s) {
  while (s.n > 0 && IsSpace(s.p[0])) {
    ++s.p;
    --s.n;
  }
  while (s.n > 0 && IsSpace(s.p[s.n - 1])) --s.n;
  return s;
}

class Parser {
 public:
  Parser(Config* out, ParseError* error) : out_(out), error_(error) {}

  bool Run(const char* text, size_t len) {
    *out_ = Config();
    size_t pos = 0;
    while (pos < len) {
      const char* nl = static_cast<const char*>(memchr(text + pos, '\n', len - pos));
      size_t end = nl ? static_cast<size_t>(nl - text) : len;
      ++line_;
      if (!Line(Span{text + pos, end - pos})) return false;
      pos = end + 1;
    }
    return FinishResource();
  }

 private:
  bool Fail(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    va_list ap;
    va_start(ap, fmt);
    bool r = FailAtV(line_, fmt, ap);
    va_end(ap);
    return r;
  }

  bool FailAt(int line, const char* fmt, ...) __attribute__((format(printf, 3, 4))) {
    va_list ap;
    va_start(ap, fmt);
    bool r = FailAtV(line, fmt, ap);
    va_end(ap);
    return r;
  }

  bool FailAtV(int line, const char* fmt, va_list ap) {
    error_->line = line;
    vsnprintf(error_->reason, sizeof error_->reason, fmt, ap);
    return false;
  }

  bool Line(Span raw) {
    const char* hash = static_cast<const char*>(memchr(raw.p, '#', raw.n));
    if (hash) raw.n = static_cast<size_t>(hash - raw.p);
    Span s = Trim(raw);
    if (s.n == 0) return true;
    if (s.p[0] == '[') return Section(s);
    const char* eq = static_cast<const char*>(memchr(s.p, '=', s.n));
    if (!eq) return Fail("expected KEY=VALUE or [TAG], got '%.*s'", static_cast<int>(s.n), s.p);
    Span key = Trim(Span{s.p, static_cast<size_t>(eq - s.p)});
    Span value = Trim(Span{eq + 1, s.n - static_cast<size_t>(eq - s.p) - 1});
    if (value.n >= 2 && value.p[0] == '"' && value.p[value.n - 1] == '"') {
      value = Trim(Span{value.p + 1, value.n - 2});
    }
    return Assignment(key, value);
  }

  bool Section(Span s) {
    if (s.p[s.n - 1] != ']')
      return Fail("bad tag line '%.*s': expected [TAG]", static_cast<int>(s.n), s.p);
    Span tag = Span{s.p + 1, s.n - 2};
    if (tag.n == 0 || tag.n >= kTagCapacity) {
      return Fail("bad tag '%.*s': a tag has 1 to %zu characters", static_cast<int>(tag.n), tag.p,
                  kTagCapacity - 1);
    }
    for (size_t i = 0; i < tag.n; ++i) {
      char c = tag.p[i];
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
      if (!ok) {
        return Fail("bad tag '%.*s': only A-Z a-z 0-9 . _ - are allowed", static_cast<int>(tag.n),
                    tag.p);
      }
    }
    for (size_t i = 0; i < out_->count; ++i) {
      if (tag.Is(out_->resources[i].tag)) {
        return Fail("duplicate tag [%s] (first on line %d)", out_->resources[i].tag,
                    resource_lines_[i]);
      }
    }
    if (!FinishResource()) return false;
    if (out_->count == kMaxResources)
      return Fail("too many resources (at most %zu)", kMaxResources);
    current_ = &out_->resources[out_->count];
    resource_lines_[out_->count] = line_;
    ++out_->count;
    *current_ = Resource();
    memcpy(current_->tag, tag.p, tag.n);
    current_->t = out_->globals;
    memset(seen_, 0, sizeof seen_);
    return true;
  }

  bool FinishResource() {
    if (!current_) return true;
    const int tag_line = resource_lines_[current_ - out_->resources];
    const char* missing = !seen_[0] ? "ADDRESS" : !seen_[1] ? "DEVICE" : nullptr;
    if (missing) return FailAt(tag_line, "resource [%s] has no %s", current_->tag, missing);
    // A reply from the protected address is this node's own: never proof
    // that the network answers.
    const Tunables& t = current_->t;
    for (size_t i = 0; i < t.ping_list_count; ++i) {
      if (t.ping_list[i] != current_->address) continue;
      const int ping_list_line = seen_[KeyIndex("PINGLIST")];
      char a[16];
      return FailAt(ping_list_line ? ping_list_line : seen_[0],
                    "PINGLIST of [%s] names its own ADDRESS %s: its replies would be this "
                    "node's own",
                    current_->tag, FormatIpv4(current_->address, a));
    }
    return true;
  }

  bool Assignment(Span key, Span value) {
    size_t k = 0;
    while (k < kKeyCount && !key.Is(kKeys[k].name)) ++k;
    if (k == kKeyCount) return Fail("unknown key '%.*s'", static_cast<int>(key.n), key.p);
    const Key& spec = kKeys[k];
    if (!current_ && (spec.kind == Kind::kAddress || spec.kind == Kind::kDevice)) {
      return Fail("%s before any [TAG] line: it belongs to a resource", spec.name);
    }
    if (seen_[k]) return Fail("duplicate key %s (first on line %d)", spec.name, seen_[k]);
    seen_[k] = line_;
    Tunables& t = current_ ? current_->t : out_->globals;
    const char* name = spec.name;
    switch (spec.kind) {
      case Kind::kAddress:
        return SetAddress(value);
      case Kind::kDevice:
        return SetDevice(value);
      case Kind::kPingList:
        return SetPingList(value, &t);
      case Kind::kBool:
        return SetBool(name, value, &(t.*spec.flag));
      case Kind::kCount:
        return SetCount(name, value, &(t.*spec.number));
      case Kind::kSeconds:
      case Kind::kPositiveSeconds:
        return SetSeconds(name, value, spec.kind == Kind::kPositiveSeconds, &(t.*spec.number));
    }
    return false;
  }

  bool SetAddress(Span v) {
    const char* slash = static_cast<const char*>(memchr(v.p, '/', v.n));
    if (!slash)
      return Fail("bad ADDRESS '%.*s': expected A.B.C.D/PREFIX", static_cast<int>(v.n), v.p);
    Ipv4 a;
    size_t alen = static_cast<size_t>(slash - v.p);
    if (!ParseIpv4(v.p, alen, &a)) {
      return Fail("bad ADDRESS '%.*s': '%.*s' is not a dotted-quad IPv4 address",
                  static_cast<int>(v.n), v.p, static_cast<int>(alen), v.p);
    }
    Span p{slash + 1, v.n - alen - 1};
    uint64_t prefix = 0;
    // No leading zero, as in the dotted quad before it.
    if ((p.n > 1 && p.p[0] == '0') || ParseDecimal(p.p, p.n, 1, 32, &prefix) != FieldParse::kOk) {
      return Fail("bad ADDRESS '%.*s': prefix length must be 1 to 32", static_cast<int>(v.n), v.p);
    }
    const uint8_t first = static_cast<uint8_t>(a.value >> 24);
    if (a.value == 0 || first == 127 || first >= 224) {
      return Fail("bad ADDRESS '%.*s': not a unicast host address", static_cast<int>(v.n), v.p);
    }
    if (prefix < 31 && (a == NetworkOf(a, prefix) || a == BroadcastOf(a, prefix))) {
      return Fail("bad ADDRESS '%.*s': that is the subnet's %s address", static_cast<int>(v.n), v.p,
                  a == NetworkOf(a, prefix) ? "network" : "broadcast");
    }
    for (size_t i = 0; i + 1 < out_->count; ++i) {
      if (out_->resources[i].address == a) {
        return Fail("bad ADDRESS '%.*s': resource [%s] already protects it", static_cast<int>(v.n),
                    v.p, out_->resources[i].tag);
      }
    }
    current_->address = a;
    current_->prefix = static_cast<uint8_t>(prefix);
    return true;
  }

  bool SetDevice(Span v) {
    const DeviceNameFault fault = CheckDeviceName(v.p, v.n);
    if (fault == DeviceNameFault::kEmpty) return Fail("empty DEVICE");
    if (fault == DeviceNameFault::kTooLong) {
      return Fail("bad DEVICE '%.*s': %zu characters, a device name has at most %zu",
                  static_cast<int>(v.n), v.p, v.n, kIfNameCapacity - 1);
    }
    if (fault == DeviceNameFault::kDotName) {
      return Fail("bad DEVICE '%.*s'", static_cast<int>(v.n), v.p);
    }
    // Stricter than the kernel: the generator writes the name into C++ and
    // `ipres list` prints it, so printable ASCII only.
    bool printable = true;
    for (size_t i = 0; i < v.n; ++i) printable = printable && v.p[i] > ' ' && v.p[i] < 127;
    if (fault == DeviceNameFault::kBadCharacter || !printable) {
      return Fail("bad DEVICE '%.*s': no spaces, '/', ':' or control characters",
                  static_cast<int>(v.n), v.p);
    }
    memcpy(current_->device, v.p, v.n);
    return true;
  }

  bool SetPingList(Span v, Tunables* t) {
    t->ping_list_count = 0;
    size_t i = 0;
    while (i < v.n) {
      while (i < v.n && (v.p[i] == ',' || IsSpace(v.p[i]))) ++i;
      size_t start = i;
      while (i < v.n && v.p[i] != ',' && !IsSpace(v.p[i])) ++i;
      if (i == start) break;
      Ipv4 a;
      if (!ParseIpv4(v.p + start, i - start, &a) || a.value == 0 || (a.value >> 24) >= 224) {
        return Fail("bad PINGLIST entry '%.*s': expected a unicast dotted-quad IPv4 address",
                    static_cast<int>(i - start), v.p + start);
      }
      if (t->ping_list_count == kMaxPingList) {
        return Fail("PINGLIST has more than %zu addresses", kMaxPingList);
      }
      t->ping_list[t->ping_list_count++] = a;
    }
    return true;
  }

  bool SetBool(const char* name, Span v, bool* field) {
    if (v.Is("0") || v.Is("1")) {
      *field = v.p[0] == '1';
      return true;
    }
    return Fail("bad %s '%.*s': expected 0 or 1", name, static_cast<int>(v.n), v.p);
  }

  bool SetCount(const char* name, Span v, uint32_t* field) {
    uint64_t n = 0;
    // At most three digits, as the largest count has: "0001" is refused.
    if (v.n > 3 || ParseDecimal(v.p, v.n, 1, kMaxPingTries, &n) != FieldParse::kOk) {
      return Fail("bad %s '%.*s': expected a whole number from 1 to %u", name,
                  static_cast<int>(v.n), v.p, kMaxPingTries);
    }
    *field = static_cast<uint32_t>(n);
    return true;
  }

  bool SetSeconds(const char* name, Span v, bool positive, uint32_t* field_ms) {
    switch (ParseSecondsMs(v.p, v.n, SecondsSyntax::kConfig, positive ? 1 : 0, kMaxSecondsMs,
                           field_ms)) {
      case FieldParse::kOk:
        return true;
      case FieldParse::kMalformed:
        return Fail("bad %s '%.*s': expected seconds such as 5 or 0.25 (at most 3 decimals)", name,
                    static_cast<int>(v.n), v.p);
      case FieldParse::kOutOfRange:
        break;
    }
    return Fail("%s=%.*s is out of range: %s to 86400 seconds", name, static_cast<int>(v.n), v.p,
                positive ? "0.001" : "0");
  }

  Config* out_;
  ParseError* error_;
  Resource* current_ = nullptr;
  int line_ = 0;
  int seen_[kKeyCount] = {};  // line a key was set on in the current section, 0 if not
  int resource_lines_[kMaxResources] = {};
};

}  // namespace

bool ParseConfig(const char* text, size_t len, Config* out, ParseError* error) {
  Parser parser(out, error);
  return parser.Run(text, len);
}

}  // namespace ipres
