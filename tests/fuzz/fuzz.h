/*
 * fuzz.h: what the fuzz targets share: the libFuzzer entry point each one
 * defines, and FUZZ_CHECK, which aborts when a property of the code under
 * test fails, so a wrong answer is a finding just as a crash is.
 */
#ifndef VDL_FUZZ_H
#define VDL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Run the code under test on one input; always returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);  \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

#endif
