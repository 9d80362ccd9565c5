/*
 * bench_train.c: seconds per training epoch over the 60,000 MNIST images for
 * the direct variational MLP (batch 256 and 32), the linear hypernet (K = 5)
 * and the low-rank hypernet (K = 1), each with 1 and 2 threads; also the
 * tape's arena bytes per step, heap allocations per step after the first ten
 * steps, the process's peak resident memory, and how the epoch's seconds split
 * into the parts of a step (vdl_trainer.seconds: gathering the minibatch,
 * forward, backward, check and update), and the fastest epoch's seconds (on
 * a shared machine the steadiest number). Speed only: nothing here is a test.
 *
 * First a line on the inputs: whether training takes the sparse path, and what
 * the sparse copy costs.
 *
 * usage: bench_train [--data DIR] [--epochs N] [--case NAME] [--threads T] [--rank R]
 *   --epochs N   epochs timed per case, the first one included (default 1)
 *   --case NAME  only direct256, direct32, linear or lowrank
 *   --threads T  only this thread count
 *   --rank R     the low-rank hypernet's rank (default 1, the paper's eq. 6)
 */
#include "vdl.h"
#include "vdl_mnist.h"
#include "vdl_sparse_inputs.h"
#include "vdl_train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peak_memory.h"

typedef struct bench_case {
    const char *name;
    vdl_model_kind kind;
    int batch, draws;
} bench_case;

static const bench_case cases[] = {
    {"direct256", VDL_MODEL_DIRECT, 256, 1},
    {"direct32", VDL_MODEL_DIRECT, 32, 1},
    {"linear", VDL_MODEL_LINEAR, 256, 5},
    {"lowrank", VDL_MODEL_LOWRANK, 256, 1},
};

/* Heap allocations counted from step 10 of the first epoch on. */
typedef struct alloc_probe {
    unsigned long at_step10;
    long steps_after;
} alloc_probe;

static void probe(void *ctx, const vdl_trainer *tr, long b, long n)
{
    alloc_probe *p = ctx;
    (void)n;
    if (tr->epoch == 0 && b == 10)
        p->at_step10 = vdl_alloc_count();
    else if (tr->epoch == 0 && b > 10)
        p->steps_after++;
}

/* Train a fresh model of case c for `epochs`; prints one table row. */
static int run_case(const bench_case *c, int threads, int epochs, int rank, const vdl_dataset *train)
{
    vdl_model_config mc = vdl_model_defaults(c->kind);
    vdl_train_config tc = vdl_train_defaults(c->kind);
    vdl_model m;
    vdl_trainer tr;
    alloc_probe ap = {0, 0};
    double start, seconds, fastest = 0;
    unsigned long allocs = 0;
    int e, rc;
    tc.batch = c->batch;
    tc.lambda_draws = c->draws;
    tc.epochs = epochs;
    if (c->kind == VDL_MODEL_LOWRANK)
        mc.hyper_rank = rank;
    vdl_set_threads(threads);
    if (vdl_model_init(&m, &mc, 1) != VDL_OK)
        return 1;
    if (vdl_trainer_init(&tr, &m, train, &tc) != VDL_OK) {
        vdl_model_free(&m);
        return 1;
    }
    start = vdl_now();
    rc = VDL_OK;
    for (e = 0; e < epochs && rc == VDL_OK; e++) {
        double took = vdl_now();
        rc = vdl_trainer_epoch(&tr, probe, &ap);
        took = vdl_now() - took;
        if (e == 0 || took < fastest)
            fastest = took;
        if (e == 0)
            allocs = vdl_alloc_count() - ap.at_step10;
    }
    seconds = (vdl_now() - start) / epochs;
    if (rc == VDL_OK) {
        int p;
        printf("%-10s %7d %9.3f %12.2f %14.2f %10.0f ", c->name, threads, seconds,
               (double)vdl_tape_bytes(tr.tape) / (1 << 20), ap.steps_after ? (double)allocs / ap.steps_after : 0.0,
               peak_memory_mib());
        for (p = 0; p < VDL_PHASE_COUNT; p++)
            printf(" %8.3f", tr.seconds[p] / epochs);
        printf(" %8.3f\n", fastest);
    }
    vdl_trainer_free(&tr);
    vdl_model_free(&m);
    return rc != VDL_OK;
}

/* Whether training takes the sparse-input path on this data, and what the
 * sparse copy every trainer makes costs (vdl_sparse_inputs.h). */
static int describe_inputs(const vdl_dataset *train)
{
    vdl_sparse_inputs si;
    const double start = vdl_now();
    size_t entries;
    if (vdl_sparse_inputs_init(&si, train, 256) != VDL_OK) {
        fprintf(stderr, "bench_train: %s\n", vdl_error());
        return 1;
    }
    entries = si.all.rows ? si.all.start[si.all.rows] : 0;
    if (entries)
        printf("inputs: sparse form, %lu entries off the background %g (%.2f%% of the inputs), %.1f MiB, "
               "made in %.3f s per trainer\n",
               (unsigned long)entries, (double)si.all.background,
               100.0 * (double)entries / ((double)train->n * train->dim),
               (double)entries * (sizeof *si.col[0] + sizeof *si.value[0]) / (1 << 20), vdl_now() - start);
    else
        printf("inputs: dense (no value holds more than 2/3 of them)\n");
    vdl_sparse_inputs_free(&si);
    return 0;
}

int main(int argc, char **argv)
{
    const char *data = "data/mnist", *only = NULL;
    int epochs = 1, only_threads = 0, rank = 1, i, threads;
    size_t c;
    vdl_dataset train;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--epochs") == 0 && i + 1 < argc)
            epochs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            only_threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--rank") == 0 && i + 1 < argc)
            rank = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_train [--data DIR] [--epochs N] [--case NAME] [--threads T] [--rank R]\n");
            return 2;
        }
    }
    if (epochs < 1 || rank < 1 || rank > VDL_MODEL_MAX_RANK) {
        fprintf(stderr, "bench_train: --epochs must be >= 1 and --rank in 1..%d\n", VDL_MODEL_MAX_RANK);
        return 2;
    }
    if (vdl_mnist_load(data, 1, &train) != VDL_OK) {
        fprintf(stderr, "bench_train: %s\n(fetch MNIST first: ./build/vdl data fetch)\n", vdl_error());
        return 1;
    }
    if (describe_inputs(&train))
        return 1;
    printf("%-10s %7s %9s %12s %14s %10s  %8s %8s %8s %8s %8s\n", "case", "threads", "s/epoch", "tape MiB",
           "allocs/step", "peak MiB", "gather", "forward", "backward", "update", "fastest");
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        if (only && strcmp(only, cases[c].name) != 0)
            continue;
        for (threads = 1; threads <= 2; threads++) {
            if (only_threads && threads != only_threads)
                continue;
            if (run_case(&cases[c], threads, epochs, rank, &train)) {
                fprintf(stderr, "bench_train: %s: %s\n", cases[c].name, vdl_error());
                vdl_dataset_free(&train);
                return 1;
            }
            fflush(stdout);
        }
    }
    vdl_dataset_free(&train);
    return 0;
}
