/*
 * checkpoint.c: writing and reading vdl model files (see vdl_checkpoint.h).
 */
#include "vdl_checkpoint.h"

#include <math.h>
#include <string.h>

static const char magic[8] = {'V', 'D', 'L', 'C', 'K', 'P', 'T', '\0'};

#define MAX_FILE ((size_t)1 << 31)

/* A low-rank model's deviations from eq. 6 and 8 beyond the rank (version 3). */
static int lowrank_extended(const vdl_model_config *c)
{
    return c->multiplicative_means || c->multiplicative_log_sigmas || c->lambda_weight != 0;
}

/* The oldest version that holds the configuration: files an older vdl could
 * write stay byte for byte the same, and stay readable by it. Version 2: a
 * low-rank model of rank R > 1; version 3: one with multiplicative
 * corrections or weighted lambda draws. */
static uint32_t version_for(const vdl_model_config *c)
{
    if (c->kind != VDL_MODEL_LOWRANK)
        return 1;
    return lowrank_extended(c) ? 3 : c->hyper_rank != 1 ? 2 : 1;
}

static void put_model_config(vdl_wbuf *b, const vdl_model_config *c)
{
    int i;
    vdl_wbuf_u32(b, (uint32_t)c->kind);
    vdl_wbuf_u32(b, (uint32_t)c->arch.n_layers);
    for (i = 0; i <= c->arch.n_layers; i++)
        vdl_wbuf_u32(b, (uint32_t)c->arch.size[i]);
    vdl_wbuf_f64(b, c->lambda_min);
    vdl_wbuf_f64(b, c->lambda_max);
    vdl_wbuf_u32(b, (uint32_t)c->hyper_hidden);
    vdl_wbuf_f64(b, c->rank_scale);
    vdl_wbuf_f64(b, c->factor_lr_scale);
    vdl_wbuf_f64(b, c->init_log_sigma);
    if (version_for(c) >= 2) /* a low-rank model's rank: versions 2 and 3 */
        vdl_wbuf_u32(b, (uint32_t)c->hyper_rank);
    if (version_for(c) == 3) {
        vdl_wbuf_u32(b, (uint32_t)(c->multiplicative_means | c->multiplicative_log_sigmas << 1));
        vdl_wbuf_f64(b, c->lambda_weight);
    }
    if (c->kind == VDL_MODEL_PIECEWISE) /* kind-specific: older kinds' files are unchanged */
        vdl_wbuf_u32(b, (uint32_t)c->anchors);
}

static void put_train_config(vdl_wbuf *b, const vdl_train_config *c)
{
    vdl_wbuf_u32(b, (uint32_t)c->epochs);
    vdl_wbuf_u32(b, (uint32_t)c->batch);
    vdl_wbuf_u32(b, (uint32_t)c->optim);
    vdl_wbuf_f64(b, c->lr);
    vdl_wbuf_f64(b, c->momentum);
    vdl_wbuf_f64(b, c->clip_value);
    vdl_wbuf_f64(b, c->prior_sigma);
    vdl_wbuf_f64(b, c->lambda);
    vdl_wbuf_u32(b, (uint32_t)c->lambda_draws);
    vdl_wbuf_u64(b, c->seed);
}

/* The format, from a model and a training state (NULL: a model file). */
static void encode(vdl_wbuf *b, const vdl_model *m, const vdl_train_state *st)
{
    int i, j;
    vdl_wbuf_bytes(b, magic, sizeof magic);
    vdl_wbuf_u32(b, version_for(&m->cfg));
    vdl_wbuf_u32(b, (uint32_t)sizeof(vdl_real));
    put_model_config(b, &m->cfg);
    vdl_wbuf_u32(b, (uint32_t)m->params.count);
    for (i = 0; i < m->params.count; i++) {
        const vdl_param_info *p = &m->params.info[i];
        vdl_wbuf_str(b, p->name);
        vdl_wbuf_u32(b, (uint32_t)p->shape.ndim);
        for (j = 0; j < p->shape.ndim; j++)
            vdl_wbuf_u32(b, (uint32_t)p->shape.dim[j]);
        vdl_wbuf_reals(b, vdl_params_value(&m->params, i), p->size);
    }
    vdl_wbuf_u32(b, st != NULL);
    if (st) {
        put_train_config(b, &st->cfg);
        vdl_wbuf_u64(b, (uint64_t)st->step);
        vdl_wbuf_u32(b, (uint32_t)st->epoch);
        vdl_wbuf_u64(b, (uint64_t)st->opt_step);
        vdl_wbuf_reals(b, st->m, st->size);
        if (st->v)
            vdl_wbuf_reals(b, st->v, st->size);
    }
    if (!b->failed)
        vdl_wbuf_u64(b, vdl_fnv1a(b->data, b->len));
}

void vdl_checkpoint_encode_state(vdl_wbuf *b, const vdl_model *m, const vdl_train_state *st)
{
    encode(b, m, st && st->present ? st : NULL);
}

void vdl_checkpoint_encode(vdl_wbuf *b, const vdl_model *m, const vdl_trainer *tr)
{
    vdl_train_state view;
    if (!tr) {
        encode(b, m, NULL);
        return;
    }
    memset(&view, 0, sizeof view);
    view.present = 1;
    view.cfg = tr->cfg;
    view.step = tr->step;
    view.epoch = tr->epoch;
    view.opt_step = tr->opt.step;
    view.size = tr->opt.size;
    view.m = tr->opt.m;
    view.v = tr->opt.v;
    encode(b, m, &view);
}

int vdl_checkpoint_save(const char *path, const vdl_model *m, const vdl_trainer *tr)
{
    vdl_wbuf b;
    int rc;
    vdl_wbuf_init(&b);
    vdl_checkpoint_encode(&b, m, tr);
    rc = b.failed ? VDL_ENOMEM : vdl_write_file_atomic(path, b.data, b.len);
    vdl_wbuf_free(&b);
    return rc;
}

static int bad(const char *path, const char *what)
{
    return vdl_set_error(VDL_EFORMAT, "'%s' is not a usable vdl checkpoint: %s", path, what);
}

static int finite_positive(double x) { return x > 0 && isfinite(x); }

static int get_model_config(vdl_rbuf *r, uint32_t version, vdl_model_config *c)
{
    int i;
    memset(c, 0, sizeof *c);
    c->hyper_rank = 1; /* version 1, and every kind but low-rank */
    c->kind = (vdl_model_kind)vdl_rbuf_u32(r);
    c->arch.n_layers = (int)vdl_rbuf_u32(r);
    if (r->failed || c->arch.n_layers < 1 || c->arch.n_layers > VDL_MLP_MAX_LAYERS)
        return 0;
    for (i = 0; i <= c->arch.n_layers; i++) {
        uint32_t s = vdl_rbuf_u32(r);
        if (s < 1 || s > (1u << 24))
            return 0;
        c->arch.size[i] = (int)s;
    }
    c->lambda_min = vdl_rbuf_f64(r);
    c->lambda_max = vdl_rbuf_f64(r);
    c->hyper_hidden = (int)vdl_rbuf_u32(r);
    c->rank_scale = vdl_rbuf_f64(r);
    c->factor_lr_scale = vdl_rbuf_f64(r);
    c->init_log_sigma = vdl_rbuf_f64(r);
    if (version >= 2) {
        /* only low-rank models are written as version 2 (R > 1, eq. 6 and 8
         * otherwise) or 3 (any R, a multiplicative correction or a lambda
         * weight); nothing else is accepted, so every file read is written
         * back byte for byte */
        uint32_t rank = vdl_rbuf_u32(r), lowest = version == 2 ? 2 : 1;
        if (c->kind != VDL_MODEL_LOWRANK || rank < lowest || rank > VDL_MODEL_MAX_RANK)
            return 0;
        c->hyper_rank = (int)rank;
        if (version == 3) {
            uint32_t flags = vdl_rbuf_u32(r);
            c->multiplicative_means = (int)(flags & 1);
            c->multiplicative_log_sigmas = (int)(flags >> 1 & 1);
            c->lambda_weight = vdl_rbuf_f64(r);
            if (flags > 3 || !lowrank_extended(c) || !(c->lambda_weight >= 0) ||
                c->lambda_weight > VDL_MODEL_MAX_LAMBDA_WEIGHT)
                return 0;
        }
    }
    if (c->kind == VDL_MODEL_PIECEWISE) {
        uint32_t n = vdl_rbuf_u32(r);
        c->anchors = n <= VDL_MODEL_MAX_ANCHORS ? (int)n : -1; /* vdl_model_alloc rejects bad counts */
    }
    return !r->failed && c->hyper_hidden >= 0 && c->hyper_hidden <= (1 << 20) && isfinite(c->rank_scale) &&
           finite_positive(c->factor_lr_scale) && isfinite(c->lambda_min) && isfinite(c->lambda_max) &&
           isfinite(c->init_log_sigma);
}

/* A lower bound on the scalars the configuration implies, without allocating:
 * every kind holds at least one full-size copy of each tensor's mean and log
 * sigma (the linear kind two, the piecewise kind one per anchor), and the
 * low-rank kind factors of H x r (in + out) per layer and part. A file too
 * short for it is rejected before a hostile header can make us allocate
 * gigabytes. */
static double min_scalars(const vdl_model_config *c)
{
    double n = 0;
    int k;
    for (k = 0; k < c->arch.n_layers; k++) {
        double in = c->arch.size[k], out = c->arch.size[k + 1];
        n += 2 * (in * out + out);
        if (c->kind == VDL_MODEL_LOWRANK)
            n += 2 * (double)c->hyper_hidden * vdl_model_matrix_rank(c, (int)in, (int)out) * (in + out);
    }
    if (c->kind == VDL_MODEL_LINEAR)
        return 2 * n;
    return c->kind == VDL_MODEL_PIECEWISE && c->anchors > 1 ? c->anchors * n : n;
}

/* n reals that must all be finite (parameters, optimizer moments). */
static int get_finite(vdl_rbuf *r, vdl_real *x, size_t n, int width)
{
    size_t i;
    vdl_rbuf_reals(r, x, n, width);
    for (i = 0; i < n && !r->failed; i++)
        if (!isfinite(x[i]))
            return 0;
    return !r->failed;
}

static int get_train_config(vdl_rbuf *r, vdl_train_config *c)
{
    memset(c, 0, sizeof *c);
    c->epochs = (int)vdl_rbuf_u32(r);
    c->batch = (int)vdl_rbuf_u32(r);
    c->optim = (vdl_optim_kind)vdl_rbuf_u32(r);
    c->lr = vdl_rbuf_f64(r);
    c->momentum = vdl_rbuf_f64(r);
    c->clip_value = vdl_rbuf_f64(r);
    c->prior_sigma = vdl_rbuf_f64(r);
    c->lambda = vdl_rbuf_f64(r);
    c->lambda_draws = (int)vdl_rbuf_u32(r);
    c->seed = vdl_rbuf_u64(r);
    /* a resumed run must not start from garbage */
    return !r->failed && vdl_train_config_check(c, 0) == VDL_OK;
}

/* The tensors must be exactly the ones the configuration implies. */
static int get_tensors(vdl_rbuf *r, vdl_model *m, int width)
{
    uint32_t count = vdl_rbuf_u32(r);
    int i, j;
    if (r->failed || count != (uint32_t)m->params.count)
        return 0;
    for (i = 0; i < m->params.count; i++) {
        const vdl_param_info *p = &m->params.info[i];
        char name[VDL_PARAM_NAME_MAX + 1];
        uint32_t ndim;
        vdl_rbuf_str(r, name, sizeof name);
        ndim = vdl_rbuf_u32(r);
        if (r->failed || strcmp(name, p->name) != 0 || ndim != (uint32_t)p->shape.ndim)
            return 0;
        for (j = 0; j < p->shape.ndim; j++)
            if (vdl_rbuf_u32(r) != (uint32_t)p->shape.dim[j])
                return 0;
        if (!get_finite(r, vdl_params_value(&m->params, i), p->size, width))
            return 0;
    }
    return 1;
}

static int get_state(vdl_rbuf *r, vdl_train_state *st, size_t size, int width)
{
    size_t i;
    if (!get_train_config(r, &st->cfg))
        return 0;
    st->step = (long)vdl_rbuf_u64(r);
    st->epoch = (int)vdl_rbuf_u32(r);
    st->opt_step = (long)vdl_rbuf_u64(r);
    st->size = size;
    st->m = vdl_calloc(size ? size : 1, sizeof *st->m);
    if (st->cfg.optim == VDL_ADAM)
        st->v = vdl_calloc(size ? size : 1, sizeof *st->v);
    if (!st->m || (st->cfg.optim == VDL_ADAM && !st->v))
        return 0;
    if (!get_finite(r, st->m, size, width) || (st->v && !get_finite(r, st->v, size, width)))
        return 0;
    for (i = 0; st->v && i < size; i++)
        if (st->v[i] < 0)
            return 0;
    st->present = 1;
    return st->step >= 0 && st->epoch >= 0 && st->opt_step >= 0;
}

/* The checksum in the last 8 bytes of a file of len >= 8 bytes. */
static uint64_t stored_checksum(const unsigned char *data, size_t len)
{
    vdl_rbuf r;
    vdl_rbuf_init(&r, data + len - 8, 8);
    return vdl_rbuf_u64(&r);
}

/* Everything after the checked magic and checksum: r covers the bytes between them. */
static int parse_body(vdl_rbuf *r, const char *name, vdl_model *m, vdl_train_state *st)
{
    vdl_model_config cfg;
    uint32_t version = vdl_rbuf_u32(r), width = vdl_rbuf_u32(r), has_state;
    if (version < 1 || version > VDL_CHECKPOINT_VERSION)
        return vdl_set_error(VDL_EFORMAT,
                             "'%s' has checkpoint format version %u; this vdl reads versions 1 to %d",
                             name, version, VDL_CHECKPOINT_VERSION);
    if (width != 4 && width != 8)
        return bad(name, "bad real width");
    if (!get_model_config(r, version, &cfg) || min_scalars(&cfg) > (double)(r->len - r->pos) / width ||
        vdl_model_alloc(m, &cfg) != VDL_OK)
        return bad(name, "bad model configuration");
    if (!get_tensors(r, m, (int)width))
        return bad(name, "its tensors do not match its model configuration, or hold NaN or Inf");
    has_state = vdl_rbuf_u32(r);
    /* r->failed: the file ends before the flag (found by fuzzing: it read as 0) */
    if (r->failed || has_state > 1 || (has_state && !get_state(r, st, m->params.size, (int)width)))
        return bad(name, "bad training state");
    if (r->pos != r->len)
        return bad(name, "unexpected bytes after the data");
    return VDL_OK;
}

int vdl_checkpoint_parse(const void *data, size_t len, const char *name, vdl_model *m, vdl_train_state *st)
{
    const unsigned char *bytes = data;
    vdl_train_state scratch;
    vdl_rbuf r;
    char head[8];
    int rc = VDL_OK;
    memset(m, 0, sizeof *m);
    if (!st)
        st = &scratch;
    memset(st, 0, sizeof *st);
    if (!name)
        name = "<checkpoint buffer>";
    vdl_rbuf_init(&r, bytes, len);
    vdl_rbuf_bytes(&r, head, 8);
    if (r.failed || memcmp(head, magic, 8) != 0)
        rc = bad(name, "it does not start with the vdl checkpoint magic");
    else if (len < 8 + 8 + 8 || vdl_fnv1a(bytes, len - 8) != stored_checksum(bytes, len))
        rc = bad(name, "the checksum does not match (truncated or corrupted)");
    if (rc == VDL_OK) {
        vdl_rbuf_init(&r, bytes + 8, len - 16);
        rc = parse_body(&r, name, m, st);
    }
    if (rc != VDL_OK || st == &scratch) {
        vdl_train_state_free(st);
        if (rc != VDL_OK)
            vdl_model_free(m);
    }
    return rc;
}

int vdl_checkpoint_load(const char *path, vdl_model *m, vdl_train_state *st)
{
    unsigned char *data;
    size_t len;
    int rc = vdl_read_file(path, MAX_FILE, &data, &len);
    if (rc != VDL_OK) {
        memset(m, 0, sizeof *m);
        if (st)
            memset(st, 0, sizeof *st);
        return rc;
    }
    rc = vdl_checkpoint_parse(data, len, path, m, st);
    vdl_free(data);
    return rc;
}

void vdl_train_state_free(vdl_train_state *st)
{
    vdl_free(st->m);
    vdl_free(st->v);
    memset(st, 0, sizeof *st);
}

int vdl_trainer_restore(vdl_trainer *tr, const vdl_train_state *st)
{
    const long batches = vdl_trainer_batches(tr), in_epoch = st->step - (long)st->epoch * batches;
    if (!st->present)
        return vdl_set_error(VDL_EINVAL, "the checkpoint holds no training state to resume");
    if (st->size != tr->opt.size || st->cfg.optim != tr->opt.kind)
        return vdl_set_error(VDL_EINVAL, "the checkpoint's optimizer state does not fit this model");
    if (in_epoch < 0 || in_epoch >= batches)
        return vdl_set_error(VDL_EINVAL,
                             "the checkpoint's step %ld is not inside its epoch %d of %ld minibatches: was it "
                             "trained on other data?", st->step, st->epoch + 1, batches);
    tr->step = st->step;
    tr->epoch = st->epoch;
    tr->opt.step = st->opt_step;
    memcpy(tr->opt.m, st->m, st->size * sizeof *st->m);
    if (st->v)
        memcpy(tr->opt.v, st->v, st->size * sizeof *st->v);
    return VDL_OK;
}
