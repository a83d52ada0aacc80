#include "base/text_fields.h"

namespace ipres {

size_t SplitFields(char* line, char** fields) {
  size_t count = 0;
  char* p = line;
  while (count < kMaxFields) {
    while (*p == ' ' || *p == '\t') ++p;
    if (*p == '\0') break;
    fields[count++] = p;
    while (*p != '\0' && *p != ' ' && *p != '\t') ++p;
    if (*p != '\0') *p++ = '\0';
  }
  return count;
}

bool ParseNumber(const char* text, char end, unsigned base, unsigned long* out) {
  unsigned long value = 0;
  const char* p = text;
  for (; *p != '\0' && *p != end; ++p) {
    unsigned digit;
    if (*p >= '0' && *p <= '9') {
      digit = static_cast<unsigned>(*p - '0');
    } else if (base == 16 && *p >= 'a' && *p <= 'f') {
      digit = static_cast<unsigned>(*p - 'a' + 10);
    } else {
      return false;
    }
    if (digit >= base || value > (~0ul - digit) / base) return false;
    value = value * base + digit;
  }
  if (p == text || *p != end) return false;
  *out = value;
  return true;
}

}  // namespace ipres
