/* checkpoint.c — see checkpoint.h. */
#include "checkpoint.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- saving ------------------------------------------------------------- */
void ckpt_begin(Checkpoint *c, const char *kind)
{
    memset(c, 0, sizeof *c);
    st_meta_set(&c->meta, "checkpoint", kind);
}

void ckpt_put_str(Checkpoint *c, const char *key, const char *value)
{
    st_meta_set(&c->meta, key, value);
}

void ckpt_put_int(Checkpoint *c, const char *key, long value)
{
    char text[32];
    snprintf(text, sizeof text, "%ld", value);
    st_meta_set(&c->meta, key, text);
}

void ckpt_put_u64(Checkpoint *c, const char *key, uint64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRIu64, value);
    st_meta_set(&c->meta, key, text);
}

void ckpt_put_double(Checkpoint *c, const char *key, double value)
{
    char text[40];
    snprintf(text, sizeof text, "%a", value);   /* hexadecimal: exact, strtod reads it back */
    st_meta_set(&c->meta, key, text);
}

/* key.suffix, for the generator's parts. */
static const char *subkey(const char *key, const char *suffix)
{
    static char buf[4][64];
    static int next;
    char *k = buf[next++ % 4];
    snprintf(k, sizeof buf[0], "%s.%s", key, suffix);
    return k;
}

void ckpt_put_rng(Checkpoint *c, const char *key, const Rng *r)
{
    static const char *const part[4] = {"s0", "s1", "s2", "s3"};
    for (int i = 0; i < 4; i++)
        ckpt_put_u64(c, subkey(key, part[i]), r->s[i]);
    ckpt_put_int(c, subkey(key, "has_spare"), r->has_spare);
    ckpt_put_double(c, subkey(key, "spare"), r->spare);
}

void ckpt_save(Checkpoint *c, const char *path)
{
    st_save_meta(path, c->t, c->n, &c->meta, NULL);
    c->n = 0;
}

/* --- the tensors ---------------------------------------------------------- */
static StTensor *add_tensor(Checkpoint *c, const char *name, int ndim, const int *shape)
{
    if (c->n == CKPT_MAX_TENSORS)
        die("internal: more than %d tensors in a checkpoint", CKPT_MAX_TENSORS);
    if (ndim < 1 || ndim > ST_MAX_DIMS)
        die("internal: checkpoint tensor '%s' has %d dimensions", name, ndim);
    StTensor *t = &c->t[c->n];
    snprintf(c->names[c->n], sizeof c->names[0], "%s", name);
    memset(t, 0, sizeof *t);
    t->name = c->names[c->n++];
    t->ndim = ndim;
    memcpy(t->shape, shape, sizeof(int) * (size_t)ndim);
    return t;
}

void ckpt_add_real(Checkpoint *c, const char *name, int ndim, const int *shape, real *data)
{
    add_tensor(c, name, ndim, shape)->data = data;
}

void ckpt_add_f64(Checkpoint *c, const char *name, int n, double *data)
{
    add_tensor(c, name, 1, &n)->f64 = data;
}

void ckpt_add_i32(Checkpoint *c, const char *name, int n, int32_t *data)
{
    add_tensor(c, name, 1, &n)->i32 = data;
}

/* --- the run's settings ---------------------------------------------------- */
int ckpt_resuming(const Checkpoint *c) { return c->file != NULL; }

void ckpt_setting(Checkpoint *c, const char *key, const char *value, const char *flag)
{
    if (ckpt_resuming(c))
        ckpt_expect(c, key, value, flag);
    else
        ckpt_put_str(c, key, value);
}

void ckpt_setting_int(Checkpoint *c, const char *key, long value, const char *flag)
{
    if (ckpt_resuming(c))
        ckpt_expect_int(c, key, value, flag);
    else
        ckpt_put_int(c, key, value);
}

void ckpt_setting_double(Checkpoint *c, const char *key, double value, const char *flag)
{
    if (ckpt_resuming(c))
        ckpt_expect_double(c, key, value, flag);
    else
        ckpt_put_double(c, key, value);
}

void ckpt_add_optimizer(Checkpoint *c, Optimizer *o)
{
    static const char *const state_name[OPTIM_MAX_STATE] = {"optimizer.m", "optimizer.v"};
    int n = (int)o->n;
    for (int s = 0; s < o->rule->nstate; s++)
        ckpt_add_real(c, state_name[s], 1, &n, o->state[s]);
    if (ckpt_resuming(c)) {   /* the same rule, and its step count back */
        ckpt_expect(c, "optimizer", o->rule->name, "--opt");
        o->t = ckpt_get_int(c, "optimizer.step", 0, 1L << 40);
    } else {
        ckpt_put_str(c, "optimizer", o->rule->name);
        ckpt_put_double(c, "optimizer.lr", o->lr);
        ckpt_put_int(c, "optimizer.step", o->t);
    }
}

/* --- resuming ------------------------------------------------------------- */
int ckpt_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

void ckpt_open(Checkpoint *c, const char *path, const char *kind)
{
    memset(c, 0, sizeof *c);
    char err[512];
    c->path = path;
    c->file = st_read_file(path, &c->size, err, sizeof err);
    if (!c->file)
        die("%s", err);
    if (st_parse_meta(c->file, c->size, path, &c->meta, err, sizeof err))
        die("%s", err);
    const char *found = st_meta_get(&c->meta, "checkpoint");
    if (!found)
        die("%s: no es un punto de control (un modelo, quizá: le falta la clave 'checkpoint')",
            path);
    if (strcmp(found, kind) != 0)
        die("%s: es un punto de control de '%s', no de '%s'", path, found, kind);
}

const char *ckpt_get_str(const Checkpoint *c, const char *key)
{
    const char *v = st_meta_get(&c->meta, key);
    if (!v)
        die("%s: al punto de control le falta '%s'", c->path, key);
    return v;
}

long ckpt_get_int(const Checkpoint *c, const char *key, long lo, long hi)
{
    const char *text = ckpt_get_str(c, key);
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < lo || v > hi)
        die("%s: '%s' vale '%s' en el punto de control; debe ser un entero de %ld a %ld",
            c->path, key, text, lo, hi);
    return v;
}

uint64_t ckpt_get_u64(const Checkpoint *c, const char *key)
{
    const char *text = ckpt_get_str(c, key);
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || *end || text[0] == '-')
        die("%s: '%s' vale '%s' en el punto de control; debe ser un entero sin signo",
            c->path, key, text);
    return (uint64_t)v;
}

double ckpt_get_double(const Checkpoint *c, const char *key)
{
    const char *text = ckpt_get_str(c, key);
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end)
        die("%s: '%s' vale '%s' en el punto de control; debe ser un número", c->path, key,
            text);
    return v;
}

void ckpt_get_rng(const Checkpoint *c, const char *key, Rng *r)
{
    static const char *const part[4] = {"s0", "s1", "s2", "s3"};
    for (int i = 0; i < 4; i++)
        r->s[i] = ckpt_get_u64(c, subkey(key, part[i]));
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))   /* xoshiro's one forbidden state */
        die("%s: el estado del generador '%s' es todo ceros", c->path, key);
    r->has_spare = (int)ckpt_get_int(c, subkey(key, "has_spare"), 0, 1);
    r->spare = ckpt_get_double(c, subkey(key, "spare"));
}

void ckpt_expect(const Checkpoint *c, const char *key, const char *value, const char *flag)
{
    const char *was = ckpt_get_str(c, key);
    if (strcmp(was, value) != 0)
        die("%s: el punto de control es de una corrida con %s %s, y esta pide %s: quite "
            "--resume (empieza de cero) o use los mismos ajustes", c->path, flag, was, value);
}

void ckpt_expect_int(const Checkpoint *c, const char *key, long value, const char *flag)
{
    char text[32];
    snprintf(text, sizeof text, "%ld", value);
    ckpt_expect(c, key, text, flag);
}

void ckpt_expect_double(const Checkpoint *c, const char *key, double value, const char *flag)
{
    double was = ckpt_get_double(c, key);
    if (was != value)
        die("%s: el punto de control es de una corrida con %s %g, y esta pide %g: quite "
            "--resume (empieza de cero) o use los mismos ajustes", c->path, flag, was, value);
}

void ckpt_read(Checkpoint *c)
{
    char err[512];
    if (st_parse(c->file, c->size, c->path, c->t, c->n, NULL, err, sizeof err))
        die("%s", err);
    free(c->file);
    c->file = NULL;
    c->n = 0;
}

void ckpt_check_permutation(const Checkpoint *c, const char *name, const int32_t *order,
                            int n)
{
    unsigned char *seen = xcalloc((size_t)n + 1, 1);
    int bad = -1;
    for (int i = 0; i < n && bad < 0; i++) {
        if (order[i] < 0 || order[i] >= n || seen[order[i]])
            bad = i;
        else
            seen[order[i]] = 1;
    }
    free(seen);   /* before die(): LeakSanitizer counts what is still held */
    if (bad >= 0)
        die("%s: '%s' no es una permutación de 0..%d (posición %d: %ld): punto de control "
            "dañado", c->path, name, n - 1, bad, (long)order[bad]);
}
