/* Instantiates the scalar twins (ScalarBody.h) for u8, u16 and u32 pixels. */
#include "KernelsInternal.h"

#define PIX uint8_t
#define SUF u8
#include "ScalarBody.h"
#undef PIX
#undef SUF

#define PIX uint16_t
#define SUF u16
#include "ScalarBody.h"
#undef PIX
#undef SUF

#define PIX uint32_t
#define SUF u32
#include "ScalarBody.h"
#undef PIX
#undef SUF
