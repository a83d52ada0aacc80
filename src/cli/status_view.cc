// SPDX-License-Identifier: Apache-2.0
#include "cli/status_view.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/clock.h"
#include "base/ip_address.h"
#include "base/mac.h"

namespace ipres {
namespace {

// Appends to a fixed buffer; remembers whether everything fitted.
class Line {
 public:
  Line(char* out, size_t size) : out_(out), size_(size) { out_[0] = '\0'; }

  void Add(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    if (!fits_) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out_ + used_, size_ - used_, fmt, ap);
    va_end(ap);
    if (n < 0 || static_cast<size_t>(n) >= size_ - used_) {
      fits_ = false;
      return;
    }
    used_ += static_cast<size_t>(n);
  }

  // text as a JSON string (RFC 8259): quotes, backslashes and control
  // characters escaped.
  void AddJsonString(const char* text) {
    Add("\"");
    for (const char* c = text; *c; ++c) {
      const unsigned char u = static_cast<unsigned char>(*c);
      if (u == '"' || u == '\\') {
        Add("\\%c", u);
      } else if (u < 0x20 || u == 0x7f) {
        Add("\\u%04x", u);
      } else {
        Add("%c", u);
      }
    }
    Add("\"");
  }

  // ,"key":"text", or ,"key":null when text is null.
  void AddJsonField(const char* key, const char* text) {
    Add(",\"%s\":", key);
    if (text) {
      AddJsonString(text);
    } else {
      Add("null");
    }
  }

  size_t Done() { return fits_ ? used_ : 0; }

 private:
  char* out_;
  size_t size_;
  size_t used_ = 0;
  bool fits_ = true;
};

const char* YesNo(bool b) {
  return b ? "yes" : "no";
}
const char* TrueFalse(bool b) {
  return b ? "true" : "false";
}

// The last word as "wanted" answers it: yes after a restore, no after a
// remove, none before either.
const char* WantedText(WordKind word) {
  if (word == WordKind::kNone) return "none";
  return YesNo(word == WordKind::kRestore);
}

const char* WantedJson(WordKind word) {
  if (word == WordKind::kNone) return "null";
  return TrueFalse(word == WordKind::kRestore);
}

// The rest of the object when /run/ipres may not be read: every field the
// records answer null, and why.
size_t UnknownRecordsJson(Line* line) {
  const char* const unknown[] = {"wanted",
                                 "last_check",
                                 "last_check_ok",
                                 "last_check_time",
                                 "failing_since",
                                 "last_failure",
                                 "last_failure_time",
                                 "last_failure_reason",
                                 "conflict_claimant",
                                 "conflict_seconds_left"};
  for (const char* key : unknown) line->Add(",\"%s\":null", key);
  line->Add(",\"state_readable\":false}\n");
  return line->Done();
}

}  // namespace

size_t FormatStatusText(const Resource& r, const ResourceView& v, char* out, size_t size) {
  Line line(out, size);
  line.Add("%s: %s/%u on %s: held %s", r.tag, IpText(r.address).s, r.prefix, r.device,
           YesNo(v.held));
  if (!v.state_readable) {
    line.Add(", wanted unknown, last check unknown, conflict unknown, last failure unknown\n");
    return line.Done();
  }
  line.Add(", wanted %s", WantedText(v.word));
  const CheckRecord& c = v.check;
  if (c.last == CheckKind::kNone) {
    line.Add(", last check none");
  } else {
    line.Add(", last check %s %s at %s", CheckKindName(c.last), c.last_ok ? "ok" : "failed",
             UtcText(c.last_at_s).s);
    if (!c.last_ok) line.Add(" (failing since %s)", UtcText(c.failing_since_s).s);
  }
  if (v.conflict_left_ms > 0) {
    line.Add(", conflict with %s for %lld s more", MacText(v.conflict.claimant).s,
             static_cast<long long>((v.conflict_left_ms + 999) / 1000));
  } else {
    line.Add(", no conflict");
  }
  // Last: the reason runs to the end of the line.
  if (c.failed_at_s == 0) {
    line.Add(", last failure none\n");
  } else {
    line.Add(", last failure %s at %s: %s\n", CheckKindName(c.failed), UtcText(c.failed_at_s).s,
             c.reason);
  }
  return line.Done();
}

size_t FormatStatusJson(const Resource& r, const ResourceView& v, char* out, size_t size) {
  Line line(out, size);
  line.Add("{\"tag\":");
  line.AddJsonString(r.tag);
  line.AddJsonField("address", IpText(r.address).s);
  line.Add(",\"prefix\":%u", r.prefix);
  line.AddJsonField("device", r.device);
  line.Add(",\"held\":%s", TrueFalse(v.held));
  if (!v.state_readable) return UnknownRecordsJson(&line);
  line.Add(",\"wanted\":%s", WantedJson(v.word));
  const CheckRecord& c = v.check;
  const bool checked = c.last != CheckKind::kNone;
  line.AddJsonField("last_check", checked ? CheckKindName(c.last) : nullptr);
  line.Add(",\"last_check_ok\":%s", checked ? TrueFalse(c.last_ok) : "null");
  line.AddJsonField("last_check_time", checked ? UtcText(c.last_at_s).s : nullptr);
  line.AddJsonField("failing_since",
                    checked && !c.last_ok ? UtcText(c.failing_since_s).s : nullptr);
  const bool failed = c.failed_at_s != 0;
  line.AddJsonField("last_failure", failed ? CheckKindName(c.failed) : nullptr);
  line.AddJsonField("last_failure_time", failed ? UtcText(c.failed_at_s).s : nullptr);
  line.AddJsonField("last_failure_reason", failed ? c.reason : nullptr);
  const bool conflict = v.conflict_left_ms > 0;
  line.AddJsonField("conflict_claimant", conflict ? MacText(v.conflict.claimant).s : nullptr);
  if (conflict) {
    line.Add(",\"conflict_seconds_left\":%lld}\n",
             static_cast<long long>((v.conflict_left_ms + 999) / 1000));
  } else {
    line.Add(",\"conflict_seconds_left\":null}\n");
  }
  return line.Done();
}

}  // namespace ipres
