/*
 * lrt_variance.c: how much the local reparameterization plugin lowers the
 * variance of the gradient, against the built-in `reparam`.
 *
 * A variational MLP (784-100-10 on MNIST, or 64-32-10 on random data with
 * --quick) with biases at their means. For one fixed minibatch, the gradient
 * of the mean cross-entropy is drawn `draws` times with fresh weight noise:
 *   reparam: W = mu + sigma * eps, one draw of W shared by the batch;
 *   local:   B = X mu + sqrt(X^2 sigma^2) * eps, fresh noise per example.
 * Printed per layer and parameter: the element-wise variance across draws,
 * averaged over the tensor, and the ratio reparam / local. The plugin is
 * loaded as any user would (vdl_plugin_load). Exits 1 if the local trick is
 * not lower in variance for every mean tensor at batch sizes >= 32.
 * Usage: lrt_variance PLUGIN.so [--quick] [--data MNIST_DIR]
 */
#include "vdl.h"
#include "vdl_mnist.h"
#include "vdl_plugin.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { MAX_BATCH = 256 };

typedef struct setup {
    int in, hidden, out, draws, n_batch;
    int batch[4];
    vdl_real *x, *y; /* MAX_BATCH examples */
} setup;

/* Parameters: W1.mu, W1.ls, b1, W2.mu, W2.ls, b2. */
static int make_params(const setup *s, double log_sigma, vdl_params *p)
{
    const int dims[2][2] = {{s->in, s->hidden}, {s->hidden, s->out}};
    vdl_rng rng;
    int l, k;
    size_t j;
    vdl_params_init(p);
    vdl_rng_init(&rng, 1, 0x1417);
    for (l = 0; l < 2; l++) {
        static const char *part[3] = {"W%d.mu", "W%d.log_sigma", "b%d"};
        double a = sqrt(6.0 / (dims[l][0] + dims[l][1]));
        for (k = 0; k < 3; k++) {
            char name[32];
            sprintf(name, part[k], l + 1);
            if (vdl_params_add(p, name, k < 2 ? vdl_shape2(dims[l][0], dims[l][1]) : vdl_shape1(dims[l][1])) < 0)
                return VDL_EINVAL;
        }
        for (j = 0; j < p->info[3 * l].size; j++) {
            vdl_params_value(p, 3 * l)[j] = (vdl_real)(a * (2 * vdl_rng_uniform(&rng) - 1));
            vdl_params_value(p, 3 * l + 1)[j] = (vdl_real)log_sigma;
        }
    }
    return VDL_OK;
}

/* One variational linear layer, by either estimator. */
static vdl_node *layer(vdl_tape *t, const vdl_params *p, int l, vdl_node *h, int local)
{
    vdl_node *mu = vdl_param_node(t, p, 3 * l), *ls = vdl_param_node(t, p, 3 * l + 1), *pre;
    if (local) {
        vdl_node *in[3];
        in[0] = h;
        in[1] = mu;
        in[2] = ls;
        pre = vdl_apply_name(t, "local_reparam", 3, in, NULL);
    } else {
        pre = vdl_matmul(t, h, vdl_reparam(t, mu, ls), 0, 0);
    }
    return vdl_bias_add(t, pre, vdl_param_node(t, p, 3 * l + 2));
}

/* Mean variance across draws of each of the four tensors' gradients. */
static int measure(const setup *s, vdl_params *p, int batch, int local, double var[4])
{
    static const int tensors[4] = {0, 1, 3, 4};
    vdl_tape *t = vdl_tape_new();
    double *sum = vdl_calloc(p->size, sizeof *sum), *sq = vdl_calloc(p->size, sizeof *sq);
    int d, k, rc = t && sum && sq ? VDL_OK : VDL_ENOMEM;
    size_t j;
    for (d = 0; rc == VDL_OK && d < s->draws; d++) {
        vdl_node *x, *ce;
        vdl_tape_reset(t);
        vdl_tape_set_rng(t, 7, (uint64_t)d);
        x = vdl_leaf(t, vdl_shape2(batch, s->in), s->x, NULL);
        ce = vdl_softmax_ce(t, layer(t, p, 1, vdl_relu(t, layer(t, p, 0, x, local)), local),
                            vdl_leaf(t, vdl_shape1(batch), s->y, NULL));
        vdl_params_zero_grad(p);
        rc = ce ? vdl_backward(t, ce) : VDL_EINVAL;
        for (j = 0; j < p->size; j++) {
            sum[j] += p->grad[j];
            sq[j] += (double)p->grad[j] * p->grad[j];
        }
    }
    for (k = 0; rc == VDL_OK && k < 4; k++) {
        const vdl_param_info *in = &p->info[tensors[k]];
        var[k] = 0;
        for (j = in->offset; j < in->offset + in->size; j++)
            var[k] += sq[j] / s->draws - (sum[j] / s->draws) * (sum[j] / s->draws);
        var[k] /= (double)in->size;
    }
    vdl_free(sum);
    vdl_free(sq);
    vdl_tape_free(t);
    return rc;
}

/* The first MAX_BATCH MNIST training images, or random inputs and labels. */
static int load_data(setup *s, const char *dir)
{
    static vdl_real x[MAX_BATCH * 784], y[MAX_BATCH];
    vdl_dataset d;
    int i;
    s->x = x;
    s->y = y;
    if (!dir) {
        vdl_rng rng;
        vdl_rng_init(&rng, 3, 3);
        for (i = 0; i < MAX_BATCH * s->in; i++)
            x[i] = (vdl_real)vdl_rng_normal(&rng);
        for (i = 0; i < MAX_BATCH; i++)
            y[i] = (vdl_real)vdl_rng_below(&rng, (uint64_t)s->out);
        return VDL_OK;
    }
    if (vdl_mnist_load(dir, 1, &d) != VDL_OK)
        return VDL_EIO;
    memcpy(x, d.x, sizeof x);
    memcpy(y, d.y, sizeof y);
    vdl_dataset_free(&d);
    return VDL_OK;
}

int main(int argc, char **argv)
{
    static const double log_sigmas[2] = {-3, -1};
    static const char *names[4] = {"W1 mu", "W1 log_sigma", "W2 mu", "W2 log_sigma"};
    setup s = {784, 100, 10, 50, 4, {1, 16, 64, 256}, NULL, NULL};
    const char *dir = NULL;
    vdl_plugin plugin;
    int i, b, k, worse = 0;
    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], "--quick") == 0) {
            setup quick = {64, 32, 10, 20, 2, {4, 32, 0, 0}, NULL, NULL};
            s = quick;
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else {
            argc = 0;
        }
    if (argc < 2) {
        fprintf(stderr, "usage: lrt_variance PLUGIN.so [--quick] [--data MNIST_DIR]\n");
        return 2;
    }
    if (vdl_plugin_load(argv[1], &plugin) != VDL_OK || load_data(&s, dir) != VDL_OK) {
        fprintf(stderr, "lrt_variance: %s\n", vdl_error());
        return 1;
    }
    printf("%d-%d-%d MLP, %s, %d draws per estimate\n", s.in, s.hidden, s.out, dir ? "MNIST" : "random data",
           s.draws);
    printf("%10s %6s %-13s %14s %14s %8s\n", "log_sigma", "batch", "gradient of", "var reparam", "var local",
           "ratio");
    for (i = 0; i < 2; i++)
        for (b = 0; b < s.n_batch; b++) {
            double var[2][4];
            vdl_params p;
            int local, rc = make_params(&s, log_sigmas[i], &p);
            for (local = 0; rc == VDL_OK && local < 2; local++)
                rc = measure(&s, &p, s.batch[b], local, var[local]);
            vdl_params_free(&p);
            if (rc != VDL_OK) {
                fprintf(stderr, "lrt_variance: %s\n", vdl_error());
                return 1;
            }
            for (k = 0; k < 4; k++) {
                printf("%10g %6d %-13s %14.4g %14.4g %8.2f\n", log_sigmas[i], s.batch[b], names[k], var[0][k],
                       var[1][k], var[0][k] / var[1][k]);
                worse += s.batch[b] >= 32 && k % 2 == 0 && !(var[1][k] < var[0][k]);
            }
        }
    vdl_plugin_unload(&plugin);
    return worse ? 1 : 0;
}
