/* json.h — a small writer for summary.json: nested objects and arrays,
 * indented, written atomically. Keys are passed where the value sits in an
 * object and NULL where it sits in an array.
 *
 *     Json j;
 *     json_open(&j, out_path(dir, "summary.json"));
 *     json_str(&j, "chapter", "02-xor-mlp");
 *     json_begin_array(&j, "runs");
 *       json_begin_object(&j, NULL);
 *         json_num(&j, "lr", 0.5);
 *       json_end_object(&j);
 *     json_end_array(&j);
 *     json_files(&j);      // "files": every file out.c committed, plus this one
 *     json_close(&j);
 */
#ifndef JSON_H
#define JSON_H

#include "out.h"

#define JSON_MAX_DEPTH 16

typedef struct {
    AtomicFile af;
    int depth;
    int count[JSON_MAX_DEPTH]; /* values written so far at each level */
} Json;

void json_open(Json *j, const char *path); /* opens the top-level object */
void json_close(Json *j);                  /* closes it, renames into place, reports it */

void json_begin_object(Json *j, const char *key);
void json_end_object(Json *j);
void json_begin_array(Json *j, const char *key);
void json_end_array(Json *j);

void json_num(Json *j, const char *key, double v);   /* NaN/inf become null */
void json_int(Json *j, const char *key, long long v);
void json_bool(Json *j, const char *key, int v);
void json_str(Json *j, const char *key, const char *s);
void json_null(Json *j, const char *key);
void json_num_array(Json *j, const char *key, int n, const double *v);

/* "files": the files this run committed so far and the summary itself. The
 * Makefile adds the figures after gnuplot has drawn them
 * (build/bin/summary-files). */
void json_files(Json *j);

#endif
