/*
 * set_lr.c: rewrites a checkpoint's learning rate, so a shell test can make
 * a resumed run diverge (a NaN or Inf stop) from a good checkpoint.
 * Usage: set_lr FILE LR
 */
#include "vdl_checkpoint.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    vdl_model m;
    vdl_train_state st;
    vdl_wbuf b;
    int rc;
    if (argc != 3) {
        fprintf(stderr, "usage: set_lr FILE LR\n");
        return 2;
    }
    if (vdl_checkpoint_load(argv[1], &m, &st) != VDL_OK) {
        fprintf(stderr, "set_lr: %s\n", vdl_error());
        return 1;
    }
    st.cfg.lr = atof(argv[2]);
    vdl_wbuf_init(&b);
    vdl_checkpoint_encode_state(&b, &m, &st);
    rc = b.failed || vdl_write_file_atomic(argv[1], b.data, b.len) != VDL_OK;
    if (rc)
        fprintf(stderr, "set_lr: %s\n", vdl_error());
    vdl_wbuf_free(&b);
    vdl_train_state_free(&st);
    vdl_model_free(&m);
    return rc;
}
