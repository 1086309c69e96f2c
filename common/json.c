/* json.c — see json.h. */
#include "json.h"
#include "util.h"

#include <math.h>
#include <string.h>

static void indent(Json *j)
{
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->af.f);
}

/* Comma, newline, indentation and "key": for the next value. */
static void start_value(Json *j, const char *key)
{
    fputs(j->count[j->depth]++ ? ",\n" : "\n", j->af.f);
    indent(j);
    if (key) {
        fputc('"', j->af.f);
        for (const char *p = key; *p; p++) {
            if (*p == '"' || *p == '\\')
                fputc('\\', j->af.f);
            fputc(*p, j->af.f);
        }
        fputs("\": ", j->af.f);
    }
}

static void open_level(Json *j, char bracket)
{
    fputc(bracket, j->af.f);
    if (++j->depth >= JSON_MAX_DEPTH)
        die("internal error: summary.json nested too deeply");
    j->count[j->depth] = 0;
}

static void close_level(Json *j, char bracket)
{
    int had_values = j->count[j->depth] > 0;
    j->depth--;
    if (had_values) {
        fputc('\n', j->af.f);
        indent(j);
    }
    fputc(bracket, j->af.f);
}

void json_open(Json *j, const char *path)
{
    atomic_open(&j->af, path);
    j->depth = 0;
    j->count[0] = 0;
    open_level(j, '{');
}

void json_close(Json *j)
{
    close_level(j, '}');
    fputc('\n', j->af.f);
    atomic_commit_and_report(&j->af, "json");
}

void json_begin_object(Json *j, const char *key) { start_value(j, key); open_level(j, '{'); }
void json_end_object(Json *j) { close_level(j, '}'); }
void json_begin_array(Json *j, const char *key) { start_value(j, key); open_level(j, '['); }
void json_end_array(Json *j) { close_level(j, ']'); }

void json_num(Json *j, const char *key, double v)
{
    start_value(j, key);
    if (isfinite(v))
        fprintf(j->af.f, "%.9g", v);
    else
        fputs("null", j->af.f);
}

void json_int(Json *j, const char *key, long long v)
{
    start_value(j, key);
    fprintf(j->af.f, "%lld", v);
}

void json_bool(Json *j, const char *key, int v)
{
    start_value(j, key);
    fputs(v ? "true" : "false", j->af.f);
}

void json_null(Json *j, const char *key)
{
    start_value(j, key);
    fputs("null", j->af.f);
}

void json_str(Json *j, const char *key, const char *s)
{
    if (!j)
        return;
    start_value(j, key);
    fputc('"', j->af.f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(j->af.f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", j->af.f);
        else if (*p < 0x20)
            fprintf(j->af.f, "\\u%04x", *p);
        else
            fputc(*p, j->af.f);
    }
    fputc('"', j->af.f);
}

void json_num_array(Json *j, const char *key, int n, const double *v)
{
    json_begin_array(j, key);
    for (int i = 0; i < n; i++)
        json_num(j, NULL, v[i]);
    json_end_array(j);
}

void json_files(Json *j)
{
    json_begin_array(j, "files");
    for (int i = 0; i < out_file_count(); i++)
        json_str(j, NULL, out_file(i));
    json_str(j, NULL, j->af.path);
    json_end_array(j);
}
