/*
 * spiral_vmlp.c: a new variational model built from vdl's ops, outside the
 * vdl tree, against the installed package: a 2-32-32-2 MLP with two hidden
 * layers whose every weight and bias has a Gaussian posterior
 * N(mu, exp(log_sigma)^2), trained on two interleaved spirals by maximizing
 * the ELBO (cross-entropy + KL / n). Prints the held-out accuracy at the
 * posterior means and exits 1 if it is below 0.9.
 */
#include "vdl.h"

#include <math.h>
#include <stdio.h>

#define N_TRAIN 400
#define N_TEST 400
#define LAYERS 3
#define STEPS 1500

static const int sizes[LAYERS + 1] = {2, 32, 32, 2};

/* Two spirals, class i % 2, with a little noise, from stream `stream`. */
static void spirals(int n, uint64_t stream, vdl_real *x, vdl_real *y)
{
    vdl_rng rng;
    int i;
    vdl_rng_init(&rng, 2026, stream);
    for (i = 0; i < n; i++) {
        double t = 0.5 + 3.0 * vdl_rng_uniform(&rng), a = 2.2 * t + (i % 2) * 3.14159265358979;
        x[2 * i] = (vdl_real)(t * cos(a) + 0.1 * vdl_rng_normal(&rng));
        x[2 * i + 1] = (vdl_real)(t * sin(a) + 0.1 * vdl_rng_normal(&rng));
        y[i] = (vdl_real)(i % 2);
    }
}

/* Parameters 4l .. 4l+3: layer l's weight mu, weight log sigma, bias mu,
 * bias log sigma. Means Xavier-uniform (biases 0), log sigma -5. */
static int make_params(vdl_params *p)
{
    vdl_rng rng;
    int l;
    size_t j;
    vdl_params_init(p);
    for (l = 0; l < LAYERS; l++) {
        char name[32];
        sprintf(name, "W%d.mu", l + 1);
        vdl_params_add(p, name, vdl_shape2(sizes[l], sizes[l + 1]));
        sprintf(name, "W%d.log_sigma", l + 1);
        vdl_params_add(p, name, vdl_shape2(sizes[l], sizes[l + 1]));
        sprintf(name, "b%d.mu", l + 1);
        vdl_params_add(p, name, vdl_shape1(sizes[l + 1]));
        sprintf(name, "b%d.log_sigma", l + 1);
        if (vdl_params_add(p, name, vdl_shape1(sizes[l + 1])) < 0)
            return VDL_EINVAL;
    }
    vdl_rng_init(&rng, 2026, 1);
    for (l = 0; l < 4 * LAYERS; l++) {
        double a = sqrt(6.0 / (sizes[l / 4] + sizes[l / 4 + 1]));
        vdl_real *v = vdl_params_value(p, l);
        for (j = 0; j < p->info[l].size; j++)
            if (l % 2) /* a log sigma */
                v[j] = -5;
            else if (l % 4 == 0) /* a weight mean (bias means stay 0) */
                v[j] = (vdl_real)(a * (2 * vdl_rng_uniform(&rng) - 1));
    }
    return VDL_OK;
}

/* Logits for x (n x 2); weights drawn by reparam when `sample`, else the means.
 * With kl != NULL, also the summed KL of every tensor against N(0, 1). */
static vdl_node *forward(vdl_tape *t, const vdl_params *p, vdl_node *x, int sample, vdl_node **kl)
{
    vdl_node *h = x;
    int l, k;
    for (l = 0; l < LAYERS; l++) {
        vdl_node *w[2];
        for (k = 0; k < 2; k++) { /* weight, bias */
            vdl_node *mu = vdl_param_node(t, p, 4 * l + 2 * k), *ls = vdl_param_node(t, p, 4 * l + 2 * k + 1);
            w[k] = sample ? vdl_reparam(t, mu, ls) : mu;
            if (kl) {
                vdl_node *term = vdl_gaussian_kl(t, mu, ls, 1.0);
                *kl = *kl ? vdl_add(t, *kl, term) : term;
            }
        }
        h = vdl_bias_add(t, vdl_matmul(t, h, w[0], 0, 0), w[1]);
        if (l < LAYERS - 1)
            h = vdl_relu(t, h);
    }
    return h;
}

static double accuracy(vdl_tape *t, const vdl_params *p, vdl_real *x, const vdl_real *y, int n)
{
    vdl_node *logits;
    int i, right = 0;
    vdl_tape_reset(t);
    logits = forward(t, p, vdl_leaf(t, vdl_shape2(n, 2), x, NULL), 0, NULL);
    if (!logits)
        return -1;
    for (i = 0; i < n; i++)
        right += (logits->value[2 * i + 1] > logits->value[2 * i]) == (y[i] > 0.5);
    return (double)right / n;
}

int main(void)
{
    static vdl_real x[2 * N_TRAIN], y[N_TRAIN], xt[2 * N_TEST], yt[N_TEST];
    vdl_params p;
    vdl_optim opt;
    vdl_tape *t = vdl_tape_new();
    double acc;
    int step;
    spirals(N_TRAIN, 10, x, y);
    spirals(N_TEST, 11, xt, yt);
    if (!t || make_params(&p) || vdl_optim_init(&opt, VDL_ADAM, 1e-2, p.size)) {
        fprintf(stderr, "setup: %s\n", vdl_error());
        return 1;
    }
    for (step = 0; step < STEPS; step++) {
        vdl_node *kl = NULL, *ce, *loss;
        vdl_tape_reset(t);
        vdl_tape_set_rng(t, 2026, (uint64_t)step);
        ce = vdl_softmax_ce(t, forward(t, &p, vdl_leaf(t, vdl_shape2(N_TRAIN, 2), x, NULL), 1, &kl),
                            vdl_leaf(t, vdl_shape1(N_TRAIN), y, NULL));
        loss = vdl_add(t, ce, vdl_scale(t, kl, 1.0 / N_TRAIN)); /* -ELBO / n */
        vdl_params_zero_grad(&p);
        if (!loss || vdl_backward(t, loss) != VDL_OK || vdl_optim_step(&opt, &p) != VDL_OK) {
            fprintf(stderr, "step %d: %s\n", step, vdl_error());
            return 1;
        }
        if (step % 500 == 0 || step == STEPS - 1)
            printf("step %4d  cross-entropy %.4f  KL %.1f\n", step, ce->value[0], kl->value[0]);
    }
    acc = accuracy(t, &p, xt, yt, N_TEST);
    printf("held-out accuracy at the posterior means: %.4f (%d weights, %d variational parameters)\n", acc,
           (int)p.size / 2, (int)p.size);
    vdl_optim_free(&opt);
    vdl_params_free(&p);
    vdl_tape_free(t);
    return acc >= 0.9 ? 0 : 1;
}
