/* safetensors.c — the writer and the strict reader described in safetensors.h. */
#include "safetensors.h"
#include "out.h"
#include "util.h"

#include <errno.h>
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
static float get_f32_le(const unsigned char *p)
{
    uint32_t bits = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                    (uint32_t)p[3] << 24;
    float f;
    memcpy(&f, &bits, 4);
    return f;
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

void st_save(const char *path, const StTensor *tensors, int n)
{
    /* The header: tensors in the order given, data packed one after another. */
    Text h = {xmalloc(256), 0, 256};
    text_add(&h, "{\"__metadata__\":{\"format\":\"pt\"}");
    uint64_t offset = 0;
    for (int i = 0; i < n; i++) {
        const StTensor *t = &tensors[i];
        if (t->ndim < 1 || t->ndim > ST_MAX_DIMS)
            die("safetensors: tensor '%s' has %d dimensions (1..%d allowed)", t->name,
                t->ndim, ST_MAX_DIMS);
        uint64_t bytes = 4 * (uint64_t)st_numel(t);
        text_add(&h, ",\"%s\":{\"dtype\":\"F32\",\"shape\":[", t->name);
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
        size_t count = st_numel(&tensors[i]), k = 0;
        for (size_t j = 0; j < count; j++) {
            put_f32_le(buf + k, (float)tensors[i].data[j]);
            k += 4;
            if (k == sizeof buf || j + 1 == count) {
                fwrite(buf, 1, k, af.f);
                k = 0;
            }
        }
    }
    atomic_commit_and_report(&af, "modelo"); /* checks ferror: a short write dies there */
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
    snprintf(p->err, p->errlen, "%s: %s", p->path, msg);
    p->failed = 1;
    return -1;
}

static int bad_json(Parser *p, const char *expected)
{
    return fail(p, "bad JSON header at byte %zu: expected %s", p->pos, expected);
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
            return fail(p, "bad JSON header at byte %zu: control character in a string", p->pos - 1);
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
                    return bad_json(p, "four hex digits after \\u");
                c = '?'; /* our names are ASCII; anything else is kept as '?' */
                p->pos += 4;
                break;
            default:
                return bad_json(p, "a valid escape after '\\'");
            }
        }
        if (k + 1 >= cap)
            return fail(p, "bad JSON header at byte %zu: string longer than %zu characters",
                        p->pos, cap - 1);
        out[k++] = c;
    }
    if (p->pos >= p->n)
        return bad_json(p, "'\"' to close a string");
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
            return fail(p, "bad JSON header at byte %zu: number too large", start);
        x = 10 * x + d;
    }
    if (p->pos == start)
        return bad_json(p, "a non-negative integer");
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
            return fail(p, "bad JSON header at byte %zu: more than %d numbers in a list",
                        p->pos, max);
        v[(*count)++] = x;
        char c = peek(p);
        p->pos++;
        if (c == ']')
            return 0;
        if (c != ',') {
            p->pos--;
            return bad_json(p, "',' or ']'");
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
        char key[256], value[1024];
        if (parse_string(p, key, sizeof key) || expect(p, ':') ||
            parse_string(p, value, sizeof value))
            return -1;
        char c = peek(p);
        p->pos++;
        if (c == '}')
            return 0;
        if (c != ',') {
            p->pos--;
            return bad_json(p, "',' or '}'");
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
                return fail(p, "tensor '%s': data_offsets must be two numbers [begin, end]", e->name);
            e->begin = o[0];
            e->end = o[1];
            e->seen_offsets = 1;
        } else {
            return fail(p, "tensor '%s': unknown key '%s' in the header", e->name, key);
        }
        char c = peek(p);
        p->pos++;
        if (c == '}')
            break;
        if (c != ',') {
            p->pos--;
            return bad_json(p, "',' or '}'");
        }
    }
    if (!e->seen_dtype || !e->seen_shape || !e->seen_offsets)
        return fail(p, "tensor '%s' lacks %s in the header", e->name,
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
                    return fail(p, "more than %d tensors in the header", ST_MAX_ENTRIES);
                Entry *e = &entries[*count];
                memset(e, 0, sizeof *e);
                snprintf(e->name, sizeof e->name, "%s", name);
                if (parse_entry(p, e))
                    return -1;
                for (int i = 0; i < *count; i++)
                    if (strcmp(entries[i].name, name) == 0)
                        return fail(p, "tensor '%s' appears twice in the header", name);
                (*count)++;
            }
            char c = peek(p);
            p->pos++;
            if (c == '}')
                break;
            if (c != ',') {
                p->pos--;
                return bad_json(p, "',' or '}'");
            }
        }
    } else {
        p->pos++;
    }
    skip_ws(p);
    if (p->pos != p->n)
        return bad_json(p, "the end of the header after '}'");
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
    if (strcmp(e->dtype, "F32") != 0)
        return fail(p, "tensor '%s' has dtype %s; only F32 is read", e->name, e->dtype);
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
        return fail(p, "tensor '%s' has shape %s, expected %s", e->name, got, exp);
    }
    if (e->end < e->begin || e->end - e->begin != 4ULL * st_numel(want))
        return fail(p, "tensor '%s': data_offsets [%llu, %llu] do not hold the %zu bytes its shape needs",
                    e->name, e->begin, e->end, 4 * st_numel(want));
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
            return fail(p, "tensor '%s' starts at byte %llu of the data, expected %llu (%s)",
                        sorted[i]->name, sorted[i]->begin, at,
                        sorted[i]->begin < at ? "overlap" : "hole");
        at = sorted[i]->end;
    }
    if (data_bytes < at)
        return fail(p, "file is truncated: the header promises %llu bytes of tensor data, the file holds %llu",
                    at, data_bytes);
    if (data_bytes > at)
        return fail(p, "file has %llu bytes after the last tensor (the header describes %llu)",
                    data_bytes - at, at);
    return 0;
}

static unsigned char *read_whole_file(const char *path, size_t *size, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
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
        snprintf(err, errlen, "%s: read error", path);
        free(buf);
        return NULL;
    }
    *size = n;
    return buf;
}

int st_load(const char *path, StTensor *tensors, int n, char *err, size_t errlen)
{
    size_t size;
    unsigned char *file = read_whole_file(path, &size, err, errlen);
    if (!file)
        return -1;
    Entry *entries = xmalloc(ST_MAX_ENTRIES * sizeof *entries);
    Parser p = {.path = path, .err = err, .errlen = errlen};
    int count = 0, rc = -1;

    /* 1. The header length. */
    if (size < 8) {
        fail(&p, "file is too short for a safetensors file (%zu bytes; the header length alone is 8)", size);
        goto done;
    }
    uint64_t hlen = get_u64_le(file);
    if (hlen < 2 || hlen > ST_MAX_HEADER || hlen > size - 8) {
        fail(&p, "bad header length %llu (the file has %zu bytes after the 8-byte length)",
             (unsigned long long)hlen, size - 8);
        goto done;
    }
    /* 2. The JSON header. */
    p.s = (const char *)file + 8;
    p.n = (size_t)hlen;
    if (parse_header(&p, entries, &count))
        goto done;
    /* 3. Names, dtypes, shapes: exactly the tensors the caller expects. */
    int match[ST_MAX_ENTRIES];
    for (int i = 0; i < count; i++) {
        match[i] = -1;
        for (int j = 0; j < n; j++)
            if (strcmp(entries[i].name, tensors[j].name) == 0)
                match[i] = j;
        if (match[i] < 0) {
            fail(&p, "unexpected tensor '%s' (not part of this network)", entries[i].name);
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
            fail(&p, "tensor '%s' is missing", tensors[j].name);
            goto done;
        }
    }
    /* 4. The data part: exactly covered by the tensors. */
    const unsigned char *data = file + 8 + hlen;
    if (check_layout(&p, entries, count, size - 8 - hlen))
        goto done;
    /* 5. The values. */
    for (int i = 0; i < count; i++) {
        StTensor *t = &tensors[match[i]];
        const unsigned char *src = data + entries[i].begin;
        size_t numel = st_numel(t);
        for (size_t k = 0; k < numel; k++)
            t->data[k] = (real)get_f32_le(src + 4 * k);
    }
    rc = 0;
done:
    free(entries);
    free(file);
    return rc;
}

void st_load_or_die(const char *path, StTensor *tensors, int n)
{
    char err[512];
    if (st_load(path, tensors, n, err, sizeof err))
        die("%s", err);
}
