/*
 * svg.h: a tiny SVG writer for the reproduction's figures, so that plotting
 * needs nothing beyond the C library. A document grows in memory and is
 * written atomically at the end; panels map data coordinates to pixels and
 * draw their own axes.
 *
 * Coordinates are pixels from the top left and are printed with "%.2f"; a
 * non-finite coordinate is printed as 0 so a file never holds "nan" (callers
 * should skip such points in the first place). Colors are any SVG color
 * string ("#0072b2"); a NULL dash means a solid line.
 */
#ifndef VDL_SVG_H
#define VDL_SVG_H

#include "vdl_io.h"

/* Fill opacity of min-max bands, in plots and legend swatches alike. */
#define SVG_BAND_OPACITY 0.15

/* A document being written. Writes after an allocation failure are dropped
 * and svg_end() reports the failure. */
typedef struct svg_doc {
    vdl_wbuf buf;
    double width, height;
} svg_doc;

/* Start a width x height document with a white background. */
void svg_begin(svg_doc *d, double width, double height);

/* Close the document, write it to path (atomically) and free the buffer.
 * Returns VDL_OK, VDL_ENOMEM, or the error of vdl_write_file_atomic(). */
int svg_end(svg_doc *d, const char *path);

/* Raw markup, printf-style (at most 1023 bytes per call). Text inside it is
 * not escaped: use it for element syntax only. */
void svg_raw(svg_doc *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Open <g class="cls" id="id"> (either may be NULL) and close it. */
void svg_group_begin(svg_doc *d, const char *cls, const char *id);
void svg_group_end(svg_doc *d);

/* A straight line of the given stroke width. */
void svg_line(svg_doc *d, double x1, double y1, double x2, double y2, const char *color, double width,
              const char *dash);

/* A polyline through n points (x[i], y[i]). */
void svg_polyline(svg_doc *d, const double *x, const double *y, int n, const char *color, double width,
                  const char *dash);

/* A filled polygon without outline; opacity in [0, 1] (bands). */
void svg_polygon(svg_doc *d, const double *x, const double *y, int n, const char *fill, double opacity);

/* A rectangle; fill or stroke may be NULL for none. */
void svg_rect(svg_doc *d, double x, double y, double w, double h, const char *fill, const char *stroke);

/* A filled circle with a white rim (a marker that stays visible on lines). */
void svg_circle(svg_doc *d, double cx, double cy, double r, const char *fill);

/* Text at (x, y) (the baseline), escaped for XML. anchor is "start",
 * "middle" or "end"; rotate is in degrees about (x, y); bold != 0 for bold. */
void svg_text(svg_doc *d, double x, double y, double size, const char *anchor, double rotate, int bold,
              const char *text);

/* Rough rendered width of text in a sans-serif font of the given size (for
 * laying out legends without font metrics). */
double svg_text_width(const char *text, double size);

/* A plot area: the pixel rectangle and the data range it shows. */
typedef struct svg_panel {
    double left, top, width, height; /* the plot area in pixels */
    double x0, x1, y0, y1;           /* data range; x0, x1 > 0 if log_x */
    int log_x;                       /* 1: x on a log10 scale */
    double x_step, y_step;           /* linear tick spacing; 0 chooses one */
} svg_panel;

/* Pixel position of data coordinate x (or y) in panel p. */
double svg_panel_x(const svg_panel *p, double x);
double svg_panel_y(const svg_panel *p, double y);

/* Grid, frame, ticks with labels, axis labels and a title (above the plot
 * area). Log axes tick at powers of ten (and 2, 5 within a short range). */
void svg_panel_axes(svg_doc *d, const svg_panel *p, const char *title, const char *xlabel,
                    const char *ylabel);

/* One legend entry: a line sample (line != 0, dashed if dash), a marker
 * (marker != 0) with an error bar (bar != 0), over a light band swatch
 * (band != 0). */
typedef struct svg_legend_item {
    const char *label, *color, *dash;
    int line, marker, bar, band;
} svg_legend_item;

/* A boxed legend with its top left corner at (x, y), items filling rows of
 * `columns` entries (1: a single column; n: a single row). */
void svg_legend(svg_doc *d, double x, double y, const svg_legend_item *items, int n, int columns);

/* The legend's size in pixels, for placing it before drawing it. */
void svg_legend_size(const svg_legend_item *items, int n, int columns, double *w, double *h);

#endif
