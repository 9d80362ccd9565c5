/*
 * fuzz_idx.c: the IDX parser (datasets/idx.c) on any bytes, as images and as
 * labels. An accepted buffer must be exactly header + payload with every
 * size positive and every label in range; a rejected one gets VDL_EFORMAT,
 * a message naming the file, and a zeroed result.
 */
#include "fuzz.h"
#include "vdl_idx.h"

#include <string.h>

static void parse_as(const uint8_t *data, size_t size, int kind, int classes)
{
    vdl_idx idx, zero;
    int rc = vdl_idx_parse(data, size, kind, classes, "fuzz.idx", &idx);
    memset(&zero, 0, sizeof zero);
    if (rc != VDL_OK) {
        FUZZ_CHECK(rc == VDL_EFORMAT);
        FUZZ_CHECK(strstr(vdl_error(), "fuzz.idx") != NULL);
        FUZZ_CHECK(memcmp(&idx, &zero, sizeof idx) == 0);
        return;
    }
    {
        size_t n = (size_t)idx.count * (size_t)idx.rows * (size_t)idx.cols, i;
        FUZZ_CHECK(idx.kind == kind && idx.count > 0 && idx.rows > 0 && idx.cols > 0);
        FUZZ_CHECK(kind == VDL_IDX_IMAGES || (idx.rows == 1 && idx.cols == 1));
        FUZZ_CHECK(idx.data > data && idx.data + n == data + size && idx.owned == NULL);
        for (i = 0; kind == VDL_IDX_LABELS && i < n; i++)
            FUZZ_CHECK(idx.data[i] < (classes > 0 ? classes : 10));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the class count comes from the last byte: 0 (meaning 10) to 11 */
    int classes = size ? data[size - 1] % 12 : 0;
    parse_as(data, size, VDL_IDX_IMAGES, classes);
    parse_as(data, size, VDL_IDX_LABELS, classes);
    return 0;
}
