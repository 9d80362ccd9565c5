/*
 * train.c: the training loop (see vdl_train.h).
 */
#include "vdl_train.h"
#include "vdl_parallel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* RNG streams of the trainer's seed; reparam noise uses the tape's key. */
enum { STREAM_SHUFFLE = 1, STREAM_LAMBDA = 2 };

vdl_train_config vdl_train_defaults(vdl_model_kind kind)
{
    vdl_train_config c;
    memset(&c, 0, sizeof c);
    c.epochs = 25;
    c.batch = 256;
    c.optim = VDL_ADAM;
    c.lr = 5e-4;
    c.clip_value = 1.0;
    c.prior_sigma = sqrt(0.1);
    c.lambda = 1;
    c.lambda_draws = kind == VDL_MODEL_LINEAR || kind == VDL_MODEL_PIECEWISE ? 5 : 1;
    c.seed = 1;
    return c;
}

vdl_train_config vdl_train_paper(vdl_model_kind kind)
{
    vdl_train_config c = vdl_train_defaults(kind);
    c.optim = VDL_SGD;
    c.lr = 0.01;
    c.momentum = 0;
    /* clipping stays (authors' code): without it the low-rank hypernet's
     * rank-one term diverges under SGD within 20 steps */
    return c;
}

int vdl_train_config_check(const vdl_train_config *c, int n)
{
    if (c->epochs < 1)
        return vdl_set_error(VDL_EINVAL, "epochs must be >= 1, got %d", c->epochs);
    if (c->batch < 1 || (n > 0 && c->batch > n))
        return vdl_set_error(VDL_EINVAL, "batch must be in 1..%d (the training set), got %d", n, c->batch);
    if (c->optim != VDL_SGD && c->optim != VDL_ADAM)
        return vdl_set_error(VDL_EINVAL, "unknown optimizer kind %d", (int)c->optim);
    if (!(c->lr > 0) || !isfinite(c->lr))
        return vdl_set_error(VDL_EINVAL, "learning rate must be a positive number, got %g", c->lr);
    if (!(c->lambda > 0) || !isfinite(c->lambda))
        return vdl_set_error(VDL_EINVAL, "lambda must be a positive number, got %g", c->lambda);
    if (!(c->prior_sigma > 0) || !isfinite(c->prior_sigma))
        return vdl_set_error(VDL_EINVAL, "prior sigma must be positive, got %g", c->prior_sigma);
    if (c->lambda_draws < 1)
        return vdl_set_error(VDL_EINVAL, "lambda draws (K) must be >= 1, got %d", c->lambda_draws);
    if (c->clip_value < 0 || !isfinite(c->clip_value))
        return vdl_set_error(VDL_EINVAL, "clip value must be >= 0, got %g", c->clip_value);
    if (!(c->momentum >= 0 && c->momentum < 1))
        return vdl_set_error(VDL_EINVAL, "momentum must be in [0, 1), got %g", c->momentum);
    return VDL_OK;
}

int vdl_trainer_init(vdl_trainer *tr, vdl_model *model, const vdl_dataset *data,
                     const vdl_train_config *cfg)
{
    int rc;
    memset(tr, 0, sizeof *tr);
    if ((rc = vdl_train_config_check(cfg, data->n)) != VDL_OK)
        return rc;
    if (data->dim != model->cfg.arch.size[0] || data->classes > model->cfg.arch.size[model->cfg.arch.n_layers])
        return vdl_set_error(VDL_EINVAL, "data (%d inputs, %d classes) does not fit the model (%d inputs, %d outputs)",
                             data->dim, data->classes, model->cfg.arch.size[0],
                             model->cfg.arch.size[model->cfg.arch.n_layers]);
    if (model->cfg.kind == VDL_MODEL_DIRECT && !vdl_model_lambda_ok(model, cfg->lambda))
        return VDL_EINVAL;
    tr->cfg = *cfg;
    tr->model = model;
    tr->data = data;
    tr->order_epoch = -1;
    if ((rc = vdl_optim_init(&tr->opt, cfg->optim, cfg->lr, model->params.size)) != VDL_OK)
        return rc;
    tr->opt.momentum = cfg->momentum;
    tr->opt.clip = cfg->clip_value;
    tr->tape = vdl_tape_new();
    tr->order = vdl_malloc((size_t)data->n * sizeof *tr->order);
    tr->xb = vdl_malloc((size_t)cfg->batch * data->dim * sizeof *tr->xb);
    tr->yb = vdl_malloc((size_t)cfg->batch * sizeof *tr->yb);
    if (!tr->tape || !tr->order || !tr->xb || !tr->yb ||
        vdl_sparse_inputs_init(&tr->inputs, data, cfg->batch) != VDL_OK) {
        vdl_trainer_free(tr);
        return VDL_ENOMEM;
    }
    return VDL_OK;
}

void vdl_trainer_free(vdl_trainer *tr)
{
    vdl_optim_free(&tr->opt);
    vdl_tape_free(tr->tape);
    vdl_free(tr->order);
    vdl_free(tr->xb);
    vdl_free(tr->yb);
    vdl_sparse_inputs_free(&tr->inputs);
    tr->tape = NULL;
    tr->order = NULL;
    tr->xb = tr->yb = NULL;
}

long vdl_trainer_batches(const vdl_trainer *tr)
{
    return (tr->data->n + tr->cfg.batch - 1) / tr->cfg.batch;
}

double vdl_trainer_updates(const vdl_trainer *tr) { return (double)tr->step * (double)tr->model->params.size; }

/* A permutation of the training set that depends only on (seed, epoch). */
static void shuffle(vdl_trainer *tr)
{
    vdl_rng rng;
    int i, n = tr->data->n;
    vdl_rng_init(&rng, tr->cfg.seed, STREAM_SHUFFLE + 16 * (uint64_t)tr->epoch);
    for (i = 0; i < n; i++)
        tr->order[i] = i;
    for (i = n - 1; i > 0; i--) {
        int j = (int)vdl_rng_below(&rng, (uint64_t)i + 1), tmp = tr->order[i];
        tr->order[i] = tr->order[j];
        tr->order[j] = tmp;
    }
}

/* lambda for draw k of the current step: log-uniform on the hypernet's range. */
static double draw_lambda(const vdl_trainer *tr, int k)
{
    const vdl_model_config *m = &tr->model->cfg;
    double u;
    if (m->kind == VDL_MODEL_DIRECT)
        return tr->cfg.lambda;
    u = vdl_rng_uniform_at(tr->cfg.seed, STREAM_LAMBDA, (uint64_t)tr->step * tr->cfg.lambda_draws + k);
    return exp(log(m->lambda_min) + u * (log(m->lambda_max) - log(m->lambda_min)));
}

/* Build the averaged loss of the K lambda draws for rows [first, first+rows).
 * A low-rank model's lambda_weight p weighs a draw's loss by lambda^-p (not in
 * the paper; docs/models.md): unweighted, the draws near lambda = 100, whose KL
 * term is 1000 times that at 0.1, set Adam's step size for the shared base. */
static int build_loss(vdl_trainer *tr, int rows, vdl_loss_terms *avg)
{
    const vdl_dataset *d = tr->data;
    vdl_tape *t = tr->tape;
    /* sparse inputs come without dense rows: only the first product takes
     * them, and it needs none (vdl_leaf_sparse) */
    vdl_node *x = tr->inputs.all.rows ? vdl_leaf_sparse(t, vdl_shape2(rows, d->dim), NULL, &tr->inputs.batch)
                                      : vdl_leaf(t, vdl_shape2(rows, d->dim), tr->xb, NULL);
    vdl_node *y = vdl_leaf(t, vdl_shape1(rows), tr->yb, NULL);
    const double w = 1.0 / tr->cfg.lambda_draws;
    const double p = tr->model->cfg.kind == VDL_MODEL_LOWRANK ? tr->model->cfg.lambda_weight : 0;
    int k, rc;
    memset(avg, 0, sizeof *avg);
    for (k = 0; k < tr->cfg.lambda_draws; k++) {
        const double lambda = draw_lambda(tr, k), lw = p ? w * pow(lambda, -p) : w;
        vdl_vnodes v;
        vdl_loss_terms one;
        if ((rc = vdl_model_vnodes(t, tr->model, lambda, &v)) != VDL_OK)
            return rc;
        if ((rc = vdl_mlp_loss(t, &tr->model->cfg.arch, &v, x, y, lambda, d->n, tr->cfg.prior_sigma, &one)))
            return rc;
        avg->loss = k ? vdl_add(t, avg->loss, vdl_scale(t, one.loss, lw)) : vdl_scale(t, one.loss, lw);
        avg->ce = k ? vdl_add(t, avg->ce, vdl_scale(t, one.ce, w)) : vdl_scale(t, one.ce, w);
        avg->kl = k ? vdl_add(t, avg->kl, vdl_scale(t, one.kl, w)) : vdl_scale(t, one.kl, w);
    }
    return avg->loss && avg->ce && avg->kl ? VDL_OK : VDL_EINVAL;
}

/* Stop with VDL_ENUMERIC: "step N (epoch E, minibatch B of M): " + what. */
static int numeric_error(const vdl_trainer *tr, const char *what)
{
    return vdl_set_error(VDL_ENUMERIC, "step %ld (epoch %d, minibatch %ld of %ld): %s", tr->step + 1, tr->epoch + 1,
                         vdl_trainer_position(tr) + 1, vdl_trainer_batches(tr), what);
}

/* A non-finite tensor: "the gradient of tensor 'W1.mu' holds a NaN or Inf". */
static int bad_tensor(const vdl_trainer *tr, const char *fmt, int tensor)
{
    char what[160];
    snprintf(what, sizeof what, fmt, tr->model->params.info[tensor].name);
    return numeric_error(tr, what);
}

/* A non-finite loss: its terms, and which parameter or input made it so. */
static int bad_loss(const vdl_trainer *tr, const vdl_loss_terms *lt, int rows)
{
    const vdl_params *p = &tr->model->params;
    const vdl_sparse *s = &tr->inputs.batch.s;
    const int sparse = tr->inputs.all.rows != 0;
    /* the inputs: the sparse path's background and entries, else the dense rows */
    const vdl_real *x = sparse ? s->value : tr->xb;
    size_t i, n = sparse ? s->start[s->rows] : (size_t)rows * (size_t)tr->data->dim;
    char what[256];
    int bad = vdl_params_nonfinite(p, 0), bad_input = sparse && !isfinite(s->background);
    for (i = 0; i < n && bad < 0 && !bad_input; i++)
        bad_input = !isfinite(x[i]);
    snprintf(what, sizeof what, "the loss is %g (cross-entropy %g, KL %g): %s%s%s", (double)lt->loss->value[0],
             (double)lt->ce->value[0], (double)lt->kl->value[0],
             bad >= 0 ? "tensor '" : bad_input ? "the minibatch's inputs hold a NaN or Inf" : "it overflowed",
             bad >= 0 ? p->info[bad].name : "", bad >= 0 ? "' holds a NaN or Inf" : "");
    return numeric_error(tr, what);
}

/* Add the time since *mark to phase p, and move the mark to now. */
static void lap(vdl_trainer *tr, vdl_step_phase p, double *mark)
{
    const double now = vdl_now();
    tr->seconds[p] += now - *mark;
    *mark = now;
}

/* The inputs of rows [first, first + rows) of this epoch's order into xb.
 * The rows are scattered over the whole training set (memory latency, not
 * arithmetic), so both threads take a share, even of a batch of 32 (a
 * quarter of VDL_PAR_MIN's worth of reals). */
static void gather_rows(vdl_trainer *tr, int first, int rows)
{
    const vdl_dataset *d = tr->data;
    int i;
    VDL_OMP(omp parallel for if ((long)rows * d->dim > VDL_PAR_MIN / 4) schedule(static))
    for (i = 0; i < rows; i++)
        memcpy(tr->xb + (size_t)i * d->dim, d->x + (size_t)tr->order[first + i] * d->dim,
               (size_t)d->dim * sizeof *tr->xb);
}

/* One minibatch: rows [first, first + rows) of this epoch's order. The
 * parameters change only if the loss and every gradient are finite; an update
 * that overflows is reported after it was applied. */
static int step(vdl_trainer *tr, int first, int rows)
{
    const vdl_dataset *d = tr->data;
    vdl_params *p = &tr->model->params;
    vdl_loss_terms lt;
    double mark = vdl_now();
    int i, rc, bad;
    if (tr->inputs.all.rows)
        vdl_sparse_inputs_gather(&tr->inputs, tr->order + first, rows);
    else
        gather_rows(tr, first, rows);
    for (i = 0; i < rows; i++)
        tr->yb[i] = d->y[tr->order[first + i]];
    lap(tr, VDL_PHASE_GATHER, &mark);
    vdl_tape_reset(tr->tape);
    vdl_tape_set_rng(tr->tape, tr->cfg.seed, (uint64_t)tr->step);
    vdl_params_zero_grad(p);
    if ((rc = build_loss(tr, rows, &lt)) != VDL_OK)
        return rc;
    lap(tr, VDL_PHASE_FORWARD, &mark);
    if (!isfinite(lt.loss->value[0]))
        return bad_loss(tr, &lt, rows);
    if ((rc = vdl_backward(tr->tape, lt.loss)) != VDL_OK)
        return rc;
    lap(tr, VDL_PHASE_BACKWARD, &mark);
    if ((bad = vdl_params_nonfinite(p, 1)) >= 0)
        return bad_tensor(tr, "the gradient of tensor '%s' holds a NaN or Inf", bad);
    if ((rc = vdl_optim_step(&tr->opt, p)) == VDL_ENUMERIC)
        return bad_tensor(tr, "the update made tensor '%s' NaN or Inf (learning rate too high?)", tr->opt.nonfinite);
    if (rc != VDL_OK)
        return rc;
    lap(tr, VDL_PHASE_UPDATE, &mark);
    tr->step++;
    tr->seen++;
    tr->loss += (lt.loss->value[0] - tr->loss) / tr->seen;
    tr->ce += (lt.ce->value[0] - tr->ce) / tr->seen;
    tr->kl += (lt.kl->value[0] - tr->kl) / tr->seen;
    return VDL_OK;
}

long vdl_trainer_position(const vdl_trainer *tr) { return tr->step - (long)tr->epoch * vdl_trainer_batches(tr); }

int vdl_trainer_step(vdl_trainer *tr)
{
    const long batches = vdl_trainer_batches(tr), b = vdl_trainer_position(tr);
    int first, rows, rc;
    if (b < 0 || b >= batches)
        return vdl_set_error(VDL_EINVAL, "step %ld is not inside epoch %d of %ld minibatches (other data?)", tr->step,
                             tr->epoch + 1, batches);
    first = (int)(b * tr->cfg.batch);
    rows = tr->data->n - first;
    if (tr->order_epoch != tr->epoch) {
        shuffle(tr);
        tr->order_epoch = tr->epoch;
    }
    if (b == 0) {
        tr->loss = tr->ce = tr->kl = 0;
        tr->seen = 0;
    }
    if (rows > tr->cfg.batch)
        rows = tr->cfg.batch;
    if ((rc = step(tr, first, rows)) != VDL_OK)
        return rc;
    if (b + 1 == batches)
        tr->epoch++;
    return VDL_OK;
}

int vdl_trainer_epoch(vdl_trainer *tr, vdl_progress_fn progress, void *ctx)
{
    const int epoch = tr->epoch;
    const long batches = vdl_trainer_batches(tr);
    int rc;
    while (tr->epoch == epoch) {
        long b = vdl_trainer_position(tr) + 1;
        if ((rc = vdl_trainer_step(tr)) != VDL_OK)
            return rc;
        if (progress)
            progress(ctx, tr, b, batches);
    }
    return VDL_OK;
}
