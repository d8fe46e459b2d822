#pragma once
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros that pass the library's version and struct size;
// Swift cannot call macros, so these inline wrappers do it.
static inline int czlib_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
