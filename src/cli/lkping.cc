#include "cli/lkping.h"

#include <stdio.h>

namespace ipres {

int LkpingMain(int, char**) {
  fputs("lkping: not implemented yet\n", stderr);
  return 2;
}

}  // namespace ipres
