/*
 * test_figures.c: the reproduction's SVG figures from a synthetic summary:
 * all three files are written, each is well-formed XML (checked by a small
 * parser here, itself tested on broken input), figure 1 has its six panels,
 * gaps in the data are skipped rather than drawn, no NaN reaches a file, and
 * a write into a missing folder fails with a message.
 */
#define _POSIX_C_SOURCE 200809L

#include "svg.h"
#include "vdl_repro.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static char dir[64];
static const char *const files[] = {"figure1.svg", "figure2.svg", "figure3.svg", "escape.svg"};

// --- a small well-formedness checker

#define MAX_DEPTH 64

typedef struct xml {
    const char *p;
    char stack[MAX_DEPTH][32];
    int depth, roots;
} xml;

static int name_char(int c) { return isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.'; }

/* Length of a valid entity reference at s (which starts with '&'), or 0. */
static size_t entity(const char *s)
{
    static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    size_t i, n = 2;
    for (i = 0; i < 5; i++)
        if (strncmp(s, named[i], strlen(named[i])) == 0)
            return strlen(named[i]);
    if (s[1] != '#')
        return 0;
    while (isdigit((unsigned char)s[n]))
        n++;
    return n > 2 && s[n] == ';' ? n + 1 : 0;
}

/* Read a name into out (at most 31 chars); 0 if there is none. */
static int read_name(xml *x, char *out)
{
    int n = 0;
    if (!isalpha((unsigned char)*x->p) && *x->p != '_')
        return 0;
    while (name_char((unsigned char)*x->p) && n < 31)
        out[n++] = *x->p++;
    out[n] = '\0';
    return !name_char((unsigned char)*x->p);
}

/* A quoted attribute value: no '<', and '&' only as an entity. */
static int read_value(xml *x)
{
    char q = *x->p++;
    if (q != '"' && q != '\'')
        return 0;
    for (; *x->p != q; x->p++) {
        if (*x->p == '\0' || *x->p == '<')
            return 0;
        if (*x->p == '&' && entity(x->p) == 0)
            return 0;
    }
    x->p++;
    return 1;
}

/* A start tag after '<': attributes, then '>' (pushed) or '/>'. */
static int start_tag(xml *x)
{
    char name[32], attr[32];
    if (!read_name(x, name) || (x->depth == 0 && x->roots++ > 0) || x->depth == MAX_DEPTH)
        return 0;
    for (;;) {
        int space = isspace((unsigned char)*x->p);
        while (isspace((unsigned char)*x->p))
            x->p++;
        if (strncmp(x->p, "/>", 2) == 0) {
            x->p += 2;
            return 1;
        }
        if (*x->p == '>') {
            x->p++;
            strcpy(x->stack[x->depth++], name);
            return 1;
        }
        if (!space || !read_name(x, attr) || *x->p++ != '=' || !read_value(x))
            return 0;
    }
}

/* An end tag after '</': must close the innermost open element. */
static int end_tag(xml *x)
{
    char name[32];
    if (!read_name(x, name) || *x->p++ != '>' || x->depth == 0)
        return 0;
    return strcmp(x->stack[--x->depth], name) == 0;
}

/* Character data: '&' only as an entity, only white space outside the root. */
static int text(xml *x)
{
    for (; *x->p && *x->p != '<'; x->p++) {
        if (*x->p == '&' && entity(x->p) == 0)
            return 0;
        if (x->depth == 0 && !isspace((unsigned char)*x->p))
            return 0;
    }
    return 1;
}

static int well_formed(const char *doc)
{
    xml x;
    memset(&x, 0, sizeof x);
    x.p = doc;
    if (strncmp(x.p, "<?xml", 5) == 0) {
        x.p = strstr(x.p, "?>");
        if (!x.p)
            return 0;
        x.p += 2;
    }
    while (*x.p) {
        int ok;
        if (strncmp(x.p, "<!--", 4) == 0) {
            x.p = strstr(x.p, "-->");
            ok = x.p != NULL;
            x.p = ok ? x.p + 3 : "";
        } else if (strncmp(x.p, "</", 2) == 0) {
            x.p += 2;
            ok = end_tag(&x);
        } else if (*x.p == '<') {
            x.p++;
            ok = start_tag(&x);
        } else {
            ok = text(&x);
        }
        if (!ok)
            return 0;
    }
    return x.depth == 0 && x.roots == 1;
}

static void checker_rejects_broken_xml(void **state)
{
    (void)state;
    assert_true(well_formed("<?xml version=\"1.0\"?>\n<a x=\"1\" y='2'><b/>t &amp; &#955;</a>\n"));
    assert_false(well_formed("<a><b></a></b>"));
    assert_false(well_formed("<a><b></b>"));
    assert_false(well_formed("<a x=1/>"));
    assert_false(well_formed("<a x=\"1\"y=\"2\"/>"));
    assert_false(well_formed("<a x=\"<\"/>"));
    assert_false(well_formed("<a>fish & chips</a>"));
    assert_false(well_formed("<a>1 < 2</a>"));
    assert_false(well_formed("<a/><b/>"));
    assert_false(well_formed("<a/>text"));
}

// --- helpers

static char *read_text(const char *name)
{
    char path[128];
    FILE *f;
    long n;
    char *s;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

static int count(const char *s, const char *what)
{
    int n = 0;
    for (s = strstr(s, what); s; s = strstr(s + 1, what))
        n++;
    return n;
}

/* "nan" or "inf" in any case: what printf makes of non-finite numbers. */
static int has_nonfinite(const char *s)
{
    for (; *s; s++) {
        char a = (char)tolower((unsigned char)s[0]);
        char b = a ? (char)tolower((unsigned char)s[1]) : 0;
        char c = b ? (char)tolower((unsigned char)s[2]) : 0;
        if ((a == 'n' && b == 'a' && c == 'n') || (a == 'i' && b == 'n' && c == 'f'))
            return 1;
    }
    return 0;
}

static void set_stat(repro_stat *st, int n, double mean, double below, double above)
{
    st->n = n;
    st->mean = mean;
    st->min = mean - below;
    st->max = mean + above;
}

/* Known numbers: accuracy falls with the method, lambda and pruning, and a
 * few cells are empty or diverged (NaN), to be skipped. */
static void synthetic(repro_summary *s, int dense)
{
    static const double grid[4] = {0.1, 1, 10, 100};
    int m, l, k, i;
    memset(s, 0, sizeof *s);
    s->n_lambdas = 4;
    s->seeds = 3;
    memcpy(s->lambdas, grid, sizeof grid);
    for (m = 0; m < REPRO_METHODS; m++)
        for (l = 0; l < 4; l++) {
            double acc = 0.95 - 0.02 * m - 0.03 * l;
            set_stat(&s->accuracy[m][l], 3, acc, 0.01, 0.008);
            for (k = 0; k < REPRO_PRUNE_STEPS; k++)
                set_stat(&s->prune[m][l][k], 3, acc - 0.003 * k * k / (l + 1), 0.02, 0.015);
        }
    set_stat(&s->prune[1][2][5], 0, NAN, 0, 0);   /* no runs: a gap */
    set_stat(&s->accuracy[5][3], 2, NAN, 0, 0);   /* diverged runs */
    s->n_dense = dense ? REPRO_DENSE : 0;
    for (i = 0; i < s->n_dense; i++) {
        double t = -2 + 5.0 * i / (REPRO_DENSE - 1);
        s->dense_lambda[i] = pow(10, t);
        set_stat(&s->dense[0][i], 3, 0.93 - 0.01 * (t + 2) * (t + 2), 0.01, 0.01);
        set_stat(&s->dense[1][i], 3, 0.94 - 0.015 * (t + 2) * (t + 2), 0.015, 0.01);
    }
    set_stat(&s->dense[1][7], 0, NAN, 0, 0);
}

// --- tests

static void figures_are_well_formed(void **state)
{
    repro_summary s;
    int i;
    (void)state;
    synthetic(&s, 1);
    assert_int_equal(repro_write_figures(&s, dir), VDL_OK);
    for (i = 0; i < 3; i++) {
        char *t = read_text(files[i]);
        assert_non_null(t);
        assert_true(well_formed(t));
        assert_false(has_nonfinite(t));
        assert_int_equal(count(t, "<svg"), 1);
        free(t);
    }
}

static void figure1_has_six_panels(void **state)
{
    static const char *const title[REPRO_METHODS] = {
        "(a) direct", "(b) direct, 1 epoch", "(c) low-rank hypernet", "(d) low-rank + fine-tuning",
        "(e) linear hypernet", "(f) linear + fine-tuning"};
    repro_summary s;
    char *t;
    int m;
    (void)state;
    synthetic(&s, 1);
    assert_int_equal(repro_write_figures(&s, dir), VDL_OK);
    t = read_text("figure1.svg");
    assert_non_null(t);
    assert_int_equal(count(t, "class=\"panel\""), 6);
    for (m = 0; m < REPRO_METHODS; m++) {
        char id[32];
        snprintf(id, sizeof id, "<g class=\"panel\" id=\"panel-%c\">", 'a' + m);
        assert_int_equal(count(t, id), 1);
        assert_non_null(strstr(t, title[m]));
    }
    assert_non_null(strstr(t, "lambda = 0.1<"));
    assert_non_null(strstr(t, "lambda = 100<"));
    /* 6 x 4 curves, one of them cut in two by the empty cell */
    assert_int_equal(count(t, "<polyline"), 25);
    free(t);
}

static void figure3_without_dense_grid(void **state)
{
    repro_summary s;
    char *t;
    (void)state;
    synthetic(&s, 0);
    assert_int_equal(repro_write_figures(&s, dir), VDL_OK);
    t = read_text("figure3.svg");
    assert_non_null(t);
    assert_true(well_formed(t));
    assert_false(has_nonfinite(t));
    assert_non_null(strstr(t, "One hypernet serves every complexity"));
    assert_non_null(strstr(t, "(a) direct: a model per lambda"));
    assert_null(strstr(t, "(c) low-rank hypernet"));
    assert_int_equal(count(t, "<polyline"), 0);
    free(t);
}

static void text_is_escaped(void **state)
{
    svg_doc d;
    char path[128], *t;
    (void)state;
    snprintf(path, sizeof path, "%s/escape.svg", dir);
    svg_begin(&d, 100, 50);
    svg_text(&d, 10, 20, 12, "start", 0, 0, "a<b & \"c\" 'd' >");
    assert_int_equal(svg_end(&d, path), VDL_OK);
    t = read_text("escape.svg");
    assert_non_null(t);
    assert_true(well_formed(t));
    assert_non_null(strstr(t, "a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt;"));
    free(t);
}

static void missing_folder_fails(void **state)
{
    repro_summary s;
    char missing[128];
    (void)state;
    synthetic(&s, 1);
    snprintf(missing, sizeof missing, "%s/no/such/folder", dir);
    vdl_clear_error();
    assert_int_not_equal(repro_write_figures(&s, missing), VDL_OK);
    assert_true(strlen(vdl_error()) > 0);
}

static int make_dir(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/vdl_figures_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char path[128];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        remove(path);
    }
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checker_rejects_broken_xml), cmocka_unit_test(figures_are_well_formed),
        cmocka_unit_test(figure1_has_six_panels),     cmocka_unit_test(figure3_without_dense_grid),
        cmocka_unit_test(text_is_escaped),            cmocka_unit_test(missing_folder_fails),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
