#ifndef DETVIEW_CZEROMQ_SHIM_H
#define DETVIEW_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
