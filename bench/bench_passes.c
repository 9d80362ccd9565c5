/*
 * bench_passes.c: nanoseconds per weight of the per-weight work of a training
 * step, at the direct model's first layer (784 x 100 = 78,400 weights, whose
 * mu and log sigma are leaves): the weight noise alone (vdl_rng_normals),
 * reparam's forward (noise included) and backward, gaussian_kl's forward and
 * backward, and one Adam step over all of the model's 159,020 parameters
 * (per parameter), for 1 and 2 threads. The arrays stay in cache between
 * calls, so these are lower bounds for the same work inside an epoch.
 * Speed only: nothing here is a test.
 *
 * usage: bench_passes [--seconds S]   (time per pass and thread count, default 0.3)
 */
#include "vdl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEIGHTS (784 * 100)

enum pass { NOISE, REPARAM_FORWARD, REPARAM_BACKWARD, KL_FORWARD, KL_BACKWARD, ADAM, PASSES };
static const char *const pass_name[PASSES] = {"weight noise (vdl_rng_normals)", "reparam forward",
                                              "reparam backward", "gaussian_kl forward",
                                              "gaussian_kl backward", "Adam step (per parameter)"};

typedef struct bench {
    vdl_tape *tape;
    vdl_params params; /* the direct model's tensors: mu, log sigma of W1 b1 W2 b2 */
    vdl_optim adam;
    vdl_real *noise, *seed_grad;
} bench;

/* One run of pass p: the seconds of the timed part (a backward pass is the
 * op's backward alone, without the forward and the seeding it needs) added
 * to *seconds; returns the scalars handled. */
static size_t run(bench *b, enum pass p, double *seconds)
{
    double start = vdl_now();
    vdl_node *mu, *ls, *y;
    if (p == NOISE || p == ADAM) {
        if (p == NOISE)
            vdl_rng_normals(1, 2, b->noise, WEIGHTS);
        else
            vdl_optim_step(&b->adam, &b->params);
        *seconds += vdl_now() - start;
        return p == NOISE ? WEIGHTS : b->params.size;
    }
    vdl_tape_reset(b->tape);
    mu = vdl_param_node(b->tape, &b->params, 0);
    ls = vdl_param_node(b->tape, &b->params, 1);
    y = p == KL_FORWARD || p == KL_BACKWARD ? vdl_gaussian_kl(b->tape, mu, ls, 0.316) : vdl_reparam(b->tape, mu, ls);
    if (p == REPARAM_BACKWARD || p == KL_BACKWARD) { /* the op's own backward, given y's gradient */
        vdl_backward_from(b->tape, y, b->seed_grad);
        start = vdl_now();
        y->op->backward(y);
    }
    *seconds += vdl_now() - start;
    return WEIGHTS;
}

/* Nanoseconds per scalar of pass p, run for at least `budget` seconds. */
static double ns_per_scalar(bench *b, enum pass p, double budget)
{
    double start = vdl_now(), timed = 0;
    size_t done = 0;
    while (vdl_now() - start < budget)
        done += run(b, p, &timed);
    return 1e9 * timed / (double)done;
}

int main(int argc, char **argv)
{
    /* the direct model's tensors, mu and log sigma of each: W1 b1 W2 b2 */
    static const char *const names[8] = {"W1", "W1.log_sigma", "b1", "b1.log_sigma",
                                         "W2", "W2.log_sigma", "b2", "b2.log_sigma"};
    const vdl_shape shapes[4] = {vdl_shape2(784, 100), vdl_shape1(100), vdl_shape2(100, 10), vdl_shape1(10)};
    double budget = 0.3;
    bench b;
    size_t i;
    int k, threads, p;
    if (argc == 3 && strcmp(argv[1], "--seconds") == 0)
        budget = atof(argv[2]);
    else if (argc != 1) {
        fprintf(stderr, "usage: bench_passes [--seconds S]\n");
        return 2;
    }
    memset(&b, 0, sizeof b);
    vdl_params_init(&b.params);
    for (k = 0; k < 8; k++)
        if (vdl_params_add(&b.params, names[k], shapes[k / 2]) < 0) {
            fprintf(stderr, "bench_passes: %s\n", vdl_error());
            return 1;
        }
    b.tape = vdl_tape_new();
    b.noise = vdl_calloc(WEIGHTS, sizeof *b.noise);
    b.seed_grad = vdl_calloc(WEIGHTS, sizeof *b.seed_grad);
    if (!b.tape || !b.noise || !b.seed_grad || vdl_optim_init(&b.adam, VDL_ADAM, 5e-4, b.params.size) != VDL_OK) {
        fprintf(stderr, "bench_passes: %s\n", vdl_error());
        return 1;
    }
    b.adam.clip = 1;
    for (i = 0; i < b.params.size; i++) { /* values near 0, small gradients */
        b.params.value[i] = (vdl_real)(0.01 * (double)(i % 17) - 0.08);
        b.params.grad[i] = (vdl_real)(1e-3 * ((double)(i % 13) - 6.5));
    }
    for (i = 0; i < WEIGHTS; i++)
        b.seed_grad[i] = (vdl_real)(1e-2 * ((double)(i % 7) - 3));
    printf("%-32s %7s %12s\n", "pass over the first layer", "threads", "ns/weight");
    for (p = 0; p < PASSES; p++)
        for (threads = 1; threads <= 2; threads++) {
            vdl_set_threads(threads);
            if (vdl_threads() < threads) /* a build without OpenMP */
                break;
            printf("%-32s %7d %12.3f\n", pass_name[p], threads, ns_per_scalar(&b, (enum pass)p, budget));
            fflush(stdout);
        }
    vdl_optim_free(&b.adam);
    vdl_params_free(&b.params);
    vdl_tape_free(b.tape);
    vdl_free(b.noise);
    vdl_free(b.seed_grad);
    return 0;
}
