// SPDX-License-Identifier: Apache-2.0
#include "config/describe.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/text_fields.h"

namespace ipres {
namespace {

class Writer {
 public:
  Writer(char* out, size_t size) : out_(out), size_(size) {
    if (size_ > 0) out_[0] = '\0';
  }
  void Add(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = used_ < size_ ? size_ - used_ : 0;
    int n = vsnprintf(room ? out_ + used_ : nullptr, room, fmt, ap);
    va_end(ap);
    if (n > 0) used_ += static_cast<size_t>(n);
  }
  size_t used() const { return used_; }

 private:
  char* out_;
  size_t size_;
  size_t used_ = 0;
};

}  // namespace

size_t DescribeResource(const Resource& r, char* out, size_t size) {
  Writer w(out, size);
  char s[16];
  const Tunables& t = r.t;
  w.Add("[%s]\n", r.tag);
  w.Add("ADDRESS=%s/%u\n", IpText(r.address).s, r.prefix);
  w.Add("DEVICE=%s\n", r.device);
  w.Add("PINGLIST=");
  for (size_t i = 0; i < t.ping_list_count; ++i) {
    w.Add("%s%s", i ? "," : "", IpText(t.ping_list[i]).s);
  }
  w.Add("\n");
  w.Add("SOURCE_ADDRESS=%d\n", t.source_address);
  w.Add("RESTORE_AND_RECOVER=%d\n", t.restore_and_recover);
  w.Add("PHYSICAL=%d\n", t.physical);
  w.Add("AUTOSTART=%d\n", t.autostart);
  w.Add("IP_PINGTIME=%s\n", FormatSeconds(t.ping_time_ms, s, sizeof s));
  w.Add("IP_PINGTRIES=%u\n", static_cast<unsigned>(t.ping_tries));
  w.Add("IP_PINGTIMEOUT=%s\n", FormatSeconds(t.ping_timeout_ms, s, sizeof s));
  w.Add("IP_QUICKCHECK_TIMEOUT=%s\n", FormatSeconds(t.quickcheck_timeout_ms, s, sizeof s));
  w.Add("IP_WAIT_LINKDOWN=%s\n", FormatSeconds(t.wait_linkdown_ms, s, sizeof s));
  w.Add("IP_MAX_LINKCHK=%s\n", FormatSeconds(t.max_linkchk_ms, s, sizeof s));
  w.Add("IP_NOLINKCHECK=%d\n", t.no_link_check);
  w.Add("NOIPUNIQUE=%d\n", t.no_ip_unique);
  w.Add("NOBCASTPING=%d\n", t.no_bcast_ping);
  w.Add("LKCHECKINTERVAL=%s\n", FormatSeconds(t.lkcheck_interval_ms, s, sizeof s));
  w.Add("GARP_REPEAT_DELAY=%s\n", FormatSeconds(t.garp_repeat_delay_ms, s, sizeof s));
  w.Add("GARP_REFRESH=%s\n", FormatSeconds(t.garp_refresh_ms, s, sizeof s));
  return w.used();
}

}  // namespace ipres
