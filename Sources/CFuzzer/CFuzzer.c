#include "CFuzzer.h"

#include <stdio.h>
#include <stdlib.h>

/* Defined by libFuzzer (compiler-rt) when linked with -sanitize=fuzzer; NULL otherwise. */
extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t))
    __attribute__((weak));

int cfz_driver_available(void) {
    return LLVMFuzzerRunDriver != NULL;
}

int cfz_run_driver(int *argc, char ***argv, cfz_test_one_input callback) {
    if (LLVMFuzzerRunDriver == NULL) {
        fprintf(stderr, "%s: this is a libFuzzer target without libFuzzer linked in: build with `make fuzz`\n",
                (*argc > 0 && (*argv)[0] != NULL) ? (*argv)[0] : "fuzz");
        exit(2);
    }
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
