/* weave_json.c — one value out of a run's summary.json, by its path.
 *
 * Just enough JSON to walk to a value: objects, arrays, strings, numbers and
 * the three literals, checked as far as the walk goes. The pages put a
 * run's numbers in their prose this way, so no number is typed by hand. */
#include "weave.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* The end of the string starting at the quote p, or NULL. */
static const char *skip_string(const char *p)
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    return *p == '"' ? p + 1 : NULL;
}

/* The end of the value starting at p, or NULL when it is not JSON. */
static const char *skip_value(const char *p)
{
    p = skip_space(p);
    if (*p == '"')
        return skip_string(p);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        for (; *p; p++) {
            if (*p == '"') {
                p = skip_string(p);
                if (!p)
                    return NULL;
                p--;
            } else if (*p == '{' || *p == '[') {
                depth++;
            } else if ((*p == '}' || *p == ']') && --depth == 0) {
                return p + 1;
            }
        }
        return NULL;
    }
    const char *start = p;
    while (*p && (isalnum((unsigned char)*p) || strchr("+-.", *p)))
        p++;
    return p > start ? p : NULL;
}

/* Past the value at p and the comma after it: the next member or element
 * (or the closing bracket), or NULL when the value is not JSON. */
static const char *next_item(const char *p)
{
    p = skip_value(p);
    if (!p)
        return NULL;
    p = skip_space(p);
    return *p == ',' ? skip_space(p + 1) : p;
}

/* The member called key of the object at p (its value's start), or NULL. */
static const char *member(const char *p, const char *key, size_t key_len)
{
    p = skip_space(p);
    if (*p != '{')
        return NULL;
    p = skip_space(p + 1);
    while (p && *p == '"') {
        const char *end = skip_string(p);
        if (!end)
            return NULL;
        int match = (size_t)(end - p - 2) == key_len && memcmp(p + 1, key, key_len) == 0;
        p = skip_space(end);
        if (*p != ':')
            return NULL;
        p = skip_space(p + 1);
        if (match)
            return p;
        p = next_item(p);
    }
    return NULL;
}

static const char *element(const char *p, long index)
{
    p = skip_space(p);
    if (*p != '[')
        return NULL;
    p = skip_space(p + 1);
    for (long i = 0; p && *p && *p != ']'; i++) {
        if (i == index)
            return p;
        p = next_item(p);
    }
    return NULL;
}

/* A printf conversion for one double and nothing else: "%[flags][width][.prec](f|g|e)". */
static int safe_format(const char *f)
{
    if (f[0] != '%')
        return 0;
    size_t i = 1 + strspn(f + 1, "+- 0#");
    i += strspn(f + i, "0123456789");
    if (f[i] == '.')
        i += 1 + strspn(f + i + 1, "0123456789");
    return strchr("fge", f[i]) && f[i] && f[i + 1] == '\0';
}

static int write_value(const char *v, const char *end, const char *format, const char *path,
                       Text *out, char err[WEAVE_ERR])
{
    if (*v == '{' || *v == '[') {
        snprintf(err, WEAVE_ERR, "\"%s\" is an object or a list, not one value", path);
        return -1;
    }
    if (*v == '"') {
        if (format && *format) {
            snprintf(err, WEAVE_ERR, "\"%s\" is text: it takes no format '%s'", path, format);
            return -1;
        }
        for (const char *p = v + 1; p < end - 1; p++) {
            if (*p == '\\' && p + 1 < end - 1) {
                p++;
                text_add(out, *p == 'n' ? " " : p, 1);
            } else {
                text_add(out, p, 1);
            }
        }
        return 0;
    }
    if (!format || !*format) {
        text_add(out, v, (size_t)(end - v));
        return 0;
    }
    char *num_end;
    double x = strtod(v, &num_end);
    if (num_end != end) {
        snprintf(err, WEAVE_ERR, "\"%s\" is not a number (%.*s)", path, (int)(end - v), v);
        return -1;
    }
    if (strcmp(format, "pct") == 0)
        text_printf(out, "%.2f", 100 * x);
    else if (strcmp(format, "pct1") == 0)
        text_printf(out, "%.1f", 100 * x);
    else if (safe_format(format)) {
        char buf[64];
        snprintf(buf, sizeof buf, format, x);
        text_puts(out, buf);
    } else {
        snprintf(err, WEAVE_ERR, "format '%s' for \"%s\": use pct, pct1 or one of %%f %%g %%e",
                 format, path);
        return -1;
    }
    return 0;
}

int json_value(const char *json, const char *path, const char *format, Text *value,
               char err[WEAVE_ERR])
{
    const char *v = json;
    for (const char *key = path; v;) {
        size_t n = strcspn(key, ".");
        char *digits_end;
        long index = strtol(key, &digits_end, 10);
        if (n > 0 && digits_end == key + n && isdigit((unsigned char)*key))
            v = element(v, index);
        else
            v = member(v, key, n);
        if (!key[n])
            break;
        key += n + 1;
    }
    const char *end = v ? skip_value(v) : NULL;
    if (!v || !end) {
        snprintf(err, WEAVE_ERR, "summary.json has no \"%s\"", path);
        return -1;
    }
    return write_value(skip_space(v), end, format, path, value, err);
}
