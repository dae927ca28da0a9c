#ifndef DETVIEW_CPNG_SHIM_H
#define DETVIEW_CPNG_SHIM_H
// libpng's simplified API (png_image_*): errors come back as return values and
// png_image.message, never through setjmp/longjmp, which must not cross Swift frames.
#include <png.h>
#endif
