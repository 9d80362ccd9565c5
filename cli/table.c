/*
 * table.c: results as an aligned table, CSV or JSON.
 */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int cli_format(const char *name)
{
    if (strcmp(name, "table") == 0)
        return FMT_TABLE;
    if (strcmp(name, "csv") == 0)
        return FMT_CSV;
    if (strcmp(name, "json") == 0)
        return FMT_JSON;
    return -1;
}

void table_init(cli_table *t, const char *title, int cols, const char *const *head)
{
    int i;
    memset(t, 0, sizeof *t);
    t->title = title;
    t->cols = cols < TABLE_MAX_COLS ? cols : TABLE_MAX_COLS;
    for (i = 0; i < t->cols; i++)
        t->head[i] = head[i];
}

void table_row(cli_table *t, const char *label, const char *number_format, const double *values, int n)
{
    int i;
    if (t->rows == TABLE_MAX_ROWS)
        return;
    snprintf(t->cell[t->rows][0], sizeof t->cell[0][0], "%s", label);
    for (i = 0; i < n && i + 1 < t->cols; i++) {
        if (isnan(values[i]))
            strcpy(t->cell[t->rows][i + 1], "-");
        else
            snprintf(t->cell[t->rows][i + 1], sizeof t->cell[0][0], number_format, values[i]);
    }
    t->rows++;
}

void table_print(const cli_table *t, out_format fmt)
{
    int r, c, width[TABLE_MAX_COLS];
    if (fmt == FMT_CSV) {
        for (c = 0; c < t->cols; c++)
            printf("%s%s", c ? "," : "", t->head[c]);
        printf("\n");
        for (r = 0; r < t->rows; r++)
            for (c = 0; c < t->cols; c++)
                printf("%s%s%s", c ? "," : "", t->cell[r][c], c + 1 == t->cols ? "\n" : "");
        return;
    }
    if (fmt == FMT_JSON) {
        printf("[");
        for (r = 0; r < t->rows; r++) {
            printf("%s\n  {", r ? "," : "");
            for (c = 0; c < t->cols; c++) {
                /* numbers stay numbers; "-" (no value) becomes null; labels are strings */
                const char *v = t->cell[r][c];
                if (c == 0)
                    printf("\"%s\": \"%s\"", t->head[c], v);
                else
                    printf(", \"%s\": %s", t->head[c], strcmp(v, "-") == 0 ? "null" : v);
            }
            printf("}");
        }
        printf("\n]\n");
        return;
    }
    for (c = 0; c < t->cols; c++) {
        width[c] = (int)strlen(t->head[c]);
        for (r = 0; r < t->rows; r++)
            if ((int)strlen(t->cell[r][c]) > width[c])
                width[c] = (int)strlen(t->cell[r][c]);
    }
    if (t->title)
        printf("%s\n", t->title);
    for (c = 0; c < t->cols; c++)
        printf(c ? "  %*s" : "%-*s", width[c], t->head[c]);
    printf("\n");
    for (r = 0; r < t->rows; r++) {
        for (c = 0; c < t->cols; c++)
            printf(c ? "  %*s" : "%-*s", width[c], t->cell[r][c]);
        printf("\n");
    }
}
