/*
 * vdl_repro.h: the paper's experiment (section 4 of the paper; docs/reproduction.md) as a plan of
 * independent work groups, per-run result files, and the tables and figures
 * built from them.
 *
 * Methods: a direct (E epochs), b direct (1 epoch), c low-rank hypernet,
 * d c + 1 fine-tuning epoch, e linear hypernet, f e + 1 fine-tuning epoch;
 * each at every lambda of the grid and every seed. A run is one
 * (method, lambda, seed) and writes one CSV file; a work group is what must
 * run together (a(lambda, seed), b(lambda, seed), c+d(seed), e+f(seed)).
 */
#ifndef VDL_REPRO_H
#define VDL_REPRO_H

#include "vdl_eval.h"
#include "vdl_train.h"

#define REPRO_METHODS 6
#define REPRO_MAX_LAMBDAS 8
#define REPRO_MAX_SEEDS 16
#define REPRO_PRUNE_STEPS 10   /* 0%, 10%, ..., 90% */
#define REPRO_DENSE 25         /* the dense lambda grid of figure 3 */

/* What one run measured (one CSV file). */
typedef struct repro_result {
    char method;              /* 'a' .. 'f' */
    double lambda;
    int seed;
    double accuracy;          /* test, posterior means */
    double mc_accuracy;       /* test, Monte Carlo */
    double prune[REPRO_PRUNE_STEPS]; /* test accuracy with 0..90% removed */
    double stability;         /* prune[0] / prune[9] */
    double updates;           /* optimizer steps x trainable scalars, all epochs */
    double log_likelihood, kl, evidence; /* on the training set */
    double seconds;           /* wall time of the run's own training and evaluation */
} repro_result;

/* Everything that shapes the numbers. */
typedef struct repro_config {
    const char *preset;       /* "default" or "paper" */
    int quick;                /* 1: the small labelled version */
    int epochs;               /* 25 */
    int seeds;                /* 5 */
    int n_lambdas;
    double lambdas[REPRO_MAX_LAMBDAS]; /* 0.1, 1, 10, 100 */
    int evidence_samples;     /* Monte Carlo draws for E_q log p(D|w) (3) */
    int mc_samples;           /* draws for the MC accuracy (10) */
    int dense;                /* 1: also the dense lambda grid of figure 3 */
    vdl_model_config model[3];    /* per kind */
    vdl_train_config train[3];    /* per kind */
    int tune_threads;         /* 1: training times all threads against one and keeps the faster
                                 (vdl_thread_tuner; the numbers do not depend on it) */
} repro_config;

/* The default (or --preset paper) configuration; quick != 0 gives the
 * labelled small version (2 epochs, 2 seeds, 1 evidence draw). */
int repro_config_make(repro_config *c, const char *preset, int quick);

/* The settings text written beside the results (settings.txt): every setting
 * that shapes the numbers, the vdl version and git revision. */
int repro_settings(const repro_config *c, vdl_wbuf *out);

/* Work groups: index in [0, repro_groups(c)), in a fixed order. */
int repro_groups(const repro_config *c);

/* What group g is: its first method ('a', 'b', 'c' for c+d, 'e' for e+f),
 * its lambda index (-1 for the hypernet groups) and its seed (from 1). */
void repro_group_parts(const repro_config *c, int g, char *method, int *lambda_index, int *seed);

/* Run group g, writing its run files (and the hypernet checkpoints) into
 * dir/runs; runs whose file exists are skipped (resume). Returns VDL_OK or an
 * error. */
int repro_run_group(const repro_config *c, int g, const char *dir, const vdl_dataset *train,
                    const vdl_dataset *test, int verbose);

/* Lambda number i of the dense grid: REPRO_DENSE log-spaced values 0.1 .. 100. */
double repro_dense_lambda(int i);

/* Result files: write one atomically; read one (VDL_EFORMAT if malformed). */
int repro_result_write(const char *path, const repro_result *r);
int repro_result_read(const char *path, repro_result *r);

/* The file name of a run: "a-l0.1-s1.csv". */
void repro_run_name(char *buf, size_t len, char method, double lambda, int seed);

/* Summary statistics of one (method, lambda) cell over seeds. */
typedef struct repro_stat {
    int n;
    double mean, min, max;
} repro_stat;

/* The whole experiment's results, gathered from the run files. */
typedef struct repro_summary {
    int n_lambdas, seeds;
    double lambdas[REPRO_MAX_LAMBDAS];
    repro_stat accuracy[REPRO_METHODS][REPRO_MAX_LAMBDAS];
    repro_stat stability[REPRO_METHODS][REPRO_MAX_LAMBDAS];
    repro_stat evidence[REPRO_METHODS][REPRO_MAX_LAMBDAS];
    repro_stat updates[REPRO_METHODS];   /* per run (over lambdas and seeds) */
    repro_stat prune[REPRO_METHODS][REPRO_MAX_LAMBDAS][REPRO_PRUNE_STEPS];
    /* figure 3: hypernets (c, e) over the dense grid, over seeds */
    int n_dense;
    double dense_lambda[REPRO_DENSE];
    repro_stat dense[2][REPRO_DENSE];
    int missing;                          /* expected run files not found */
} repro_summary;

/* Fold one result into the summary (the cell of its method and lambda). */
void repro_summary_add(repro_summary *s, const repro_result *r);

/* Gather dir/runs into a summary for configuration c. */
int repro_summarize(const repro_config *c, const char *dir, repro_summary *s);

/* Write table1..table4 (.md and .csv) into dir: accuracy and updates,
 * stability, evidence, and the mean pruning curves. */
int repro_write_tables(const repro_config *c, const repro_summary *s, const char *dir);

/* Write figure1.svg (six panels: accuracy vs % removed), figure2.svg
 * (accuracy vs lambda) and figure3.svg (the hypernets over the dense grid
 * against the direct models) into dir. */
int repro_write_figures(const repro_summary *s, const char *dir);

#endif
