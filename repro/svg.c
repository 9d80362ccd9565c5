/*
 * svg.c: the tiny SVG writer of svg.h.
 */
#include "svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FONT "DejaVu Sans, Helvetica, Arial, sans-serif"
#define AXIS_COLOR "#333333"
#define GRID_COLOR "#e5e5e5"
#define LABEL_SIZE 13.0
#define TICK_SIZE 11.0
#define TITLE_SIZE 14.0

// --- output

static void put(svg_doc *d, const char *s) { vdl_wbuf_bytes(&d->buf, s, strlen(s)); }

void svg_raw(svg_doc *d, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    put(d, line);
}

/* A coordinate: "%.2f", with 0 for NaN or Inf so the file stays valid. */
static void num(svg_doc *d, double v)
{
    svg_raw(d, "%.2f", isfinite(v) ? v : 0.0);
}

/* A named numeric attribute: ` name="v"`. */
static void attr_num(svg_doc *d, const char *name, double v)
{
    svg_raw(d, " %s=\"", name);
    num(d, v);
    put(d, "\"");
}

/* Text with the five XML special characters escaped. */
static void escaped(svg_doc *d, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': put(d, "&amp;"); break;
        case '<': put(d, "&lt;"); break;
        case '>': put(d, "&gt;"); break;
        case '"': put(d, "&quot;"); break;
        case '\'': put(d, "&apos;"); break;
        default: vdl_wbuf_bytes(&d->buf, s, 1);
        }
    }
}

/* A named string attribute, escaped: ` name="s"`. */
static void attr_str(svg_doc *d, const char *name, const char *s)
{
    svg_raw(d, " %s=\"", name);
    escaped(d, s);
    put(d, "\"");
}

static void stroke_attrs(svg_doc *d, const char *color, double width, const char *dash)
{
    attr_str(d, "stroke", color);
    attr_num(d, "stroke-width", width);
    if (dash)
        attr_str(d, "stroke-dasharray", dash);
}

// --- document

void svg_begin(svg_doc *d, double width, double height)
{
    vdl_wbuf_init(&d->buf);
    d->width = width;
    d->height = height;
    put(d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"");
    attr_num(d, "width", width);
    attr_num(d, "height", height);
    svg_raw(d, " viewBox=\"0 0 %.2f %.2f\" font-family=\"%s\">\n", width, height, FONT);
    svg_rect(d, 0, 0, width, height, "#ffffff", NULL);
}

int svg_end(svg_doc *d, const char *path)
{
    int rc;
    put(d, "</svg>\n");
    if (d->buf.failed)
        rc = vdl_set_error(VDL_ENOMEM, "out of memory writing '%s'", path);
    else
        rc = vdl_write_file_atomic(path, d->buf.data, d->buf.len);
    vdl_wbuf_free(&d->buf);
    return rc;
}

void svg_group_begin(svg_doc *d, const char *cls, const char *id)
{
    put(d, "<g");
    if (cls)
        attr_str(d, "class", cls);
    if (id)
        attr_str(d, "id", id);
    put(d, ">\n");
}

void svg_group_end(svg_doc *d) { put(d, "</g>\n"); }

// --- shapes

void svg_line(svg_doc *d, double x1, double y1, double x2, double y2, const char *color, double width,
              const char *dash)
{
    put(d, "<line");
    attr_num(d, "x1", x1);
    attr_num(d, "y1", y1);
    attr_num(d, "x2", x2);
    attr_num(d, "y2", y2);
    stroke_attrs(d, color, width, dash);
    put(d, "/>\n");
}

static void points(svg_doc *d, const double *x, const double *y, int n)
{
    int i;
    put(d, " points=\"");
    for (i = 0; i < n; i++) {
        if (i)
            put(d, " ");
        num(d, x[i]);
        put(d, ",");
        num(d, y[i]);
    }
    put(d, "\"");
}

void svg_polyline(svg_doc *d, const double *x, const double *y, int n, const char *color, double width,
                  const char *dash)
{
    put(d, "<polyline fill=\"none\" stroke-linejoin=\"round\"");
    points(d, x, y, n);
    stroke_attrs(d, color, width, dash);
    put(d, "/>\n");
}

void svg_polygon(svg_doc *d, const double *x, const double *y, int n, const char *fill, double opacity)
{
    put(d, "<polygon stroke=\"none\"");
    points(d, x, y, n);
    attr_str(d, "fill", fill);
    attr_num(d, "fill-opacity", opacity);
    put(d, "/>\n");
}

void svg_rect(svg_doc *d, double x, double y, double w, double h, const char *fill, const char *stroke)
{
    put(d, "<rect");
    attr_num(d, "x", x);
    attr_num(d, "y", y);
    attr_num(d, "width", w);
    attr_num(d, "height", h);
    attr_str(d, "fill", fill ? fill : "none");
    attr_str(d, "stroke", stroke ? stroke : "none");
    put(d, "/>\n");
}

void svg_circle(svg_doc *d, double cx, double cy, double r, const char *fill)
{
    put(d, "<circle");
    attr_num(d, "cx", cx);
    attr_num(d, "cy", cy);
    attr_num(d, "r", r);
    attr_str(d, "fill", fill);
    put(d, " stroke=\"#ffffff\" stroke-width=\"1.00\"/>\n");
}

void svg_text(svg_doc *d, double x, double y, double size, const char *anchor, double rotate, int bold,
              const char *text)
{
    put(d, "<text");
    attr_num(d, "x", x);
    attr_num(d, "y", y);
    attr_num(d, "font-size", size);
    attr_str(d, "text-anchor", anchor);
    attr_str(d, "fill", "#111111");
    if (bold)
        put(d, " font-weight=\"bold\"");
    if (rotate != 0)
        svg_raw(d, " transform=\"rotate(%.2f %.2f %.2f)\"", rotate, x, y);
    put(d, ">");
    escaped(d, text);
    put(d, "</text>\n");
}

/* Approximate advance of one character in em (DejaVu Sans classes). */
static double char_em(unsigned char c)
{
    if (c == ' ')
        return 0.32;
    if (strchr("ijl.,:;!|'", c))
        return 0.28;
    if (strchr("frt()[]-", c))
        return 0.4;
    if (strchr("mwMW", c))
        return 0.92;
    if (c >= 'A' && c <= 'Z')
        return 0.7;
    return 0.6;
}

double svg_text_width(const char *text, double size)
{
    /* bytes of a UTF-8 sequence after the first take no width */
    double em = 0;
    for (; *text; text++)
        if (((unsigned char)*text & 0xC0) != 0x80)
            em += char_em((unsigned char)*text);
    return em * size;
}

// --- panels

double svg_panel_x(const svg_panel *p, double x)
{
    double a = p->x0, b = p->x1;
    if (p->log_x) {
        a = log10(a);
        b = log10(b);
        x = log10(x);
    }
    return b != a ? p->left + p->width * (x - a) / (b - a) : p->left + p->width / 2;
}

double svg_panel_y(const svg_panel *p, double y)
{
    double a = p->y0, b = p->y1;
    return b != a ? p->top + p->height * (b - y) / (b - a) : p->top + p->height / 2;
}

#define MAX_TICKS 128

/* Tick positions and labels along one axis; minor ticks have no label. */
typedef struct ticks {
    int n;
    double v[MAX_TICKS];
    int minor[MAX_TICKS];
    char label[MAX_TICKS][24];
} ticks;

static void add_tick(ticks *t, double v, int minor, int decimals)
{
    if (t->n == MAX_TICKS)
        return;
    t->v[t->n] = v;
    t->minor[t->n] = minor;
    if (minor)
        t->label[t->n][0] = '\0';
    else if (decimals < 0)
        snprintf(t->label[t->n], sizeof t->label[0], "%g", v);
    else
        snprintf(t->label[t->n], sizeof t->label[0], "%.*f", decimals, v);
    t->n++;
}

/* 1, 2 or 5 times a power of ten, giving about `target` intervals. */
static double nice_step(double range, int target)
{
    double raw = range / target, mag, r;
    if (!(raw > 0) || !isfinite(raw))
        return 1;
    mag = pow(10, floor(log10(raw)));
    r = raw / mag;
    return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

static void linear_ticks(double a, double b, double step, ticks *t)
{
    double k0;
    int i, decimals;
    if (!(step > 0))
        step = nice_step(b - a, 5);
    decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    k0 = ceil(a / step - 1e-9);
    t->n = 0;
    for (i = 0; i < MAX_TICKS && (k0 + i) * step <= b + 1e-9 * step; i++) {
        double v = (k0 + i) * step;
        add_tick(t, fabs(v) < 1e-9 * step ? 0 : v, 0, decimals);
    }
}

/* Powers of ten, labelled; 2..9 times them as minor ticks (left out over
 * more than six decades), with 2 and 5 labelled as well when the range spans
 * less than two decades. */
static void log_ticks(double a, double b, ticks *t)
{
    double decades = log10(b / a);
    int e, m, few = decades < 2, minor = decades <= 6;
    t->n = 0;
    for (e = (int)floor(log10(a)); e <= (int)ceil(log10(b)) && t->n < MAX_TICKS; e++) {
        for (m = 1; m <= 9; m++) {
            double v = m * pow(10, e);
            int major = m == 1 || (few && (m == 2 || m == 5));
            if ((major || minor) && v >= a * (1 - 1e-9) && v <= b * (1 + 1e-9))
                add_tick(t, v, !major, -1);
        }
    }
}

#define TICK_LEN 5.0

static void x_axis(svg_doc *d, const svg_panel *p, const char *xlabel)
{
    ticks t;
    double bottom = p->top + p->height;
    int i;
    if (p->log_x)
        log_ticks(p->x0, p->x1, &t);
    else
        linear_ticks(p->x0, p->x1, p->x_step, &t);
    for (i = 0; i < t.n; i++) {
        double x = svg_panel_x(p, t.v[i]);
        if (!t.minor[i])
            svg_line(d, x, p->top, x, bottom, GRID_COLOR, 1, NULL);
        svg_line(d, x, bottom, x, bottom + (t.minor[i] ? TICK_LEN / 2 : TICK_LEN), AXIS_COLOR, 1, NULL);
        if (!t.minor[i])
            svg_text(d, x, bottom + TICK_LEN + TICK_SIZE + 2, TICK_SIZE, "middle", 0, 0, t.label[i]);
    }
    svg_text(d, p->left + p->width / 2, bottom + TICK_LEN + TICK_SIZE + LABEL_SIZE + 10, LABEL_SIZE,
             "middle", 0, 0, xlabel);
}

static void y_axis(svg_doc *d, const svg_panel *p, const char *ylabel)
{
    ticks t;
    double widest = 0;
    int i;
    linear_ticks(p->y0, p->y1, p->y_step, &t);
    for (i = 0; i < t.n; i++) {
        double y = svg_panel_y(p, t.v[i]), w = svg_text_width(t.label[i], TICK_SIZE);
        svg_line(d, p->left, y, p->left + p->width, y, GRID_COLOR, 1, NULL);
        svg_line(d, p->left - TICK_LEN, y, p->left, y, AXIS_COLOR, 1, NULL);
        svg_text(d, p->left - TICK_LEN - 3, y + TICK_SIZE * 0.35, TICK_SIZE, "end", 0, 0, t.label[i]);
        widest = w > widest ? w : widest;
    }
    svg_text(d, p->left - TICK_LEN - 3 - widest - 8, p->top + p->height / 2, LABEL_SIZE, "middle", -90, 0,
             ylabel);
}

void svg_panel_axes(svg_doc *d, const svg_panel *p, const char *title, const char *xlabel,
                    const char *ylabel)
{
    x_axis(d, p, xlabel);
    y_axis(d, p, ylabel);
    svg_rect(d, p->left, p->top, p->width, p->height, NULL, AXIS_COLOR);
    svg_text(d, p->left + p->width / 2, p->top - 10, TITLE_SIZE, "middle", 0, 1, title);
}

// --- legends

#define LEG_SIZE 12.0   /* font size */
#define LEG_ROW 20.0    /* row height */
#define LEG_SAMPLE 28.0 /* width of the line sample */
#define LEG_PAD 8.0
#define LEG_GAP 18.0    /* between columns */
#define MAX_COLUMNS 16

static double item_width(const svg_legend_item *it)
{
    return LEG_SAMPLE + 6 + svg_text_width(it->label, LEG_SIZE);
}

/* Items fill rows left to right; each column is as wide as its widest item.
 * Returns the number of columns used, with their widths in w. */
static int column_widths(const svg_legend_item *items, int n, int columns, double *w)
{
    int i;
    columns = columns < 1 ? 1 : columns > MAX_COLUMNS ? MAX_COLUMNS : columns;
    columns = columns > n ? n : columns;
    for (i = 0; i < columns; i++)
        w[i] = 0;
    for (i = 0; i < n; i++) {
        double iw = item_width(&items[i]);
        w[i % columns] = iw > w[i % columns] ? iw : w[i % columns];
    }
    return columns;
}

void svg_legend_size(const svg_legend_item *items, int n, int columns, double *w, double *h)
{
    double cw[MAX_COLUMNS];
    int i, used = column_widths(items, n, columns, cw);
    *w = 2 * LEG_PAD;
    for (i = 0; i < used; i++)
        *w += cw[i] + (i ? LEG_GAP : 0);
    *h = 2 * LEG_PAD + (used ? (n + used - 1) / used : 0) * LEG_ROW - 4;
}

/* One entry's sample, centred vertically on y, starting at x. */
static void legend_sample(svg_doc *d, const svg_legend_item *it, double x, double y)
{
    double mid = x + LEG_SAMPLE / 2;
    if (it->band) {
        double bx[4] = {x, x + LEG_SAMPLE, x + LEG_SAMPLE, x}, by[4] = {y - 6, y - 6, y + 6, y + 6};
        svg_polygon(d, bx, by, 4, it->color, SVG_BAND_OPACITY);
    }
    if (it->line)
        svg_line(d, x, y, x + LEG_SAMPLE, y, it->color, 2, it->dash);
    if (it->bar) {
        svg_line(d, mid, y - 7, mid, y + 7, it->color, 1.5, NULL);
        svg_line(d, mid - 3, y - 7, mid + 3, y - 7, it->color, 1.5, NULL);
        svg_line(d, mid - 3, y + 7, mid + 3, y + 7, it->color, 1.5, NULL);
    }
    if (it->marker)
        svg_circle(d, mid, y, 4, it->color);
}

void svg_legend(svg_doc *d, double x, double y, const svg_legend_item *items, int n, int columns)
{
    double w, h, cw[MAX_COLUMNS];
    int i, used = column_widths(items, n, columns, cw);
    svg_legend_size(items, n, columns, &w, &h);
    svg_group_begin(d, "legend", NULL);
    svg_raw(d, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" rx=\"4.00\" fill=\"#ffffff\" "
               "stroke=\"#bbbbbb\"/>\n", x, y, w, h);
    for (i = 0; i < n; i++) {
        double cx = x + LEG_PAD, cy = y + LEG_PAD + LEG_ROW / 2 - 2 + (i / used) * LEG_ROW;
        int c;
        for (c = 0; c < i % used; c++)
            cx += cw[c] + LEG_GAP;
        legend_sample(d, &items[i], cx, cy);
        svg_text(d, cx + LEG_SAMPLE + 6, cy + LEG_SIZE * 0.35, LEG_SIZE, "start", 0, 0, items[i].label);
    }
    svg_group_end(d);
}
