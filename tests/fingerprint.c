/*
 * fingerprint.c: trains a small variational MLP for a few Adam steps with a
 * given number of threads and prints a hash of the resulting parameter
 * bytes. Built against the OpenMP engine and the serial one; the test
 * `threads_identical` requires every printed hash to be the same.
 * Sizes are chosen so every parallel branch (elementwise, gemm) is taken.
 */
#include "synth.h"
#include "vdl_vmlp.h"

#include <stdio.h>
#include <stdlib.h>

#define IN 64
#define HID 600
#define OUT 10
#define BATCH 128

static uint64_t fnv1a(const void *data, size_t n, uint64_t h)
{
    const unsigned char *p = data;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    return h;
}

int main(int argc, char **argv)
{
    static const int sizes[3] = {IN, HID, OUT};
    static vdl_real x[BATCH * IN], y[BATCH];
    vdl_mlp_arch arch;
    vdl_params p;
    vdl_optim opt;
    vdl_tape *t = vdl_tape_new();
    vdl_rng rng;
    int k, step;
    size_t i;
    vdl_set_threads(argc > 1 ? atoi(argv[1]) : 1);
    vdl_mlp_arch_make(&arch, 3, sizes);
    vdl_params_init(&p);
    for (k = 0; k < vdl_mlp_tensors(&arch); k++)
        vdl_params_add(&p, vdl_mlp_tensor_name(k), vdl_mlp_tensor_shape(&arch, k));
    for (k = 0; k < vdl_mlp_tensors(&arch); k++) {
        char name[16];
        sprintf(name, "ls%d", k);
        vdl_params_add(&p, name, vdl_mlp_tensor_shape(&arch, k));
    }
    /* means first (small noise), then log sigmas (-3) */
    vdl_rng_init(&rng, 5, 0);
    for (i = 0; i < p.size; i++)
        p.value[i] = (vdl_real)(i < p.size / 2 ? 0.05 * vdl_rng_normal(&rng) : -3);
    synth_blobs(BATCH, IN, OUT, 3, x, y);
    vdl_optim_init(&opt, VDL_ADAM, 1e-3, p.size);
    for (step = 0; step < 20; step++) {
        vdl_vnodes v;
        vdl_loss_terms lt;
        vdl_tape_reset(t);
        vdl_tape_set_rng(t, 11, (uint64_t)step);
        for (k = 0; k < vdl_mlp_tensors(&arch); k++) {
            v.mu[k] = vdl_param_node(t, &p, k);
            v.log_sigma[k] = vdl_param_node(t, &p, k + vdl_mlp_tensors(&arch));
        }
        vdl_params_zero_grad(&p);
        if (vdl_mlp_loss(t, &arch, &v, vdl_leaf(t, vdl_shape2(BATCH, IN), x, NULL),
                         vdl_leaf(t, vdl_shape1(BATCH), y, NULL), 1.0, 1000, 0.3, &lt) ||
            vdl_backward(t, lt.loss)) {
            fprintf(stderr, "fingerprint: %s\n", vdl_error());
            return 1;
        }
        vdl_clip_norm(&p, 5.0);
        vdl_optim_step(&opt, &p);
    }
    printf("%016llx\n", (unsigned long long)fnv1a(p.value, p.size * sizeof *p.value, UINT64_C(0xcbf29ce484222325)));
    vdl_optim_free(&opt);
    vdl_params_free(&p);
    vdl_tape_free(t);
    return 0;
}
