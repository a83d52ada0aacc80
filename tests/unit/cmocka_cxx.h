// SPDX-License-Identifier: Apache-2.0
// cmocka for C++: Debian's cmocka 1.1.5 header lacks extern "C".
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

extern "C" {
#include <cmocka.h>
}
