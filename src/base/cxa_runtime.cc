// SPDX-License-Identifier: Apache-2.0
// The one piece of the C++ runtime ipres needs without linking libstdc++:
// the function a pure virtual call lands in. Such a call is a bug; stop hard.
#include <stdlib.h>

extern "C" void __cxa_pure_virtual() {
  abort();
}
