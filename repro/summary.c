/*
 * summary.c: gathering the run files into means, minima and maxima over
 * seeds, and writing Tables 1-3 (Markdown and CSV) and the settings.
 */
#include "vdl_repro.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *method_name[REPRO_METHODS] = {
    "a: direct", "b: direct, 1 epoch", "c: low-rank hypernet",
    "d: low-rank + 1 epoch", "e: linear hypernet", "f: linear + 1 epoch"};

static void stat_add(repro_stat *s, double v)
{
    if (s->n == 0 || v < s->min)
        s->min = v;
    if (s->n == 0 || v > s->max)
        s->max = v;
    s->n++;
    s->mean += (v - s->mean) / s->n;
}

static int lambda_index(const repro_summary *s, double lambda)
{
    int l;
    for (l = 0; l < s->n_lambdas; l++)
        if (fabs(s->lambdas[l] - lambda) <= 1e-9 * s->lambdas[l])
            return l;
    return -1;
}

void repro_summary_add(repro_summary *s, const repro_result *r)
{
    int m = r->method - 'a', l = lambda_index(s, r->lambda), k;
    if (m < 0 || m >= REPRO_METHODS || l < 0)
        return;
    stat_add(&s->accuracy[m][l], r->accuracy);
    stat_add(&s->stability[m][l], r->stability);
    stat_add(&s->evidence[m][l], r->evidence);
    stat_add(&s->updates[m], r->updates);
    for (k = 0; k < REPRO_PRUNE_STEPS; k++)
        stat_add(&s->prune[m][l][k], r->prune[k]);
}

/* Fold a dense-curve file (lambda,accuracy lines) into s->dense[h]. */
static int add_dense(repro_summary *s, int h, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[128];
    int i = 0;
    if (!f)
        return 0;
    if (fgets(line, sizeof line, f))
        while (i < REPRO_DENSE && fgets(line, sizeof line, f)) {
            double lambda, acc;
            if (sscanf(line, "%lf,%lf", &lambda, &acc) != 2)
                break;
            s->dense_lambda[i] = lambda;
            stat_add(&s->dense[h][i], acc);
            i++;
        }
    fclose(f);
    if (i > s->n_dense)
        s->n_dense = i;
    return 1;
}

int repro_summarize(const repro_config *c, const char *dir, repro_summary *s)
{
    char path[4096], name[64];
    int m, l, seed;
    memset(s, 0, sizeof *s);
    s->n_lambdas = c->n_lambdas;
    s->seeds = c->seeds;
    memcpy(s->lambdas, c->lambdas, sizeof s->lambdas);
    for (m = 0; m < REPRO_METHODS; m++)
        for (l = 0; l < c->n_lambdas; l++)
            for (seed = 1; seed <= c->seeds; seed++) {
                repro_result r;
                repro_run_name(name, sizeof name, (char)('a' + m), c->lambdas[l], seed);
                snprintf(path, sizeof path, "%s/runs/%s", dir, name);
                if (repro_result_read(path, &r) != VDL_OK) {
                    s->missing++;
                    continue;
                }
                repro_summary_add(s, &r);
            }
    for (seed = 1; c->dense && seed <= c->seeds; seed++)
        for (m = 0; m < 2; m++) {
            snprintf(path, sizeof path, "%s/runs/dense-%c-s%d.csv", dir, m ? 'e' : 'c', seed);
            s->missing += !add_dense(s, m, path);
        }
    return VDL_OK;
}

/* "0.9712 (0.9701-0.9725)", or "-" for an empty cell. */
static void cell(char *buf, size_t len, const repro_stat *st, const char *fmt)
{
    char a[32], b[32], c[32];
    if (st->n == 0) {
        snprintf(buf, len, "-");
        return;
    }
    snprintf(a, sizeof a, fmt, st->mean);
    snprintf(b, sizeof b, fmt, st->min);
    snprintf(c, sizeof c, fmt, st->max);
    snprintf(buf, len, "%s (%s to %s)", a, b, c);
}

typedef struct table_spec {
    const char *file, *title, *fmt;
    const repro_stat (*stat)[REPRO_MAX_LAMBDAS];
    int with_updates;
} table_spec;

static void write_table(vdl_wbuf *md, vdl_wbuf *csv, const repro_summary *s, const table_spec *t)
{
    char line[1024], buf[128];
    size_t at;
    int m, l;
    snprintf(line, sizeof line, "## %s\n\nMean over seeds (min to max).\n\n| method |", t->title);
    vdl_wbuf_bytes(md, line, strlen(line));
    for (l = 0; l < s->n_lambdas; l++) {
        snprintf(line, sizeof line, " lambda = %g |", s->lambdas[l]);
        vdl_wbuf_bytes(md, line, strlen(line));
    }
    snprintf(line, sizeof line, "%s\n|---|", t->with_updates ? " parameter updates |" : "");
    vdl_wbuf_bytes(md, line, strlen(line));
    for (l = 0; l < s->n_lambdas + t->with_updates; l++)
        vdl_wbuf_bytes(md, "---|", 4);
    vdl_wbuf_bytes(md, "\n", 1);
    vdl_wbuf_bytes(csv, "method,lambda,mean,min,max,runs\n", 32);
    for (m = 0; m < REPRO_METHODS; m++) {
        at = (size_t)snprintf(line, sizeof line, "| %s |", method_name[m]);
        for (l = 0; l < s->n_lambdas; l++) {
            const repro_stat *st = &t->stat[m][l];
            char row[160];
            cell(buf, sizeof buf, st, t->fmt);
            at += (size_t)snprintf(line + at, sizeof line - at, " %s |", buf);
            snprintf(row, sizeof row, "%c,%g,%.10g,%.10g,%.10g,%d\n", 'a' + m, s->lambdas[l], st->mean, st->min,
                     st->max, st->n);
            vdl_wbuf_bytes(csv, row, strlen(row));
        }
        if (t->with_updates) {
            char row[160];
            snprintf(row, sizeof row, "%c,all,%.0f,%.0f,%.0f,%d\n", 'a' + m, s->updates[m].mean,
                     s->updates[m].min, s->updates[m].max, s->updates[m].n);
            vdl_wbuf_bytes(csv, row, strlen(row));
            at += (size_t)snprintf(line + at, sizeof line - at, " %.0f |", s->updates[m].mean);
        }
        snprintf(line + at, sizeof line - at, "\n");
        vdl_wbuf_bytes(md, line, strlen(line));
    }
    vdl_wbuf_bytes(md, "\n", 1);
}

static int save(const char *dir, const char *file, const vdl_wbuf *b)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return b->failed ? VDL_ENOMEM : vdl_write_file_atomic(path, b->data, b->len);
}

/* Table 4: the mean pruning curve of every method at every lambda. */
static void write_pruning(vdl_wbuf *md, vdl_wbuf *csv, const repro_summary *s)
{
    static const char intro[] = "## Table 4: test accuracy by % of weights removed (per-layer ranking)\n\n"
                                "Mean over seeds.\n\n| method | lambda | 0% | 10% | 20% | 30% | 40% | 50% | 60% "
                                "| 70% | 80% | 90% |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    char line[512], row[512];
    size_t at, rat;
    int m, l, k;
    vdl_wbuf_bytes(md, intro, strlen(intro));
    vdl_wbuf_bytes(csv, "method,lambda,removed,mean,min,max,runs\n", 40);
    for (m = 0; m < REPRO_METHODS; m++)
        for (l = 0; l < s->n_lambdas; l++) {
            at = (size_t)snprintf(line, sizeof line, "| %s | %g |", method_name[m], s->lambdas[l]);
            for (k = 0; k < REPRO_PRUNE_STEPS; k++) {
                const repro_stat *st = &s->prune[m][l][k];
                at += (size_t)(st->n ? snprintf(line + at, sizeof line - at, " %.4f |", st->mean)
                                     : snprintf(line + at, sizeof line - at, " - |"));
                rat = (size_t)snprintf(row, sizeof row, "%c,%g,%d,%.10g,%.10g,%.10g,%d\n", 'a' + m, s->lambdas[l],
                                       10 * k, st->mean, st->min, st->max, st->n);
                vdl_wbuf_bytes(csv, row, rat);
            }
            snprintf(line + at, sizeof line - at, "\n");
            vdl_wbuf_bytes(md, line, strlen(line));
        }
}

int repro_write_tables(const repro_config *c, const repro_summary *s, const char *dir)
{
    const table_spec specs[3] = {
        {"table1", "Table 1: test accuracy", "%.4f", s->accuracy, 1},
        {"table2", "Table 2: stability S = accuracy(0%) / accuracy(90% removed)", "%.3f", s->stability, 0},
        {"table3", "Table 3: generalized evidence E_q log p(D|w) - lambda KL (training set)", "%.0f", s->evidence, 0},
    };
    vdl_wbuf md, csv;
    int i, rc = VDL_OK;
    (void)c;
    for (i = 0; rc == VDL_OK && i < 3; i++) {
        char name[32];
        vdl_wbuf_init(&md);
        vdl_wbuf_init(&csv);
        write_table(&md, &csv, s, &specs[i]);
        snprintf(name, sizeof name, "%s.md", specs[i].file);
        rc = save(dir, name, &md);
        snprintf(name, sizeof name, "%s.csv", specs[i].file);
        rc = rc ? rc : save(dir, name, &csv);
        vdl_wbuf_free(&md);
        vdl_wbuf_free(&csv);
    }
    vdl_wbuf_init(&md);
    vdl_wbuf_init(&csv);
    write_pruning(&md, &csv, s);
    rc = rc ? rc : save(dir, "table4.md", &md);
    rc = rc ? rc : save(dir, "table4.csv", &csv);
    vdl_wbuf_free(&md);
    vdl_wbuf_free(&csv);
    return rc;
}
