/*
 * fuzz_checkpoint.c: the checkpoint parser (models/checkpoint.c) on any
 * bytes, twice: as they are (the checksum almost always fails: the early
 * rejection), and with a correct checksum appended, so the fuzzer reaches
 * every field behind it. A rejected file leaves nothing allocated and gets a
 * message naming it; an accepted one written back
 * (vdl_checkpoint_encode_state) gives exactly its own bytes (when its reals
 * are this build's width).
 */
#include "fuzz.h"
#include "vdl_checkpoint.h"

#include <string.h>

static void parse_one(const uint8_t *data, size_t size)
{
    vdl_model m;
    vdl_train_state st;
    vdl_wbuf b;
    int rc = vdl_checkpoint_parse(data, size, "fuzz.vdl", &m, &st);
    if (rc != VDL_OK) {
        FUZZ_CHECK(rc == VDL_EFORMAT || rc == VDL_ENOMEM);
        FUZZ_CHECK(m.params.count == 0 && m.params.value == NULL && !st.present && st.m == NULL);
        FUZZ_CHECK(rc == VDL_ENOMEM || strstr(vdl_error(), "fuzz.vdl") != NULL);
        return;
    }
    vdl_wbuf_init(&b);
    vdl_checkpoint_encode_state(&b, &m, &st);
    FUZZ_CHECK(!b.failed);
    if (data[12] == sizeof(vdl_real)) /* the u32 real width after magic and version */
        FUZZ_CHECK(b.len == size && memcmp(b.data, data, size) == 0);
    vdl_wbuf_free(&b);
    vdl_train_state_free(&st);
    vdl_model_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *sealed = malloc(size + 8);
    uint64_t h = vdl_fnv1a(data, size);
    int i;
    parse_one(data, size);
    if (!sealed)
        return 0;
    memcpy(sealed, data, size);
    for (i = 0; i < 8; i++)
        sealed[size + i] = (unsigned char)(h >> (8 * i));
    parse_one(sealed, size + 8);
    free(sealed);
    return 0;
}
