/* out.h — writing results: every file is written under a temporary name and
 * renamed into place only once it is complete, so an interrupted or failed run
 * never leaves a half-written CSV or summary behind.
 *
 *     Csv c;
 *     csv_open(&c, out_path(dir, "errores.csv"), "epoch,and,or,xor");
 *     csv_row(&c, 3, (double[]){1, 2, 0});
 *     csv_close(&c);                       // rename happens here
 *
 * Every committed file is remembered, so summary.json can list what the run
 * wrote (out_files()). */
#ifndef OUT_H
#define OUT_H

#include <stdio.h>

typedef struct {
    FILE *f;
    char *path;  /* final name */
    char *tmp;   /* where the bytes go until atomic_commit() */
} AtomicFile;

/* Opens "<dir>/.<name>.tmp.<pid>" for writing; dies with a clear line if it
 * cannot. The temporary file is removed if the program exits before commit. */
void atomic_open(AtomicFile *af, const char *path);
/* Flushes, checks for write errors, closes and renames into place. */
void atomic_commit(AtomicFile *af);
/* The same, with the bytes forced to the disk (fsync) before the rename and
 * the rename itself after it (fsync of the folder): a power cut or crash at
 * any moment leaves the previous file whole or the new one. For models and
 * checkpoints; CSVs do not need the wait. */
void atomic_commit_durable(AtomicFile *af);
/* atomic_commit(), then the notebook's line for it (out_report(kind, path)). */
void atomic_commit_and_report(AtomicFile *af, const char *kind);
/* Throws the temporary file away. */
void atomic_abort(AtomicFile *af);

/* Makes the output folder (mkdir -p) and proves it is writable by creating
 * and removing a probe file, so a bad --out fails before any training. */
void out_prepare_dir(const char *dir);

/* "<dir>/<name>" in a static ring of buffers (valid for a few calls). */
const char *out_path(const char *dir, const char *name);

/* The notebook's line for a file written: "  csv     out/03-mnist-mlp/x.csv".
 * csv_close(), json_close() and st_save() print it themselves; a program
 * calls it only for a file it writes some other way. */
void out_report(const char *kind, const char *path);

/* Removes every temporary file not yet committed, from a signal handler
 * (only async-signal-safe calls): a second Ctrl-C that stops the program at
 * once leaves no half-written file behind (common/interrupt.c). */
void out_remove_temps_now(void);

/* Files committed so far, in order. */
int out_file_count(void);
const char *out_file(int i);

/* --- CSV --------------------------------------------------------------- */
typedef struct {
    AtomicFile af;
    int ncols;
} Csv;

/* header is the first line, e.g. "epoch,mse"; its commas give the column
 * count that csv_row() checks. */
void csv_open(Csv *c, const char *path, const char *header);
/* One row of numbers, printed with %.9g: enough digits to be exact for a
 * float and stable from run to run, so the same seed gives the same bytes. */
void csv_row(Csv *c, int n, const double *values);
/* The same, with an empty cell wherever a value is NaN or infinite: a curve
 * that stopped (a diverged run) or a line that misses the plot, which
 * gnuplot then leaves out. */
void csv_row_gaps(Csv *c, int n, const double *values);
/* Free-form row for the odd text column (labels, names). */
void csv_printf(Csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Commits the file (the rename) and reports it: "  csv     <path>". */
void csv_close(Csv *c);


#endif
