/*
 * figures.c: the reproduction's three figures as SVG files, drawn from the
 * summary alone (means with min-max bands over seeds). Cells without runs,
 * and non-finite numbers, are left out rather than drawn as zeros.
 */
#include "vdl_repro.h"

#include <math.h>
#include <stdio.h>

#include "svg.h"

static const char *const method_title[REPRO_METHODS] = {
    "(a) direct",          "(b) direct, 1 epoch", "(c) low-rank hypernet", "(d) low-rank + fine-tuning",
    "(e) linear hypernet", "(f) linear + fine-tuning"};

/* Okabe-Ito colors (readable with color blindness); each hypernet shares a
 * hue family with its fine-tuned version, which is dashed like b. */
static const char *const method_color[REPRO_METHODS] = {"#0072b2", "#56b4e9", "#d55e00",
                                                        "#e69f00", "#009e73", "#cc79a7"};
static const char *const method_dash[REPRO_METHODS] = {NULL, "7,4", NULL, "7,4", NULL, "7,4"};

static const char *const lambda_color[REPRO_MAX_LAMBDAS] = {"#0072b2", "#e69f00", "#009e73", "#d55e00",
                                                            "#cc79a7", "#56b4e9", "#8c6d00", "#000000"};

#define MAX_POINTS REPRO_DENSE
#define XLABEL_LAMBDA "lambda (weight of the KL term, log scale)"
#define YLABEL "test accuracy"

// --- data

/* Grid sizes, clamped to the arrays (a summary read from elsewhere). */
static int n_lambdas(const repro_summary *s)
{
    return s->n_lambdas < 0 ? 0 : s->n_lambdas > REPRO_MAX_LAMBDAS ? REPRO_MAX_LAMBDAS : s->n_lambdas;
}

static int n_dense(const repro_summary *s)
{
    return s->n_dense < 0 ? 0 : s->n_dense > REPRO_DENSE ? REPRO_DENSE : s->n_dense;
}

/* A curve: a mean with a min-max band at each x; ok[i] == 0 leaves a gap. */
typedef struct series {
    int n;
    double x[MAX_POINTS], mean[MAX_POINTS], lo[MAX_POINTS], hi[MAX_POINTS];
    int ok[MAX_POINTS];
} series;

static void series_add(series *c, double x, const repro_stat *st, int log_x)
{
    int i = c->n++;
    c->x[i] = x;
    c->mean[i] = st->mean;
    c->lo[i] = st->min;
    c->hi[i] = st->max;
    c->ok[i] = st->n > 0 && isfinite(x) && isfinite(st->mean) && isfinite(st->min) &&
               isfinite(st->max) && (!log_x || x > 0);
}

/* The y range shown: from the lowest band edge rounded down to 0.05, to 1. */
typedef struct range {
    double lo, hi;
    int any;
} range;

static void range_series(range *r, const series *c)
{
    int i;
    for (i = 0; i < c->n; i++) {
        if (!c->ok[i])
            continue;
        r->lo = r->any && r->lo < c->lo[i] ? r->lo : c->lo[i];
        r->hi = r->any && r->hi > c->hi[i] ? r->hi : c->hi[i];
        r->any = 1;
    }
}

static void y_range(const range *r, svg_panel *p)
{
    double lo = r->any ? floor(r->lo / 0.05 + 1e-9) * 0.05 : 0;
    double hi = r->any ? ceil(r->hi / 0.05 - 1e-9) * 0.05 : 1;
    p->y0 = lo < 0 ? 0 : lo;
    p->y1 = hi > 1 ? hi : 1;
    if (p->y0 > p->y1 - 0.05)
        p->y0 = p->y1 - 0.05;
}

/* A log10 x range around the positive values of x, a fifth of a decade wider
 * on each side so that end points do not sit on the frame. */
static void log_range(const double *x, int n, svg_panel *p)
{
    double lo = 0, hi = 0;
    int i;
    for (i = 0; i < n; i++) {
        if (!(x[i] > 0) || !isfinite(x[i]))
            continue;
        lo = lo > 0 && lo < x[i] ? lo : x[i];
        hi = hi > x[i] ? hi : x[i];
    }
    if (!(lo > 0)) {
        lo = 0.1;
        hi = 100;
    }
    p->log_x = 1;
    p->x0 = lo / pow(10, 0.2);
    p->x1 = hi * pow(10, 0.2);
}

// --- drawing

/* The first run of usable points at or after *at, as [*start, *end). */
static int next_run(const series *c, int *at, int *start, int *end)
{
    while (*at < c->n && !c->ok[*at])
        (*at)++;
    *start = *at;
    while (*at < c->n && c->ok[*at])
        (*at)++;
    *end = *at;
    return *end > *start;
}

static void draw_band(svg_doc *d, const svg_panel *p, const series *c, const char *color)
{
    double px[2 * MAX_POINTS], py[2 * MAX_POINTS];
    int at = 0, a, b, i, k;
    while (next_run(c, &at, &a, &b)) {
        if (b - a < 2)
            continue;
        for (k = 0, i = a; i < b; i++, k++) {
            px[k] = svg_panel_x(p, c->x[i]);
            py[k] = svg_panel_y(p, c->hi[i]);
        }
        for (i = b - 1; i >= a; i--, k++) {
            px[k] = svg_panel_x(p, c->x[i]);
            py[k] = svg_panel_y(p, c->lo[i]);
        }
        svg_polygon(d, px, py, k, color, SVG_BAND_OPACITY);
    }
}

/* The mean line, with a marker at each point (or where a point stands
 * alone, which a line cannot show). */
static void draw_line(svg_doc *d, const svg_panel *p, const series *c, const char *color, const char *dash,
                      double marker)
{
    double px[MAX_POINTS], py[MAX_POINTS];
    int at = 0, a, b, n, k;
    while (next_run(c, &at, &a, &b)) {
        for (n = 0; n < b - a; n++) {
            px[n] = svg_panel_x(p, c->x[a + n]);
            py[n] = svg_panel_y(p, c->mean[a + n]);
        }
        if (n > 1)
            svg_polyline(d, px, py, n, color, 2, dash);
        if (marker > 0 || n == 1)
            for (k = 0; k < n; k++)
                svg_circle(d, px[k], py[k], marker > 0 ? marker : 3.5, color);
    }
}

/* Points with min-max error bars (the separately trained models). */
static void draw_bars(svg_doc *d, const svg_panel *p, const series *c, const char *color)
{
    int i;
    for (i = 0; i < c->n; i++) {
        double x = svg_panel_x(p, c->x[i]), lo = svg_panel_y(p, c->lo[i]), hi = svg_panel_y(p, c->hi[i]);
        if (!c->ok[i])
            continue;
        svg_line(d, x, lo, x, hi, color, 1.5, NULL);
        svg_line(d, x - 4, lo, x + 4, lo, color, 1.5, NULL);
        svg_line(d, x - 4, hi, x + 4, hi, color, 1.5, NULL);
        svg_circle(d, x, svg_panel_y(p, c->mean[i]), 5, color);
    }
}

/* "mean over 5 seeds; bands: min to max" (or without the count if unknown). */
static void seeds_note(char *buf, size_t len, const repro_summary *s, const char *what)
{
    if (s->seeds > 0)
        snprintf(buf, len, "mean over %d seed%s; %s: min to max", s->seeds, s->seeds == 1 ? "" : "s",
                 what);
    else
        snprintf(buf, len, "mean over seeds; %s: min to max", what);
}

static int figure_path(char *buf, size_t len, const char *dir, const char *name)
{
    if ((size_t)snprintf(buf, len, "%s/%s", dir, name) >= len)
        return vdl_set_error(VDL_EINVAL, "path too long: '%s/%s'", dir, name);
    return VDL_OK;
}

// --- figure 1: accuracy as weights are removed

#define F1_W 1200.0
#define F1_H 750.0
#define F1_TOP 96.0 /* below the title and the legend */

static void prune_series(const repro_summary *s, int m, int l, series *c)
{
    int k;
    c->n = 0;
    for (k = 0; k < REPRO_PRUNE_STEPS; k++)
        series_add(c, 100.0 * k / REPRO_PRUNE_STEPS, &s->prune[m][l][k], 0);
}

static void figure1_panel(svg_doc *d, const repro_summary *s, int m, const svg_panel *shape)
{
    svg_panel p = *shape;
    series c[REPRO_MAX_LAMBDAS];
    char id[16];
    int l;
    double cw = F1_W / 3, ch = (F1_H - F1_TOP) / 2;
    p.left += (m % 3) * cw;
    p.top += (m / 3) * ch;
    snprintf(id, sizeof id, "panel-%c", 'a' + m);
    svg_group_begin(d, "panel", id);
    svg_panel_axes(d, &p, method_title[m], "% of weights removed", YLABEL);
    for (l = 0; l < n_lambdas(s); l++)
        prune_series(s, m, l, &c[l]);
    for (l = 0; l < n_lambdas(s); l++)
        draw_band(d, &p, &c[l], lambda_color[l]);
    for (l = 0; l < n_lambdas(s); l++)
        draw_line(d, &p, &c[l], lambda_color[l], NULL, 2.5);
    svg_group_end(d);
}

static void figure1_legend(svg_doc *d, const repro_summary *s)
{
    svg_legend_item it[REPRO_MAX_LAMBDAS];
    char label[REPRO_MAX_LAMBDAS][32];
    double w, h;
    int l;
    for (l = 0; l < n_lambdas(s); l++) {
        snprintf(label[l], sizeof label[l], "lambda = %g", s->lambdas[l]);
        it[l].label = label[l];
        it[l].color = lambda_color[l];
        it[l].dash = NULL;
        it[l].line = it[l].marker = it[l].band = 1;
        it[l].bar = 0;
    }
    svg_legend_size(it, n_lambdas(s), n_lambdas(s), &w, &h);
    svg_legend(d, (F1_W - w) / 2, 44, it, n_lambdas(s), n_lambdas(s));
}

static int figure1(const repro_summary *s, const char *path)
{
    svg_doc d;
    svg_panel p = {0};
    series c;
    range r = {0, 0, 0};
    char title[160], note[96];
    int m, l;
    for (m = 0; m < REPRO_METHODS; m++)
        for (l = 0; l < n_lambdas(s); l++) {
            prune_series(s, m, l, &c);
            range_series(&r, &c);
        }
    p.left = 80;
    p.top = F1_TOP + 30;
    p.width = F1_W / 3 - 80 - 24;
    p.height = (F1_H - F1_TOP) / 2 - 30 - 62;
    p.x1 = 100.0 * (REPRO_PRUNE_STEPS - 1) / REPRO_PRUNE_STEPS;
    p.x_step = 10;
    y_range(&r, &p);
    svg_begin(&d, F1_W, F1_H);
    seeds_note(note, sizeof note, s, "bands");
    snprintf(title, sizeof title, "Test accuracy as weights are removed (%s)", note);
    svg_text(&d, F1_W / 2, 30, 18, "middle", 0, 1, title);
    figure1_legend(&d, s);
    for (m = 0; m < REPRO_METHODS; m++)
        figure1_panel(&d, s, m, &p);
    return svg_end(&d, path);
}

// --- figure 2: accuracy against lambda

#define F2_W 900.0
#define F2_H 600.0

static void method_item(svg_legend_item *it, int m, int marker)
{
    it->label = method_title[m];
    it->color = method_color[m];
    it->dash = method_dash[m];
    it->line = it->band = 1;
    it->marker = marker;
    it->bar = 0;
}

#define F2_AXIS 52.0 /* below the plot area: tick labels and the axis label */

/* Up to three legend columns, fewer if the legend would not fit the width. */
static int bottom_columns(const svg_legend_item *it, int n)
{
    int columns;
    for (columns = 3; columns > 1; columns--) {
        double w, h;
        svg_legend_size(it, n, columns, &w, &h);
        if (w <= F2_W - 20)
            break;
    }
    return columns;
}

/* The area of the one-panel figures: the legend and a note go at the bottom,
 * centred under the axis label. */
static void bottom_layout(const svg_legend_item *it, int n, svg_panel *p)
{
    double w, h;
    svg_legend_size(it, n, bottom_columns(it, n), &w, &h);
    p->left = 84;
    p->top = 50;
    p->width = F2_W - p->left - 30;
    p->height = F2_H - p->top - F2_AXIS - h - 34;
}

static void bottom_legend(svg_doc *d, const svg_legend_item *it, int n, const svg_panel *p, const char *note)
{
    double w, h, y = p->top + p->height + F2_AXIS;
    int columns = bottom_columns(it, n);
    svg_legend_size(it, n, columns, &w, &h);
    svg_legend(d, (F2_W - w) / 2, y, it, n, columns);
    svg_text(d, F2_W / 2, y + h + 16, 11, "middle", 0, 0, note);
}

static void figure2_panel(svg_doc *d, const repro_summary *s, svg_panel *p)
{
    series c[REPRO_METHODS];
    range r = {0, 0, 0};
    int m, l;
    for (m = 0; m < REPRO_METHODS; m++) {
        c[m].n = 0;
        for (l = 0; l < n_lambdas(s); l++)
            series_add(&c[m], s->lambdas[l], &s->accuracy[m][l], 1);
        range_series(&r, &c[m]);
    }
    log_range(s->lambdas, n_lambdas(s), p);
    y_range(&r, p);
    svg_group_begin(d, "panel", "panel-accuracy");
    svg_panel_axes(d, p, "Test accuracy against lambda, by method", XLABEL_LAMBDA, YLABEL);
    for (m = 0; m < REPRO_METHODS; m++)
        draw_band(d, p, &c[m], method_color[m]);
    for (m = 0; m < REPRO_METHODS; m++)
        draw_line(d, p, &c[m], method_color[m], method_dash[m], 3.5);
    svg_group_end(d);
}

static int figure2(const repro_summary *s, const char *path)
{
    svg_doc d;
    svg_panel p = {0};
    svg_legend_item it[REPRO_METHODS];
    char note[96];
    int m;
    for (m = 0; m < REPRO_METHODS; m++)
        method_item(&it[m], m, 1);
    seeds_note(note, sizeof note, s, "bands");
    bottom_layout(it, REPRO_METHODS, &p);
    svg_begin(&d, F2_W, F2_H);
    figure2_panel(&d, s, &p);
    bottom_legend(&d, it, REPRO_METHODS, &p, note);
    return svg_end(&d, path);
}

// --- figure 3: one hypernet against a model per lambda

static const int dense_method[2] = {2, 4}; /* s->dense[0] is c, s->dense[1] is e */

static void figure3_series(const repro_summary *s, series *dense, series *direct, range *r)
{
    int k, i;
    for (k = 0; k < 2; k++) {
        dense[k].n = 0;
        for (i = 0; i < n_dense(s); i++)
            series_add(&dense[k], s->dense_lambda[i], &s->dense[k][i], 1);
        range_series(r, &dense[k]);
    }
    direct->n = 0;
    for (i = 0; i < n_lambdas(s); i++)
        series_add(direct, s->lambdas[i], &s->accuracy[0][i], 1);
    range_series(r, direct);
}

/* The x range covers both grids. */
static void figure3_x(const repro_summary *s, svg_panel *p)
{
    double x[REPRO_DENSE + REPRO_MAX_LAMBDAS];
    int i, n = 0;
    for (i = 0; i < n_dense(s); i++)
        x[n++] = s->dense_lambda[i];
    for (i = 0; i < n_lambdas(s); i++)
        x[n++] = s->lambdas[i];
    log_range(x, n, p);
}

static int figure3_legend(const repro_summary *s, svg_legend_item *it)
{
    static const char *const label[3] = {"(c) low-rank hypernet: one model", "(e) linear hypernet: one model",
                                         "(a) direct: a model per lambda"};
    int k, n = 0;
    for (k = 0; k < 2 && n_dense(s) > 0; k++, n++) {
        method_item(&it[n], dense_method[k], 0);
        it[n].label = label[k];
    }
    method_item(&it[n], 0, 1);
    it[n].label = label[2];
    it[n].line = it[n].band = 0;
    it[n].bar = 1;
    return n + 1;
}

static int figure3(const repro_summary *s, const char *path)
{
    svg_doc d;
    svg_panel p = {0};
    svg_legend_item it[3];
    series dense[2], direct;
    range r = {0, 0, 0};
    char note[96];
    int k, n = figure3_legend(s, it);
    seeds_note(note, sizeof note, s, "bands and bars");
    figure3_series(s, dense, &direct, &r);
    bottom_layout(it, n, &p);
    figure3_x(s, &p);
    y_range(&r, &p);
    svg_begin(&d, F2_W, F2_H);
    svg_group_begin(&d, "panel", "panel-dense");
    svg_panel_axes(&d, &p, "One hypernet serves every complexity", XLABEL_LAMBDA, YLABEL);
    for (k = 0; k < 2; k++)
        draw_band(&d, &p, &dense[k], method_color[dense_method[k]]);
    for (k = 0; k < 2; k++)
        draw_line(&d, &p, &dense[k], method_color[dense_method[k]], NULL, 0);
    draw_bars(&d, &p, &direct, method_color[0]);
    svg_group_end(&d);
    bottom_legend(&d, it, n, &p, note);
    return svg_end(&d, path);
}

// --- all three

int repro_write_figures(const repro_summary *s, const char *dir)
{
    static const char *const name[3] = {"figure1.svg", "figure2.svg", "figure3.svg"};
    static int (*const draw[3])(const repro_summary *, const char *) = {figure1, figure2, figure3};
    char path[4096];
    int i, rc;
    for (i = 0; i < 3; i++) {
        rc = figure_path(path, sizeof path, dir, name[i]);
        if (rc == VDL_OK)
            rc = draw[i](s, path);
        if (rc != VDL_OK)
            return rc;
    }
    return VDL_OK;
}
