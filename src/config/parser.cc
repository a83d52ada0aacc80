// SPDX-License-Identifier: Apache-2.0
#include "config/parser.h"

#include <string.h>

#include "config/values.h"

namespace ipres {
namespace {

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

class Parser {
 public:
  Parser(Config* out, ParseError* error) : out_(out), error_(error) {}

  bool Run(const char* text, size_t len) {
    *out_ = Config();
    // A UTF-8 byte order mark, as some editors write first, is a mark of the
    // encoding and no part of the text (as a CR before a newline is none).
    size_t pos = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (pos < len) {
      const char* nl = static_cast<const char*>(memchr(text + pos, '\n', len - pos));
      size_t end = nl ? static_cast<size_t>(nl - text) : len;
      // A refusal is about the line being read unless it names another.
      error_->line = ++line_;
      if (!Line(Span{text + pos, end - pos})) return false;
      pos = end + 1;
    }
    if (!FinishResource()) return false;
    // A binary that protects nothing is a board's mistake: a file left
    // empty, every [TAG] commented out.
    if (out_->count > 0) return true;
    error_->line = line_ > 0 ? line_ : 1;
    return Refuse(error_, "no resource: add a [TAG] line with its ADDRESS and DEVICE");
  }

 private:
  bool Line(Span raw) {
    const char* hash = static_cast<const char*>(memchr(raw.p, '#', raw.n));
    if (hash) raw.n = static_cast<size_t>(hash - raw.p);
    Span s = Trim(raw);
    if (s.n == 0) return true;
    if (s.p[0] == '[') return Section(s);
    const char* eq = static_cast<const char*>(memchr(s.p, '=', s.n));
    if (!eq)
      return Refuse(error_, "expected KEY=VALUE or [TAG], got '%.*s'", static_cast<int>(s.n), s.p);
    Span key = Trim(Span{s.p, static_cast<size_t>(eq - s.p)});
    Span value = Trim(Span{eq + 1, s.n - static_cast<size_t>(eq - s.p) - 1});
    if (value.n >= 2 && value.p[0] == '"' && value.p[value.n - 1] == '"') {
      value = Trim(Span{value.p + 1, value.n - 2});
    }
    return Assignment(key, value);
  }

  bool Section(Span s) {
    if (s.p[s.n - 1] != ']')
      return Refuse(error_, "bad tag line '%.*s': expected [TAG]", static_cast<int>(s.n), s.p);
    Span tag = Span{s.p + 1, s.n - 2};
    if (tag.n == 0 || tag.n >= kTagCapacity) {
      return Refuse(error_, "bad tag '%.*s': a tag has 1 to %zu characters",
                    static_cast<int>(tag.n), tag.p, kTagCapacity - 1);
    }
    for (size_t i = 0; i < tag.n; ++i) {
      char c = tag.p[i];
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
      if (!ok) {
        return Refuse(error_, "bad tag '%.*s': only A-Z a-z 0-9 . _ - are allowed",
                      static_cast<int>(tag.n), tag.p);
      }
    }
    for (size_t i = 0; i < out_->count; ++i) {
      if (tag.Is(out_->resources[i].tag)) {
        return Refuse(error_, "duplicate tag [%s] (first on line %d)", out_->resources[i].tag,
                      resource_lines_[i]);
      }
    }
    if (!FinishResource()) return false;
    if (out_->count == kMaxResources)
      return Refuse(error_, "too many resources (at most %zu)", kMaxResources);
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
    if (missing) {
      error_->line = tag_line;
      return Refuse(error_, "resource [%s] has no %s", current_->tag, missing);
    }
    const Tunables& t = current_->t;
    const int ping_list_line = seen_[KeyIndex("PINGLIST")];
    if (t.ping_list_count > 0 && !SameFamily(t.ping_list[0], current_->address)) {
      // Pinged from the address, so of its family; a global PINGLIST may
      // suit some resources and not others.
      error_->line = ping_list_line ? ping_list_line : seen_[0];
      return Refuse(error_, "PINGLIST of [%s] is %s but its ADDRESS is %s", current_->tag,
                    t.ping_list[0].is_v6() ? "IPv6" : "IPv4",
                    current_->address.is_v6() ? "IPv6" : "IPv4");
    }
    // A reply from the protected address is this node's own: never proof
    // that the network answers.
    for (size_t i = 0; i < t.ping_list_count; ++i) {
      if (t.ping_list[i] != current_->address) continue;
      error_->line = ping_list_line ? ping_list_line : seen_[0];
      return Refuse(error_,
                    "PINGLIST of [%s] names its own ADDRESS %s: its replies would be this "
                    "node's own",
                    current_->tag, IpText(current_->address).s);
    }
    return true;
  }

  bool Assignment(Span key, Span value) {
    size_t k = 0;
    while (k < kKeyCount && !key.Is(kKeys[k].name)) ++k;
    if (k == kKeyCount) return Refuse(error_, "unknown key '%.*s'", static_cast<int>(key.n), key.p);
    const Key& spec = kKeys[k];
    if (!current_ && (spec.kind == Kind::kAddress || spec.kind == Kind::kDevice)) {
      return Refuse(error_, "%s before any [TAG] line: it belongs to a resource", spec.name);
    }
    if (seen_[k]) return Refuse(error_, "duplicate key %s (first on line %d)", spec.name, seen_[k]);
    seen_[k] = line_;
    Tunables& t = current_ ? current_->t : out_->globals;
    const char* name = spec.name;
    switch (spec.kind) {
      case Kind::kAddress:
        return SetAddress(value);
      case Kind::kDevice:
        return ReadDevice(value, current_->device, error_);
      case Kind::kPingList:
        return ReadPingList(value, &t, error_);
      case Kind::kBool:
        return ReadBool(name, value, &(t.*spec.flag), error_);
      case Kind::kCount:
        return ReadCount(name, value, &(t.*spec.number), error_);
      case Kind::kSeconds:
      case Kind::kPositiveSeconds:
        return ReadSeconds(name, value, spec.kind == Kind::kPositiveSeconds, &(t.*spec.number),
                           error_);
    }
    return false;
  }

  // The address is read alone; whether another resource has it, only here.
  bool SetAddress(Span v) {
    IpAddress a;
    uint8_t prefix = 0;
    if (!ReadAddress(v, &a, &prefix, error_)) return false;
    for (size_t i = 0; i + 1 < out_->count; ++i) {
      if (out_->resources[i].address == a) {
        return Refuse(error_, "bad ADDRESS '%.*s': resource [%s] already protects it",
                      static_cast<int>(v.n), v.p, out_->resources[i].tag);
      }
    }
    current_->address = a;
    current_->prefix = prefix;
    return true;
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
