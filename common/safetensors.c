/* safetensors.c — the writer and the strict reader described in safetensors.h. */
#include "safetensors.h"
#include "out.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A header larger than this is not one of ours (ours are a few hundred bytes);
 * refusing it early keeps a damaged length from asking for gigabytes. */
#define ST_MAX_HEADER (16u << 20)
#define ST_MAX_ENTRIES 256

size_t st_numel(const StTensor *t)
{
    size_t n = 1;
    for (int d = 0; d < t->ndim; d++)
        n *= (size_t)t->shape[d];
    return n;
}

/* --- little-endian bytes, whatever the machine's own order ---------------- */
static void put_u64_le(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static uint64_t get_u64_le(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}
static void put_f32_le(unsigned char *p, float f)
{
    uint32_t bits;
    memcpy(&bits, &f, 4);
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(bits >> (8 * i));
}
static uint32_t get_u32_le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static float get_f32_le(const unsigned char *p)
{
    uint32_t bits = get_u32_le(p);
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static void put_f64_le(unsigned char *p, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, 8);
    put_u64_le(p, bits);
}
static double get_f64_le(const unsigned char *p)
{
    uint64_t bits = get_u64_le(p);
    double d;
    memcpy(&d, &bits, 8);
    return d;
}

/* The dtype a tensor is kept in on disk, and its bytes per value. */
static const char *dtype_of(const StTensor *t)
{
    return t->i32 ? "I32" : t->f64 ? "F64" : "F32";
}
static size_t value_bytes(const StTensor *t) { return t->f64 ? 8 : 4; }

/* Value j of t as little-endian bytes at p. */
static void put_value(unsigned char *p, const StTensor *t, size_t j)
{
    if (t->i32)
        for (int i = 0; i < 4; i++)
            p[i] = (unsigned char)((uint32_t)t->i32[j] >> (8 * i));
    else if (t->f64)
        put_f64_le(p, t->f64[j]);
    else
        put_f32_le(p, (float)t->data[j]);
}

const char *st_meta_get(const StMeta *meta, const char *key)
{
    for (int i = 0; meta && i < meta->n; i++)
        if (strcmp(meta->key[i], key) == 0)
            return meta->value[i];
    return NULL;
}

void st_meta_set(StMeta *meta, const char *key, const char *value)
{
    int i = 0;
    while (i < meta->n && strcmp(meta->key[i], key) != 0)
        i++;
    if (i == ST_MAX_META)
        die("internal: more than %d metadata entries", ST_MAX_META);
    if (strlen(key) >= sizeof meta->key[0] || strlen(value) >= sizeof meta->value[0])
        die("internal: metadata '%s' too long", key);
    snprintf(meta->key[i], sizeof meta->key[0], "%s", key);
    snprintf(meta->value[i], sizeof meta->value[0], "%s", value);
    if (i == meta->n)
        meta->n++;
}

/* --- writing ---------------------------------------------------------------- */
/* A growing text buffer for the JSON header. */
typedef struct {
    char *s;
    size_t len, cap;
} Text;

static void text_add(Text *t, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void text_add(Text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (k < 0)
            die("safetensors: cannot format the header");
        if (t->len + (size_t)k < t->cap) {
            t->len += (size_t)k;
            return;
        }
        t->cap = 2 * (t->cap + (size_t)k) + 64;
        t->s = xrealloc(t->s, t->cap);
    }
}

/* A JSON string of ours: printable ASCII; quotes and backslashes escaped. */
static void text_add_string(Text *h, const char *s)
{
    text_add(h, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            text_add(h, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            die("internal: metadata holds a character that is not printable ASCII");
        else
            text_add(h, "%c", c);
    }
    text_add(h, "\"");
}

void st_save(const char *path, const StTensor *tensors, int n)
{
    st_save_meta(path, tensors, n, NULL, "modelo");
}

void st_save_meta(const char *path, const StTensor *tensors, int n, const StMeta *meta,
                  const char *kind)
{
    /* The header: tensors in the order given, data packed one after another. */
    Text h = {xmalloc(256), 0, 256};
    text_add(&h, "{\"__metadata__\":{\"format\":\"pt\"");
    for (int i = 0; meta && i < meta->n; i++) {
        if (strcmp(meta->key[i], "format") == 0)
            continue;
        text_add(&h, ",");
        text_add_string(&h, meta->key[i]);
        text_add(&h, ":");
        text_add_string(&h, meta->value[i]);
    }
    text_add(&h, "}");
    uint64_t offset = 0;
    for (int i = 0; i < n; i++) {
        const StTensor *t = &tensors[i];
        if (t->ndim < 1 || t->ndim > ST_MAX_DIMS)
            die("safetensors: tensor '%s' has %d dimensions (1..%d allowed)", t->name,
                t->ndim, ST_MAX_DIMS);
        uint64_t bytes = value_bytes(t) * (uint64_t)st_numel(t);
        text_add(&h, ",\"%s\":{\"dtype\":\"%s\",\"shape\":[", t->name, dtype_of(t));
        for (int d = 0; d < t->ndim; d++)
            text_add(&h, "%s%d", d ? "," : "", t->shape[d]);
        text_add(&h, "],\"data_offsets\":[%llu,%llu]}", (unsigned long long)offset,
                 (unsigned long long)(offset + bytes));
        offset += bytes;
    }
    text_add(&h, "}");
    /* Pad with spaces so the tensor data starts on an 8-byte boundary, as the
     * reference implementation does (the spec allows trailing whitespace). */
    while ((8 + h.len) % 8)
        text_add(&h, " ");

    AtomicFile af;
    atomic_open(&af, path);
    unsigned char len8[8];
    put_u64_le(len8, h.len);
    fwrite(len8, 1, 8, af.f);
    fwrite(h.s, 1, h.len, af.f);
    unsigned char buf[4 * 1024];
    for (int i = 0; i < n; i++) {
        size_t count = st_numel(&tensors[i]), k = 0, size = value_bytes(&tensors[i]);
        for (size_t j = 0; j < count; j++) {
            put_value(buf + k, &tensors[i], j);
            k += size;
            if (k == sizeof buf || j + 1 == count) {
                fwrite(buf, 1, k, af.f);
                k = 0;
            }
        }
    }
    /* fsync, then rename: a crash now leaves the old file or the new one,
     * whole (checks ferror: a short write dies there) */
    atomic_commit_durable(&af);
    if (kind)
        out_report(kind, path);
    free(h.s);
}

/* --- reading: a small, strict JSON parser for the header ------------------- */
typedef struct {
    char name[128];
    char dtype[16];
    int ndim;
    long long shape[8];
    unsigned long long begin, end;
    int seen_dtype, seen_shape, seen_offsets;
} Entry;

typedef struct {
    const char *s;  /* the header text (not NUL-terminated) */
    size_t n, pos;
    char *err;      /* where the one-line message goes */
    size_t errlen;
    const char *path;
    int failed;
    StMeta *meta;   /* where "__metadata__" goes (NULL: checked, not kept) */
} Parser;

static int fail(Parser *p, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int fail(Parser *p, const char *fmt, ...)
{
    if (p->failed)
        return -1; /* keep the first, most precise message */
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* a name read from the file may hold a decoded "\n": the message stays
     * one line (found by tests/fuzz/fuzz_safetensors) */
    for (char *c = msg; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    snprintf(p->err, p->errlen, "%s: %s", p->path, msg);
    p->failed = 1;
    return -1;
}

static int bad_json(Parser *p, const char *expected)
{
    return fail(p, "cabecera JSON mal formada en el byte %zu: se esperaba %s", p->pos, expected);
}

static void skip_ws(Parser *p)
{
    while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                             p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
        p->pos++;
}

static int expect(Parser *p, char c)
{
    skip_ws(p);
    if (p->pos >= p->n || p->s[p->pos] != c) {
        char what[8];
        snprintf(what, sizeof what, "'%c'", c);
        return bad_json(p, what);
    }
    p->pos++;
    return 0;
}

/* Peeks at the next non-blank character (0 at the end). */
static char peek(Parser *p)
{
    skip_ws(p);
    return p->pos < p->n ? p->s[p->pos] : 0;
}

/* A JSON string into out (truncation is an error: no name of ours is long). */
static int parse_string(Parser *p, char *out, size_t cap)
{
    if (expect(p, '"'))
        return -1;
    size_t k = 0;
    while (p->pos < p->n && p->s[p->pos] != '"') {
        char c = p->s[p->pos++];
        if ((unsigned char)c < 0x20)
            return fail(p, "cabecera JSON mal formada en el byte %zu: carácter de control en una cadena", p->pos - 1);
        if (c == '\\') {
            if (p->pos >= p->n)
                break;
            char e = p->s[p->pos++];
            switch (e) {
            case '"': case '\\': case '/': c = e; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u':
                if (p->pos + 4 > p->n)
                    return bad_json(p, "cuatro dígitos hexadecimales tras \\u");
                c = '?'; /* our names are ASCII; anything else is kept as '?' */
                p->pos += 4;
                break;
            default:
                return bad_json(p, "un escape válido tras '\\'");
            }
        }
        if (k + 1 >= cap)
            return fail(p, "cabecera JSON mal formada en el byte %zu: cadena de más de %zu caracteres",
                        p->pos, cap - 1);
        out[k++] = c;
    }
    if (p->pos >= p->n)
        return bad_json(p, "'\"' que cierre una cadena");
    p->pos++;
    out[k] = 0;
    return 0;
}

/* A non-negative integer (shapes and offsets are never negative). */
static int parse_uint(Parser *p, unsigned long long *v)
{
    skip_ws(p);
    size_t start = p->pos;
    unsigned long long x = 0;
    while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        unsigned d = (unsigned)(p->s[p->pos++] - '0');
        if (x > (~0ULL - d) / 10)
            return fail(p, "cabecera JSON mal formada en el byte %zu: número demasiado grande", start);
        x = 10 * x + d;
    }
    if (p->pos == start)
        return bad_json(p, "un entero no negativo");
    *v = x;
    return 0;
}

/* [a, b, ...] of non-negative integers; at most `max` of them. */
static int parse_uint_array(Parser *p, unsigned long long *v, int max, int *count)
{
    if (expect(p, '['))
        return -1;
    *count = 0;
    if (peek(p) == ']') {
        p->pos++;
        return 0;
    }
    for (;;) {
        unsigned long long x = 0;
        if (parse_uint(p, &x))
            return -1;
        if (*count >= max)
            return fail(p, "cabecera JSON mal formada en el byte %zu: más de %d números en una lista",
                        p->pos, max);
        v[(*count)++] = x;
        char c = peek(p);
        p->pos++;
        if (c == ']')
            return 0;
        if (c != ',') {
            p->pos--;
            return bad_json(p, "',' o ']'");
        }
    }
}

/* "__metadata__": an object whose values are strings. */
static int parse_metadata(Parser *p)
{
    if (expect(p, '{'))
        return -1;
    if (peek(p) == '}') {
        p->pos++;
        return 0;
    }
    for (;;) {
        char key[64], value[256];
        if (parse_string(p, key, sizeof key) || expect(p, ':') ||
            parse_string(p, value, sizeof value))
            return -1;
        if (p->meta) {
            if (st_meta_get(p->meta, key))
                return fail(p, "el metadato '%s' aparece dos veces en la cabecera", key);
            if (p->meta->n == ST_MAX_META)
                return fail(p, "más de %d metadatos en la cabecera", ST_MAX_META);
            snprintf(p->meta->key[p->meta->n], sizeof p->meta->key[0], "%s", key);
            snprintf(p->meta->value[p->meta->n], sizeof p->meta->value[0], "%s", value);
            p->meta->n++;
        }
        char c = peek(p);
        p->pos++;
        if (c == '}')
            return 0;
        if (c != ',') {
            p->pos--;
            return bad_json(p, "',' o '}'");
        }
    }
}

/* {"dtype": "F32", "shape": [..], "data_offsets": [b, e]} in any order. */
static int parse_entry(Parser *p, Entry *e)
{
    if (expect(p, '{'))
        return -1;
    for (;;) {
        char key[64];
        if (parse_string(p, key, sizeof key) || expect(p, ':'))
            return -1;
        if (strcmp(key, "dtype") == 0) {
            if (parse_string(p, e->dtype, sizeof e->dtype))
                return -1;
            e->seen_dtype = 1;
        } else if (strcmp(key, "shape") == 0) {
            unsigned long long s[8];
            if (parse_uint_array(p, s, 8, &e->ndim))
                return -1;
            for (int d = 0; d < e->ndim; d++)
                e->shape[d] = (long long)s[d];
            e->seen_shape = 1;
        } else if (strcmp(key, "data_offsets") == 0) {
            unsigned long long o[2];
            int count;
            if (parse_uint_array(p, o, 2, &count))
                return -1;
            if (count != 2)
                return fail(p, "tensor '%s': data_offsets deben ser dos números [inicio, fin]", e->name);
            e->begin = o[0];
            e->end = o[1];
            e->seen_offsets = 1;
        } else {
            return fail(p, "tensor '%s': clave desconocida '%s' en la cabecera", e->name, key);
        }
        char c = peek(p);
        p->pos++;
        if (c == '}')
            break;
        if (c != ',') {
            p->pos--;
            return bad_json(p, "',' o '}'");
        }
    }
    if (!e->seen_dtype || !e->seen_shape || !e->seen_offsets)
        return fail(p, "al tensor '%s' le falta %s en la cabecera", e->name,
                    !e->seen_dtype ? "\"dtype\"" : !e->seen_shape ? "\"shape\"" : "\"data_offsets\"");
    return 0;
}

/* The whole header: { name: entry, ... } with nothing but blanks after it. */
static int parse_header(Parser *p, Entry *entries, int *count)
{
    *count = 0;
    if (expect(p, '{'))
        return -1;
    if (peek(p) != '}') {
        for (;;) {
            char name[128];
            if (parse_string(p, name, sizeof name) || expect(p, ':'))
                return -1;
            if (strcmp(name, "__metadata__") == 0) {
                if (parse_metadata(p))
                    return -1;
            } else {
                if (*count >= ST_MAX_ENTRIES)
                    return fail(p, "más de %d tensores en la cabecera", ST_MAX_ENTRIES);
                Entry *e = &entries[*count];
                memset(e, 0, sizeof *e);
                snprintf(e->name, sizeof e->name, "%s", name);
                if (parse_entry(p, e))
                    return -1;
                for (int i = 0; i < *count; i++)
                    if (strcmp(entries[i].name, name) == 0)
                        return fail(p, "el tensor '%s' aparece dos veces en la cabecera", name);
                (*count)++;
            }
            char c = peek(p);
            p->pos++;
            if (c == '}')
                break;
            if (c != ',') {
                p->pos--;
                return bad_json(p, "',' o '}'");
            }
        }
    } else {
        p->pos++;
    }
    skip_ws(p);
    if (p->pos != p->n)
        return bad_json(p, "el final de la cabecera tras '}'");
    return 0;
}

static void shape_text(char *out, size_t cap, int ndim, const long long *shape)
{
    size_t k = (size_t)snprintf(out, cap, "[");
    for (int d = 0; d < ndim && k < cap; d++)
        k += (size_t)snprintf(out + k, cap - k, "%s%lld", d ? ", " : "", shape[d]);
    if (k < cap)
        snprintf(out + k, cap - k, "]");
}

/* Checks one entry against what the caller expects. */
static int check_entry(Parser *p, const Entry *e, const StTensor *want)
{
    if (strcmp(e->dtype, dtype_of(want)) != 0)
        return fail(p, "el tensor '%s' tiene dtype %s; se esperaba %s", e->name, e->dtype,
                    dtype_of(want));
    long long want_shape[ST_MAX_DIMS];
    int same = e->ndim == want->ndim;
    for (int d = 0; d < want->ndim; d++) {
        want_shape[d] = want->shape[d];
        if (same && e->shape[d] != want_shape[d])
            same = 0;
    }
    if (!same) {
        char got[96], exp[96];
        shape_text(got, sizeof got, e->ndim, e->shape);
        shape_text(exp, sizeof exp, want->ndim, want_shape);
        return fail(p, "el tensor '%s' tiene forma %s; se esperaba %s", e->name, got, exp);
    }
    size_t bytes = value_bytes(want) * st_numel(want);
    if (e->end < e->begin || e->end - e->begin != bytes)
        return fail(p, "tensor '%s': data_offsets [%llu, %llu] no abarcan los %zu bytes que pide su forma",
                    e->name, e->begin, e->end, bytes);
    return 0;
}

static int by_begin(const void *a, const void *b)
{
    const Entry *x = *(const Entry *const *)a, *y = *(const Entry *const *)b;
    return (x->begin > y->begin) - (x->begin < y->begin);
}

/* The tensors must tile the data part exactly: from 0, no overlaps, no holes,
 * ending where the file ends. */
static int check_layout(Parser *p, Entry *entries, int count, unsigned long long data_bytes)
{
    Entry *sorted[ST_MAX_ENTRIES];
    for (int i = 0; i < count; i++)
        sorted[i] = &entries[i];
    qsort(sorted, (size_t)count, sizeof sorted[0], by_begin);
    unsigned long long at = 0;
    for (int i = 0; i < count; i++) {
        if (sorted[i]->begin != at)
            return fail(p, "el tensor '%s' empieza en el byte %llu de los datos; se esperaba el %llu (%s)",
                        sorted[i]->name, sorted[i]->begin, at,
                        sorted[i]->begin < at ? "solapamiento" : "hueco");
        at = sorted[i]->end;
    }
    if (data_bytes < at)
        return fail(p, "fichero truncado: la cabecera promete %llu bytes de datos y el fichero tiene %llu",
                    at, data_bytes);
    if (data_bytes > at)
        return fail(p, "el fichero tiene %llu bytes de más tras el último tensor (la cabecera describe %llu)",
                    data_bytes - at, at);
    return 0;
}

unsigned char *st_read_file(const char *path, size_t *size, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: no se puede abrir: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: error de lectura", path);
        free(buf);
        return NULL;
    }
    *size = n;
    return buf;
}

/* Steps 1 and 2 of reading: the header length and the JSON header. */
static int parse_front(Parser *p, const unsigned char *file, size_t size, Entry *entries,
                       int *count, uint64_t *hlen)
{
    if (size < 8)
        return fail(p, "demasiado corto para un fichero safetensors (%zu bytes; solo la longitud de la cabecera ocupa 8)", size);
    *hlen = get_u64_le(file);
    if (*hlen < 2 || *hlen > ST_MAX_HEADER || *hlen > size - 8)
        return fail(p, "longitud de cabecera imposible: %llu (el fichero tiene %zu bytes tras los 8 de la longitud)",
                    (unsigned long long)*hlen, size - 8);
    p->s = (const char *)file + 8;
    p->n = (size_t)*hlen;
    return parse_header(p, entries, count);
}

int st_parse_meta(const unsigned char *file, size_t size, const char *name, StMeta *meta,
                  char *err, size_t errlen)
{
    Entry *entries = xmalloc(ST_MAX_ENTRIES * sizeof *entries);
    Parser p = {.path = name, .err = err, .errlen = errlen, .meta = meta};
    if (meta)
        meta->n = 0;
    int count = 0;
    uint64_t hlen = 0;
    int rc = parse_front(&p, file, size, entries, &count, &hlen);
    free(entries);
    return rc;
}

/* Step 5: the values, each checked to be a finite number (but int32s). */
static int read_values(Parser *p, const Entry *e, StTensor *t, const unsigned char *src)
{
    size_t numel = st_numel(t);
    for (size_t k = 0; k < numel; k++) {
        double v;
        if (t->i32) {
            t->i32[k] = (int32_t)(uint32_t)get_u32_le(src + 4 * k);
            continue;
        }
        if (t->f64) {
            v = t->f64[k] = get_f64_le(src + 8 * k);
        } else {
            float f = get_f32_le(src + 4 * k);
            t->data[k] = (real)f;
            v = f;
        }
        if (!isfinite(v))
            return fail(p, "el tensor '%s' tiene %s en el valor %zu (los números de una red deben ser finitos)",
                        e->name, isnan(v) ? "un NaN" : "un infinito", k);
    }
    return 0;
}

int st_parse(const unsigned char *file, size_t size, const char *name, StTensor *tensors,
             int n, StMeta *meta, char *err, size_t errlen)
{
    Entry *entries = xmalloc(ST_MAX_ENTRIES * sizeof *entries);
    Parser p = {.path = name, .err = err, .errlen = errlen, .meta = meta};
    if (meta)
        meta->n = 0;
    int count = 0, rc = -1;
    uint64_t hlen = 0;
    /* 1, 2. The header length and the JSON header. */
    if (parse_front(&p, file, size, entries, &count, &hlen))
        goto done;
    /* 3. Names, dtypes, shapes: exactly the tensors the caller expects. */
    int match[ST_MAX_ENTRIES];
    for (int i = 0; i < count; i++) {
        match[i] = -1;
        for (int j = 0; j < n; j++)
            if (strcmp(entries[i].name, tensors[j].name) == 0)
                match[i] = j;
        if (match[i] < 0) {
            fail(&p, "tensor inesperado '%s' (no es de esta red)", entries[i].name);
            goto done;
        }
        if (check_entry(&p, &entries[i], &tensors[match[i]]))
            goto done;
    }
    for (int j = 0; j < n; j++) {
        int found = 0;
        for (int i = 0; i < count; i++)
            found |= match[i] == j;
        if (!found) {
            fail(&p, "falta el tensor '%s'", tensors[j].name);
            goto done;
        }
    }
    /* 4. The data part: exactly covered by the tensors. */
    const unsigned char *data = file + 8 + hlen;
    if (check_layout(&p, entries, count, size - 8 - hlen))
        goto done;
    /* 5. The values. */
    for (int i = 0; i < count; i++)
        if (read_values(&p, &entries[i], &tensors[match[i]], data + entries[i].begin))
            goto done;
    rc = 0;
done:
    free(entries);
    return rc;
}

int st_load(const char *path, StTensor *tensors, int n, char *err, size_t errlen)
{
    size_t size;
    unsigned char *file = st_read_file(path, &size, err, errlen);
    if (!file)
        return -1;
    int rc = st_parse(file, size, path, tensors, n, NULL, err, errlen);
    free(file);
    return rc;
}

void st_load_or_die(const char *path, StTensor *tensors, int n)
{
    char err[512];
    if (st_load(path, tensors, n, err, sizeof err))
        die("%s", err);
}
