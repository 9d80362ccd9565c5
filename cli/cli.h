/*
 * cli.h: what the `vdl` command's files share: option parsing, output
 * tables, progress display, and loading data and models for a subcommand.
 * Only the CLI prints and decides exit codes; the libraries return errors.
 */
#ifndef VDL_CLI_H
#define VDL_CLI_H

#include "vdl_checkpoint.h"
#include "vdl_eval.h"

/* --- options -------------------------------------------------------------- */

typedef enum { OPT_FLAG, OPT_INT, OPT_DOUBLE, OPT_STRING } opt_kind;

typedef struct cli_opt {
    const char *name;    /* "--epochs" */
    opt_kind kind;
    void *dest;          /* int*, double*, const char** */
    const char *metavar; /* "N", or NULL for a flag */
    const char *help;
} cli_opt;

/* Parse argv[1..] (argv[0] is the subcommand) against opts. Positional
 * arguments go to pos (at most max_pos). Prints the help (and returns 1 with
 * *exit_code 0) for --help; prints a one-line error (and returns 1 with
 * *exit_code 2) for a bad option or value. Returns 0 to go on. */
int cli_parse(int argc, char **argv, const char *cmd, const char *usage, const char *about,
              const cli_opt *opts, const char **pos, int max_pos, int *n_pos, int *exit_code);

/* The most threads --threads takes: far more fail to start (and crashed
 * the OpenMP runtime) long before they could help. */
#define CLI_MAX_THREADS 1024

/* Apply --threads n (0: all cores); prints an error and returns 1 unless n
 * is in 0..CLI_MAX_THREADS. */
int cli_set_threads(const char *cmd, int n);

/* 1 if option `name` of opts is among argv[1..] (as an option, not as the
 * value of another), after cli_parse accepted them. */
int cli_given(int argc, char **argv, const cli_opt *opts, const char *name);

/* Flush standard output; if that or any earlier write to it failed (disk
 * full, closed pipe), print a one-line error and return 1 (or code if it is
 * already non-zero). Otherwise return code. main() ends with it. */
int cli_close_stdout(int code);

/* Replace the help text of option `name` in a NULL-terminated table. */
void cli_set_help(cli_opt *opts, const char *name, const char *help);

/* Print "vdl CMD: message" to stderr and return 1 (the usual exit code). */
int cli_fail(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Parse a comma-separated list of positive numbers ("0.1,1,10"); returns the
 * count, or -1 on a malformed list. */
int cli_parse_list(const char *text, double *out, int max);

/* --- output tables ------------------------------------------------------ */

typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON } out_format;

/* "table", "csv", "json" -> format; -1 if unknown. */
int cli_format(const char *name);

#define TABLE_MAX_COLS 16
#define TABLE_MAX_ROWS 64

typedef struct cli_table {
    const char *title;
    int cols, rows;
    const char *head[TABLE_MAX_COLS];
    char cell[TABLE_MAX_ROWS][TABLE_MAX_COLS][32];
} cli_table;

/* Start a table with the given column names. */
void table_init(cli_table *t, const char *title, int cols, const char *const *head);

/* Append a row: `label` in the first column, then the n values printed with
 * number_format ("%.4f"); NaN prints as "-". */
void table_row(cli_table *t, const char *label, const char *number_format, const double *values, int n);

/* Print the table as an aligned table, CSV or a JSON array of objects. */
void table_print(const cli_table *t, out_format fmt);

/* --- progress ---------------------------------------------------------- */

/* State of a progress display: a bar with rate and ETA on a terminal, a
 * plain line per epoch otherwise (or nothing when quiet). */
typedef struct cli_progress {
    const char *what;
    int tty, quiet;
    double start, last_draw;
    long first_step;         /* this run goes from this step to the end of */
    int epochs;              /* this many epochs */
} cli_progress;

void progress_init(cli_progress *p, const char *what, const vdl_trainer *tr, int epochs, int quiet);

/* A vdl_progress_fn: redraws the bar at most ten times a second. */
void progress_batch(void *ctx, const vdl_trainer *tr, long b, long n);

/* End of an epoch: finish the bar, or print a log line. */
void progress_epoch(cli_progress *p, const vdl_trainer *tr);

/* --- interruption ------------------------------------------------------- */

/* From now on SIGINT and SIGTERM (unless ignored) only set a flag, which
 * cli_interrupted() returns: the signal number, or 0. A second signal ends
 * the process as usual. */
void cli_interrupt_catch(void);

/* Restore the handlers that were there before cli_interrupt_catch. */
void cli_interrupt_release(void);

int cli_interrupted(void);

/* --- data and models ------------------------------------------------------ */

/* Load an MNIST split from dir; when the files are missing, run the fetch
 * script first (fetch != 0). Prints errors; returns 0 on success. */
int cli_load_mnist(const char *cmd, const char *dir, int train, int fetch, vdl_dataset *d);

/* Run scripts/fetch-mnist with the given destination; returns its exit status. */
int cli_fetch_mnist(const char *dest, const char *from);

/* The CLI's shared training options (models, presets, optimizer) and how to
 * turn them into configurations. */
typedef struct train_opts {
    const char *model, *preset, *optim, *data, *out, *resume, *format, *mean_correction, *sigma_correction;
    double lambda, lr, momentum, clip, prior_var;
    int epochs, batch, draws, hidden, hyper_hidden, rank, anchors, seed, threads, quiet;
    double rank_scale, factor_lr, lambda_weight;
} train_opts;

/* Defaults before parsing (values < 0 mean "take the preset's"). */
void train_opts_defaults(train_opts *o);

/* Write the option entries for o into table (TRAIN_OPTS entries). */
#define TRAIN_OPTS 26
void train_opts_table(train_opts *o, cli_opt *table);

/* `vdl train`'s options: o set to the defaults, opts (TRAIN_OPTS + 2
 * entries) the shared ones plus --format, NULL-terminated. */
void train_cmd_options(train_opts *o, cli_opt *opts);

/* Resolve the options into configs; prints an error and returns 1 if bad. */
int train_opts_resolve(const char *cmd, const train_opts *o, vdl_model_config *mc, vdl_train_config *tc);

/* Train `m` with tc, showing progress, saving a checkpoint to out (if not
 * NULL) after every epoch. threads is --threads: 0 lets a vdl_thread_tuner
 * choose between all cores and one as it goes; n > 0 keeps n. On SIGINT or SIGTERM it saves a resumable
 * checkpoint after the current minibatch and returns 128 + the signal; a
 * NaN or Inf stops it with nothing saved. Prints errors; returns 0 on
 * success, else the exit status. */
int cli_train_model(const char *cmd, vdl_model *m, const vdl_dataset *train, const vdl_train_config *tc,
                    const vdl_train_state *resume, const char *out, int quiet, int threads);

/* Load a model file; prints errors; returns 0 on success. */
int cli_load_model(const char *cmd, const char *path, vdl_model *m, vdl_train_state *st);

/* The model at lambda as a direct model (copied or generated). */
int cli_direct_at(const char *cmd, const vdl_model *m, double lambda, vdl_model *out);

/* Print the test accuracy of m (at posterior means and by Monte Carlo) at
 * lambda (a direct model) or at 0.1, 1, 10, 100 (a hypernet). */
int cli_report_accuracy(const char *cmd, const vdl_model *m, double lambda, const char *data, out_format fmt);

/* Print pruning curves (steps fractions from 0 to 90% removed) and the
 * stability of m at each lambda. */
int cli_report_pruning(const char *cmd, const vdl_model *m, const double *lambdas, int n,
                       const vdl_dataset *test, int global, int steps, out_format fmt);

/* --- subcommands ------------------------------------------------------------ */

int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_prune(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_ops(int argc, char **argv);
int cmd_gradcheck(int argc, char **argv);
int cmd_data(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_reproduce(int argc, char **argv);

#endif
