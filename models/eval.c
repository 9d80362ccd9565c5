/*
 * eval.c: accuracy, Monte Carlo predictive accuracy and generalized evidence.
 * The data is run in chunks through the same vdl_mlp_forward used in training.
 */
#include "vdl_eval.h"

#include <math.h>
#include <string.h>

#define CHUNK 1000

typedef struct eval_run {
    const vdl_model *m;
    const vdl_dataset *d;
    vdl_tape *tape;
    vdl_vnodes v;
} eval_run;

static int run_open(eval_run *r, const vdl_model *m, const vdl_dataset *d)
{
    memset(r, 0, sizeof *r);
    if (m->cfg.kind != VDL_MODEL_DIRECT)
        return vdl_set_error(VDL_EINVAL, "evaluation needs a direct model (generate one from the hypernet)");
    if (d->dim != m->cfg.arch.size[0])
        return vdl_set_error(VDL_EINVAL, "data has %d inputs, the model %d", d->dim, m->cfg.arch.size[0]);
    r->m = m;
    r->d = d;
    r->tape = vdl_tape_new();
    return r->tape ? VDL_OK : VDL_ENOMEM;
}

/* Logits of rows [first, first+rows), sampled weights when sample != 0.
 * The tape is reset first: the previous chunk's nodes are gone. */
static vdl_node *chunk_logits(eval_run *r, int first, int rows, int sample, uint64_t seed, uint64_t key)
{
    vdl_tape *t = r->tape;
    vdl_node *x;
    vdl_tape_reset(t);
    vdl_tape_set_rng(t, seed, key);
    if (vdl_model_vnodes(t, r->m, 0, &r->v) != VDL_OK)
        return NULL;
    x = vdl_leaf(t, vdl_shape2(rows, r->d->dim), r->d->x + (size_t)first * r->d->dim, NULL);
    return vdl_mlp_forward(t, &r->m->cfg.arch, &r->v, x, sample);
}

static int argmax(const vdl_real *row, int n)
{
    int c, best = 0;
    for (c = 1; c < n; c++)
        if (row[c] > row[best])
            best = c;
    return best;
}

int vdl_eval_accuracy(const vdl_model *direct, const vdl_dataset *d, double *accuracy)
{
    eval_run r;
    long correct = 0;
    int first, rc = run_open(&r, direct, d);
    for (first = 0; rc == VDL_OK && first < d->n; first += CHUNK) {
        int rows = d->n - first < CHUNK ? d->n - first : CHUNK, i;
        vdl_node *logits = chunk_logits(&r, first, rows, 0, 0, 0);
        if (!logits) {
            rc = VDL_EINVAL;
            break;
        }
        for (i = 0; i < rows; i++)
            correct += argmax(logits->value + (size_t)i * logits->shape.dim[1], logits->shape.dim[1]) ==
                       (int)d->y[first + i];
    }
    vdl_tape_free(r.tape);
    *accuracy = (double)correct / d->n;
    return rc;
}

/* Add softmax(logits row) to acc (classes values). */
static void add_softmax(const vdl_real *row, int n, double *acc)
{
    double max = row[0], z = 0;
    int c;
    for (c = 1; c < n; c++)
        if (row[c] > max)
            max = row[c];
    for (c = 0; c < n; c++)
        z += exp(row[c] - max);
    for (c = 0; c < n; c++)
        acc[c] += exp(row[c] - max) / z;
}

int vdl_eval_mc_accuracy(const vdl_model *direct, const vdl_dataset *d, int samples, uint64_t seed,
                         double *accuracy)
{
    eval_run r;
    const int classes = direct->cfg.arch.size[direct->cfg.arch.n_layers];
    double *prob;
    long correct = 0;
    int first, rc;
    if (samples < 1)
        return vdl_set_error(VDL_EINVAL, "Monte Carlo samples must be >= 1, got %d", samples);
    if ((rc = run_open(&r, direct, d)) != VDL_OK)
        return rc;
    prob = vdl_malloc((size_t)CHUNK * classes * sizeof *prob);
    if (!prob)
        rc = VDL_ENOMEM;
    for (first = 0; rc == VDL_OK && first < d->n; first += CHUNK) {
        int rows = d->n - first < CHUNK ? d->n - first : CHUNK, i, s;
        memset(prob, 0, (size_t)rows * classes * sizeof *prob);
        for (s = 0; rc == VDL_OK && s < samples; s++) {
            /* sample s draws the same weights for every chunk */
            vdl_node *logits = chunk_logits(&r, first, rows, 1, seed, (uint64_t)s);
            if (!logits)
                rc = VDL_EINVAL;
            for (i = 0; logits && i < rows; i++)
                add_softmax(logits->value + (size_t)i * classes, classes, prob + (size_t)i * classes);
        }
        for (i = 0; rc == VDL_OK && i < rows; i++) {
            int c, best = 0;
            for (c = 1; c < classes; c++)
                if (prob[(size_t)i * classes + c] > prob[(size_t)i * classes + best])
                    best = c;
            correct += best == (int)d->y[first + i];
        }
    }
    vdl_free(prob);
    vdl_tape_free(r.tape);
    *accuracy = (double)correct / d->n;
    return rc;
}

int vdl_eval_evidence(const vdl_model *direct, const vdl_dataset *d, double lambda, double prior_sigma,
                      int samples, uint64_t seed, vdl_evidence *out)
{
    eval_run r;
    double loglik = 0;
    int first, s, rc;
    memset(out, 0, sizeof *out);
    if (samples < 1)
        return vdl_set_error(VDL_EINVAL, "Monte Carlo samples must be >= 1, got %d", samples);
    if ((rc = run_open(&r, direct, d)) != VDL_OK)
        return rc;
    /* Each sample draws one weight vector for the whole data set (the key
     * does not depend on the chunk), as E_q log p(D | w) asks. */
    for (s = 0; rc == VDL_OK && s < samples; s++)
        for (first = 0; rc == VDL_OK && first < d->n; first += CHUNK) {
            int rows = d->n - first < CHUNK ? d->n - first : CHUNK;
            vdl_node *logits = chunk_logits(&r, first, rows, 1, seed, (uint64_t)s);
            vdl_node *ce = vdl_softmax_ce(r.tape, logits, vdl_leaf(r.tape, vdl_shape1(rows), d->y + first, NULL));
            if (!ce)
                rc = VDL_EINVAL;
            else
                loglik -= (double)ce->value[0] * rows;
        }
    if (rc == VDL_OK) {
        vdl_tape_reset(r.tape);
        rc = vdl_model_vnodes(r.tape, direct, 0, &r.v);
    }
    if (rc == VDL_OK) {
        vdl_node *kl = vdl_mlp_kl(r.tape, &direct->cfg.arch, &r.v, prior_sigma);
        out->kl = kl ? kl->value[0] : NAN;
        out->log_likelihood = loglik / samples;
        out->evidence = out->log_likelihood - lambda * out->kl;
    }
    vdl_tape_free(r.tape);
    return rc;
}
