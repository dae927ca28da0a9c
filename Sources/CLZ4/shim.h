#ifndef DETVIEW_CLZ4_SHIM_H
#define DETVIEW_CLZ4_SHIM_H
#include <lz4.h>
#endif
