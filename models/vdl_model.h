/*
 * vdl_model.h: where the classifier's variational parameters come from.
 *
 * A model owns trainable parameters and turns them into the variational MLP's
 * (mu, log_sigma) nodes for a complexity lambda:
 *   direct  - the parameters are the mu and log_sigma tensors themselves;
 *   linear  - paper eq. 7: T(lambda) = t B2 + (1 - t) B3 per tensor;
 *   lowrank - paper eq. 6: T(lambda) = B1 + (U1 h + c1)(U2 h + c2)^T with
 *             h = ReLU(a t + c), per tensor (vectors: B1 + U h + c1);
 *             hyper_rank R > 1 (not in the paper) makes the correction
 *             rank R: B1 + U(t) V(t), U(t) the rows x R reshape of
 *             U1 h + c1 and V(t) the R x cols reshape of U2 h + c2;
 *             multiplicative_means / multiplicative_log_sigmas (not in
 *             the paper) make the mean / log-sigma matrices' correction
 *             scale B1 elementwise: B1 + B1 * C(t);
 *   piecewise - N anchor models A_j at t_j = j / (N - 1), linearly
 *             interpolated: T(lambda) = sum_j max(0, 1 - |t (N-1) - j|) A_j
 *             (the authors' later code calls it a "kernel" hypernet);
 * where t = (ln lambda - ln lambda_min) / (ln lambda_max - ln lambda_min).
 * Each kind lives in its own file behind a small table (vdl_model_kind_impl).
 */
#ifndef VDL_MODEL_H
#define VDL_MODEL_H

#include "vdl_vmlp.h"

typedef enum vdl_model_kind {
    VDL_MODEL_DIRECT = 0,
    VDL_MODEL_LINEAR = 1,
    VDL_MODEL_LOWRANK = 2,
    VDL_MODEL_PIECEWISE = 3
} vdl_model_kind;

#define VDL_MODEL_KIND_COUNT 4
#define VDL_MODEL_MAX_ANCHORS 64
#define VDL_MODEL_MAX_RANK 1024

/* The low-rank hypernet's learning-rate multiplier for its log-sigma factors
 * (docs/models.md: the log-sigma collapse): the default, and eq. 6's in the
 * paper preset. */
#define VDL_LOWRANK_FACTOR_LR 0.05
#define VDL_LOWRANK_FACTOR_LR_EQ6 0.02
#define VDL_MODEL_MAX_LAMBDA_WEIGHT 2

typedef struct vdl_model_config {
    vdl_model_kind kind;
    vdl_mlp_arch arch;
    double lambda_min, lambda_max; /* hypernets: the trained range (0.1, 100) */
    int hyper_hidden;              /* lowrank: hidden units of h (50) */
    double rank_scale;             /* lowrank: factor on the rank-one term (see docs/models.md) */
    double factor_lr_scale;        /* lowrank: learning-rate multiplier of the log-sigma tensors'
                                    * factors a, c, U1, c1, U2, c2 (0.02) */
    int hyper_rank;                /* lowrank: rank R of each matrix's correction, 1 ..
                                    * VDL_MODEL_MAX_RANK (1, the paper's eq. 6); a rows x
                                    * cols matrix uses min(R, rows, cols) */
    int multiplicative_means;      /* lowrank: 1 = each mean matrix is B1 + s B1 * C(t)
                                    * (elementwise; the default, not in the paper),
                                    * 0 = B1 + s C(t) (eq. 6); C(t) the low-rank term */
    int multiplicative_log_sigmas; /* lowrank: the same for the log-sigma matrices (1) */
    double lambda_weight;          /* lowrank: training weighs the loss of a draw at lambda
                                    * by lambda^-lambda_weight, 0 .. VDL_MODEL_MAX_LAMBDA_WEIGHT
                                    * (0.5; 0 is the paper's eq. 8) */
    double init_log_sigma;         /* initial log sigma of every weight (-3) */
    int anchors;                   /* piecewise: anchor models, 2 .. VDL_MODEL_MAX_ANCHORS
                                    * (5); 0 for the other kinds */
} vdl_model_config;

typedef struct vdl_model {
    vdl_model_config cfg;
    vdl_params params;
} vdl_model;

/* The defaults: 784-100-10, lambda in [0.1, 100], hidden 50, log sigma -3,
 * a low-rank hypernet of rank 1 with multiplicative corrections, factor lr
 * 0.05 and lambda weight 0.5, 5 anchors for a piecewise hypernet. */
vdl_model_config vdl_model_defaults(vdl_model_kind kind);

/* The `paper` preset's model: the defaults, with the paper's low-rank
 * hypernet (eq. 6: rank 1, additive corrections, unweighted lambda draws)
 * and factor lr 0.02, whatever the defaults say. */
vdl_model_config vdl_model_paper(vdl_model_kind kind);

/* "direct", "linear", "lowrank", "piecewise"; and back (-1 if unknown). */
const char *vdl_model_kind_name(vdl_model_kind kind);
int vdl_model_kind_parse(const char *name);

/* Create the parameters and initialize them from `seed` (means Xavier-uniform,
 * biases 0, log sigma cfg->init_log_sigma). Returns VDL_OK or an error. */
int vdl_model_init(vdl_model *m, const vdl_model_config *cfg, uint64_t seed);

/* Create the parameters (all zero) without initializing them: for loading. */
int vdl_model_alloc(vdl_model *m, const vdl_model_config *cfg);

/* 1 if lambda is usable with this model (positive and finite; for a
 * hypernet, also inside [lambda_min, lambda_max]); else 0 with an error set. */
int vdl_model_lambda_ok(const vdl_model *m, double lambda);

/* t(lambda) in [0, 1] for a hypernet's range. */
double vdl_lambda_encode(const vdl_model_config *cfg, double lambda);

/* Put the classifier's variational parameters at lambda on the tape, as
 * nodes that backpropagate into m->params. Returns VDL_OK or an error. */
int vdl_model_vnodes(vdl_tape *t, const vdl_model *m, double lambda, vdl_vnodes *out);

/* Materialize the classifier at lambda as a direct model (`out` is created;
 * free it with vdl_model_free). A direct model is simply copied. */
int vdl_model_generate(const vdl_model *m, double lambda, vdl_model *out);

/* Release the parameters. */
void vdl_model_free(vdl_model *m);

/* How one kind builds its parameters and nodes (one file per kind). */
typedef struct vdl_model_kind_impl {
    /* add the kind's parameter tensors for `arch` to m->params */
    int (*add_params)(vdl_model *m);
    /* initialize them (the values are zero on entry) */
    void (*init_params)(vdl_model *m, vdl_rng *rng);
    /* the variational nodes at t = vdl_lambda_encode(lambda) */
    int (*vnodes)(vdl_tape *tape, const vdl_model *m, double t, vdl_vnodes *out);
} vdl_model_kind_impl;

extern const vdl_model_kind_impl vdl_model_direct, vdl_model_linear, vdl_model_lowrank, vdl_model_piecewise;

/* The rank a low-rank hypernet gives a rows x cols matrix: min(R, rows, cols),
 * since a larger R adds parameters but no freedom. */
int vdl_model_matrix_rank(const vdl_model_config *cfg, int rows, int cols);

/* Shared by the kinds: the initial values of classifier tensor k's mean
 * (is_log_sigma = 0) or log sigma (1), written to dst. */
void vdl_model_init_tensor(const vdl_model_config *cfg, int k, int is_log_sigma, vdl_real *dst,
                           vdl_rng *rng);

/* Shared by the interpolating kinds: every classifier tensor k, part p (0 mu,
 * 1 log sigma) as wa * P[i] + wb * P[i + 1], i = stride (2k + p) + offset,
 * where P are m's parameters; the nodes backpropagate into both. */
int vdl_model_mix_pairs(vdl_tape *t, const vdl_model *m, int stride, int offset, double wa, double wb,
                        vdl_vnodes *out);

#endif
