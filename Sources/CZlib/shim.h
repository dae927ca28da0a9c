#ifndef DETVIEW_CZLIB_SHIM_H
#define DETVIEW_CZLIB_SHIM_H
// zlib's one-call compress2/uncompress: the kitty graphics protocol takes RFC 1950 data (o=z).
#include <zlib.h>
#endif
