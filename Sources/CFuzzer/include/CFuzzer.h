#ifndef DETVIEW_CFUZZER_H
#define DETVIEW_CFUZZER_H
/* Entry into libFuzzer for the Fuzz* executables (`make fuzz`). libFuzzer's driver only exists
 * in a build with -sanitize=fuzzer; the plain debug build links these executables too, so the
 * driver is a weak symbol and cfz_run_driver says how to build instead of crashing. */
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's per-input callback: return 0 (other values are reserved by libFuzzer). */
typedef int (*cfz_test_one_input)(const uint8_t *data, size_t size);

/* Runs libFuzzer's driver with the process arguments (-max_len, corpus dirs, ...) and returns
 * its exit code. Without libFuzzer linked in, prints "build with `make fuzz`" and exits 2. */
int cfz_run_driver(int *argc, char ***argv, cfz_test_one_input callback);

/* 1 when libFuzzer's driver is linked into this executable. */
int cfz_driver_available(void);

#endif
