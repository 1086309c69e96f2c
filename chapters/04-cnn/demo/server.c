/* server.c — chapter 4's second program, `demo`: the drawing page (notes §4.4).
 *
 *   build/rel/bin/demo --mlp FILE --cnn FILE [--host 127.0.0.1] [--port 8080]
 *                      [--www chapters/04-cnn/demo/www] [--notebooks out/notebooks]
 *
 * A small HTTP server (GNU libmicrohttpd) that loads chapter 3's MLP and
 * chapter 4's CNN once, then answers:
 *   POST /api/predict      a drawing → both networks' guesses (demo_api.c)
 *   GET  /                 the page, www/index.html; GET /FILE: the page's other files
 *   GET  /notebooks/...    the woven notebook pages, when that folder exists
 * Anything else gets one clear answer, {"error": "…"} in Spanish: 404 (no such
 * path), 405 (wrong method), 403 (a path that would leave its folder), 413 (a
 * body over DEMO_MAX_BODY).
 *
 * What it deliberately is not: a general web server. It serves files from two
 * folders and nothing outside them, keeps each request body in memory (at most
 * DEMO_MAX_BODY bytes), and logs nothing but errors. Ctrl-C (SIGINT) or
 * SIGTERM stops it cleanly: the connections close, the models are freed, one
 * line says so, and the exit status is 0. */
#include "demo_api.h"
#include "util.h"

#include <microhttpd.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every connection gets its own thread. A prediction is a few milliseconds of
 * CPU inside the request handler, so with a shared pool of threads one
 * prediction would hold up every other connection on its thread; with one
 * thread per connection a slow prediction, or a client that stalls halfway
 * through its request, holds up only itself. MAX_CONNECTIONS bounds the
 * threads (and the bodies in memory: at most that many × DEMO_MAX_BODY), and
 * IDLE_TIMEOUT closes a connection that has sent or read nothing for that
 * many seconds, so a stalled client gives its thread back. */
#define MAX_CONNECTIONS 64
#define IDLE_TIMEOUT 10   /* seconds */
#define LISTEN_BACKLOG 64
/* A body over DEMO_MAX_BODY is read to its end and thrown away, so that the
 * client reads the 413; past this many bytes more, the connection is cut. */
#define MAX_DISCARD (16 * (size_t)DEMO_MAX_BODY)

typedef struct {
    const char *mlp, *cnn;     /* the models' files */
    const char *host, *port;
    const char *www;           /* the page's folder */
    const char *notebooks;     /* the woven notebooks' folder (may not exist yet) */
} Options;

/* What every request handler reads. The folders are resolved again on each
 * request (realpath), so that notebooks woven while the server runs appear. */
typedef struct {
    const DemoModels *models;
    const char *www, *notebooks;
} Server;

/* The body of one POST /api/predict while it arrives. */
typedef struct {
    char *data;        /* NUL-terminated for the parser's comfort */
    size_t len, cap;
    size_t dropped;    /* bytes past DEMO_MAX_BODY, read and thrown away */
} Body;

/* --- flags ------------------------------------------------------------------------------ */

static void usage(void)
{
    printf("Uso: demo --mlp FICHERO --cnn FICHERO [opciones]   (notas §4.4: la página de dibujo)\n"
           "  --mlp FICHERO      la red del capítulo 3 (out/03-mnist-mlp/model.safetensors)\n"
           "  --cnn FICHERO      la red del capítulo 4 (out/04-cnn/model.safetensors)\n"
           "  --host DIRECCIÓN   dónde escuchar (por defecto 127.0.0.1: solo este ordenador)\n"
           "  --port N           puerto, de 0 a 65535 (por defecto 8080; 0: uno libre cualquiera)\n"
           "  --www CARPETA      la página (por defecto chapters/04-cnn/demo/www)\n"
           "  --notebooks CARPETA  los cuadernos tejidos, en /notebooks/ (por defecto\n"
           "                     out/notebooks; si no existe, /notebooks/ responde 404)\n"
           "  --help             este texto\n"
           "Ctrl-C lo para.\n");
}

static const char *parse_port(const char *text)
{
    char *end;
    errno = 0;
    long port = strtol(text, &end, 10);
    if (errno || end == text || *end || port < 0 || port > 65535)
        usage_error("--port: '%s' no es un puerto (un entero de 0 a 65535)", text);
    return text;
}

static Options parse_flags(int argc, char **argv)
{
    Options o = {.host = "127.0.0.1", .port = "8080", .www = "chapters/04-cnn/demo/www",
                 .notebooks = "out/notebooks"};
    enum { O_MLP = 256, O_CNN, O_HOST, O_PORT, O_WWW, O_NOTEBOOKS, O_HELP };
    static const struct option longopts[] = {
        {"mlp", required_argument, 0, O_MLP},   {"cnn", required_argument, 0, O_CNN},
        {"host", required_argument, 0, O_HOST}, {"port", required_argument, 0, O_PORT},
        {"www", required_argument, 0, O_WWW},   {"notebooks", required_argument, 0, O_NOTEBOOKS},
        {"help", no_argument, 0, O_HELP},       {0, 0, 0, 0}};
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case O_MLP: o.mlp = optarg; break;
        case O_CNN: o.cnn = optarg; break;
        case O_HOST: o.host = optarg; break;
        case O_PORT: o.port = parse_port(optarg); break;
        case O_WWW: o.www = optarg; break;
        case O_NOTEBOOKS: o.notebooks = optarg; break;
        case O_HELP: usage(); exit(0);
        default: usage_error("opción desconocida o incompleta '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("argumento inesperado '%s'", argv[optind]);
    if (!o.mlp || !o.cnn)
        usage_error("faltan los modelos: --mlp FICHERO y --cnn FICHERO (`make demo` los da)");
    return o;
}

/* --- answers ---------------------------------------------------------------------------- */

#define JSON_TYPE "application/json; charset=utf-8"

/* Queues `len` bytes of `text` as the answer, with one more header `extra`
 * when it is not NULL. MHD copies the text (MUST_COPY), keeps a pointer to it
 * (PERSISTENT), or takes it over and frees it (MUST_FREE). */
static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *type,
                              char *text, size_t len, enum MHD_ResponseMemoryMode mode,
                              const char *extra, const char *extra_value)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, mode);
    if (!r) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(text);
        return MHD_NO;   /* MHD closes the connection */
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (extra)
        MHD_add_response_header(r, extra, extra_value);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result answer_json(struct MHD_Connection *c, unsigned status, char *json)
{
    return answer(c, status, JSON_TYPE, json, strlen(json), MHD_RESPMEM_MUST_FREE, NULL, NULL);
}

/* `text` as the inside of a JSON string: quotes, backslashes and control
 * characters escaped (a message may quote the URL, which the client chose). */
static void json_escape(const char *text, char *out, size_t outlen)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 7 < outlen; p++) {
        if (*p == '"' || *p == '\\') {
            out[n++] = '\\';
            out[n++] = (char)*p;
        } else if (*p < 0x20 || *p == 0x7f) {
            n += (size_t)snprintf(out + n, outlen - n, "\\u%04x", *p);
        } else {
            out[n++] = (char)*p;
        }
    }
    out[n] = '\0';
}

/* {"error": "message"}: the one shape of every error. */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *message,
                                  const char *extra, const char *extra_value)
{
    char escaped[2048], json[sizeof escaped + 16];
    json_escape(message, escaped, sizeof escaped);
    int n = snprintf(json, sizeof json, "{\"error\": \"%s\"}", escaped);
    return answer(c, status, JSON_TYPE, json, (size_t)n, MHD_RESPMEM_MUST_COPY, extra,
                  extra_value);
}

static enum MHD_Result answer_error(struct MHD_Connection *c, unsigned status,
                                    const char *fmt, ...) PRINTF_LIKE(3, 4);
static enum MHD_Result answer_error(struct MHD_Connection *c, unsigned status,
                                    const char *fmt, ...)
{
    char message[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return send_error(c, status, message, NULL, NULL);
}

/* 405, with the Allow header that RFC 9110 asks for. */
static enum MHD_Result answer_bad_method(struct MHD_Connection *c, const char *method,
                                         const char *allowed)
{
    char message[100];
    snprintf(message, sizeof message, "método %.20s no permitido aquí (solo %s)", method, allowed);
    return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, message, MHD_HTTP_HEADER_ALLOW, allowed);
}

/* A redirect to `location`, an absolute path written percent-encoded. Not
 * "moved permanently": a browser would remember it while the page changes. */
static enum MHD_Result answer_redirect(struct MHD_Connection *c, const char *location)
{
    return answer(c, MHD_HTTP_FOUND, "text/plain; charset=utf-8", (char *)"", 0, MHD_RESPMEM_PERSISTENT,
                  MHD_HTTP_HEADER_LOCATION, location);
}

/* --- static files ----------------------------------------------------------------------- */

static const char *content_type(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"},  {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"},
        {".md", "text/markdown; charset=utf-8"}, {".csv", "text/csv; charset=utf-8"},
        {".svg", "image/svg+xml"}, {".png", "image/png"}, {".gif", "image/gif"},
        {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".webp", "image/webp"},
        {".ico", "image/x-icon"}, {".pdf", "application/pdf"}, {".woff2", "font/woff2"},
        {".woff", "font/woff"}, {".ttf", "font/ttf"}, {".otf", "font/otf"}};
    size_t len = strlen(path);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t n = strlen(types[i].ext);
        if (len > n && strcasecmp(path + len - n, types[i].ext) == 0)
            return types[i].type;
    }
    return "application/octet-stream";
}

/* A path inside a served folder, as the URL gave it (already percent-decoded by
 * MHD): it may not climb out with a ".." segment, nor start again from the
 * root ("//etc/passwd" gives "/etc/passwd" here). Symbolic links that lead
 * out are caught after realpath, in inside(). */
static int climbs_out(const char *rel)
{
    if (rel[0] == '/')
        return 1;
    for (const char *seg = rel; seg; seg = strchr(seg, '/')) {
        if (*seg == '/')
            seg++;
        if (seg[0] == '.' && seg[1] == '.' && (seg[2] == '/' || seg[2] == '\0'))
            return 1;
    }
    return 0;
}

/* Is the resolved path `path` the folder `root` or something under it? */
static int inside(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (n == 1)   /* root is "/" */
        return 1;
    return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* `path` percent-encoded for a Location header (what is not a plain letter,
 * digit, '/', '-', '.', '_' or '~' becomes %XX). */
static void encode_path(const char *path, char *out, size_t outlen)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < outlen; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p)) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
}

/* Sends the regular file at `path` (already resolved and checked). MHD reads
 * it from the descriptor and closes it. */
static enum MHD_Result send_file(struct MHD_Connection *c, const char *path, const char *url)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return answer_error(c, MHD_HTTP_NOT_FOUND, "no existe %.200s", url);
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(path));
    /* The page is small and changes while one writes it: always ask again. */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* GET `url`, which names `rel` inside the folder `folder`: the file, or a
 * folder's index.html. Whatever resolves outside the folder (a symbolic link
 * pointing out) is 403, as a ".." is. `absent` ends the 404 when the folder
 * itself is not there. */
static enum MHD_Result serve_from(struct MHD_Connection *c, const char *folder, const char *rel,
                                  const char *url, const char *absent)
{
    char root[PATH_MAX], wanted[PATH_MAX], path[PATH_MAX];
    if (climbs_out(rel))
        return answer_error(c, MHD_HTTP_FORBIDDEN, "la ruta sale de la carpeta servida");
    if (!realpath(folder, root))
        return answer_error(c, MHD_HTTP_NOT_FOUND, "no existe %.200s%s", url, absent);
    if ((size_t)snprintf(wanted, sizeof wanted, "%s/%s", root, rel) >= sizeof wanted)
        return answer_error(c, MHD_HTTP_NOT_FOUND, "no existe esa ruta (demasiado larga)");
    if (!realpath(wanted, path)) {
        if (errno == EACCES)
            return answer_error(c, MHD_HTTP_FORBIDDEN, "no se puede leer %.200s", url);
        return answer_error(c, MHD_HTTP_NOT_FOUND, "no existe %.200s", url);
    }
    if (!inside(path, root))
        return answer_error(c, MHD_HTTP_FORBIDDEN, "la ruta sale de la carpeta servida");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t n = strlen(url);
        if (n == 0 || url[n - 1] != '/') {
            /* a folder's page links its neighbours relatively: it must be
             * asked for as "folder/" */
            char location[3 * PATH_MAX + 2];
            encode_path(url, location, sizeof location - 1);
            strcat(location, "/");
            return answer_redirect(c, location);
        }
        if ((size_t)snprintf(wanted, sizeof wanted, "%s/index.html", path) >= sizeof wanted ||
            !realpath(wanted, path))
            return answer_error(c, MHD_HTTP_NOT_FOUND, "no existe %.200sindex.html", url);
        if (!inside(path, root))
            return answer_error(c, MHD_HTTP_FORBIDDEN, "la ruta sale de la carpeta servida");
    }
    return send_file(c, path, url);
}

/* GET and HEAD of everything but /api/: /notebooks/... from the notebooks'
 * folder, the rest from the page's. /notebooks/ itself opens the index in
 * Spanish, or in English with ?lang=en. */
static enum MHD_Result serve_static(const Server *s, struct MHD_Connection *c, const char *url,
                                    const char *method)
{
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return answer_bad_method(c, method, "GET, HEAD");
    if (strcmp(url, "/notebooks") == 0 || strcmp(url, "/notebooks/") == 0) {
        const char *lang = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
        return answer_redirect(c, lang && strcmp(lang, "en") == 0 ? "/notebooks/en/"
                                                                   : "/notebooks/es/");
    }
    if (strncmp(url, "/notebooks/", 11) == 0)
        return serve_from(c, s->notebooks, url + 11, url,
                          ": los cuadernos aún no están tejidos (make notebooks)");
    if (url[0] != '/')
        return answer_error(c, MHD_HTTP_BAD_REQUEST, "la ruta debe empezar por /");
    return serve_from(c, s->www, url + 1, url, "");
}

/* --- POST /api/predict ------------------------------------------------------------------ */

/* The announced size of the body, or 0 when there is none (chunked). */
static unsigned long long announced_length(struct MHD_Connection *c)
{
    const char *text =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return text ? strtoull(text, NULL, 10) : 0;
}

/* Keeps the next piece of the body, up to DEMO_MAX_BODY; past it the bytes
 * are read and only counted, so that the client, still sending, reads the 413
 * at the end (a socket closed under a sending client loses the answer: the
 * client sees a broken pipe). Returns 0 once the client has sent MAX_DISCARD
 * bytes more than the limit: then the connection is closed without reading on. */
static int keep(Body *b, const char *data, size_t n)
{
    if (b->dropped || n > DEMO_MAX_BODY - b->len) {
        b->dropped += n;
        return b->dropped <= MAX_DISCARD;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64 * 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (cap > DEMO_MAX_BODY + 1)
            cap = DEMO_MAX_BODY + 1;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 1;
}

static enum MHD_Result answer_too_large(struct MHD_Connection *c)
{
    return answer_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "la petición pasa de %d MB",
                        DEMO_MAX_BODY / (1024 * 1024));
}

/* MHD calls this first with the headers (state NULL: a body is set up), then
 * once per piece of the body, then once more with nothing: the answer. (MHD
 * lets a handler answer only between pieces, not in the middle of one.) A body
 * over DEMO_MAX_BODY is never kept: a body announced far too large is refused
 * before it is read. */
static enum MHD_Result predict(const Server *s, struct MHD_Connection *c, const char *data,
                               size_t *size, void **state)
{
    Body *b = *state;
    if (!b) {
        unsigned long long announced = announced_length(c);
        if (announced > (unsigned long long)DEMO_MAX_BODY + MAX_DISCARD)
            return answer_too_large(c);
        b = xcalloc(1, sizeof *b);
        if (announced && announced <= DEMO_MAX_BODY) {   /* one allocation when it fits */
            b->cap = (size_t)announced + 1;
            b->data = xmalloc(b->cap);
        }
        *state = b;
        return MHD_YES;
    }
    if (*size) {
        int more = keep(b, data, *size);
        *size = 0;
        return more ? MHD_YES : MHD_NO;
    }
    if (b->dropped)
        return answer_too_large(c);
    char *json = NULL;
    int status = demo_predict_json(s->models, b->data ? b->data : "", b->len, &json);
    if (!json)
        return answer_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "la respuesta no se pudo escribir");
    return answer_json(c, (unsigned)status, json);
}

/* Frees a request's body once MHD is done with the request, however it ended. */
static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    Body *b = *state;
    if (b) {
        free(b->data);
        free(b);
        *state = NULL;
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **state)
{
    (void)version;
    const Server *s = cls;
    if (strcmp(url, "/api") != 0 && strncmp(url, "/api/", 5) != 0)
        return serve_static(s, c, url, method);
    if (strcmp(url, "/api/predict") != 0)
        return answer_error(c, MHD_HTTP_NOT_FOUND, "no existe %.200s (la API es POST /api/predict)",
                            url);
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
        return answer_bad_method(c, method, "POST");
    return predict(s, c, data, size, state);
}

/* --- listening, and stopping ------------------------------------------------------------ */

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fprintf(stderr, "%s: ", progname());
    vfprintf(stderr, fmt, ap);   /* MHD's messages end with their own newline */
}

/* The listening socket, bound here rather than by MHD so that a port in use
 * is one clear line. Writes the address to open into `url`. */
static int listen_on(const char *host, const char *port, char *url, size_t urllen, int *ipv6)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *found;
    int rc = getaddrinfo(host, port, &hints, &found);
    if (rc != 0)
        usage_error("--host: no encuentro la dirección '%s' (%s)", host, gai_strerror(rc));
    int fd = -1, err = 0;
    for (struct addrinfo *a = found; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        int yes = 1;
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
            bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
            err = errno;
            if (fd >= 0)
                close(fd);
            fd = -1;
            continue;
        }
        *ipv6 = a->ai_family == AF_INET6;
    }
    freeaddrinfo(found);
    if (fd < 0)
        die("no puedo escuchar en %s, puerto %s: %s%s", host, port, strerror(err),
            err == EADDRINUSE ? " (otro programa lo usa: prueba PORT=8081)" : "");
    /* the port the system gave, when --port 0 asked for any */
    struct sockaddr_storage bound;
    socklen_t len = sizeof bound;
    char service[16] = "?";
    if (getsockname(fd, (struct sockaddr *)&bound, &len) == 0)
        getnameinfo((struct sockaddr *)&bound, len, NULL, 0, service, sizeof service,
                    NI_NUMERICSERV);
    snprintf(url, urllen, *ipv6 && strchr(host, ':') ? "http://[%s]:%s/" : "http://%s:%s/",
             host, service);
    return fd;
}

static struct MHD_Daemon *start_daemon(int fd, int ipv6, Server *s)
{
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_AUTO | MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,   /* first, as MHD asks */
        MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    if (!d)
        die("libmicrohttpd no pudo arrancar el servidor");
    return d;
}

/* The folder of the page must be there: without it there is nothing to serve. */
static void check_folder(const char *flag, const char *folder)
{
    struct stat st;
    if (stat(folder, &st) != 0 || !S_ISDIR(st.st_mode))
        usage_error("%s: '%s' no es una carpeta", flag, folder);
}

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    Options o = parse_flags(argc, argv);
    check_folder("--www", o.www);

    char err[512] = "";
    DemoModels *models = demo_models_load(o.mlp, o.cnn, err, sizeof err);
    if (!models)
        die("%s (los modelos salen de `make chapter3` y `make chapter4`; `make demo` los "
            "entrena si faltan)", err);

    /* SIGINT and SIGTERM are blocked in every thread (MHD's threads inherit
     * this mask) and taken here by sigwait: the stop is ordinary code in
     * main(), not a signal handler. A client that hangs up mid-answer must
     * not kill the server with SIGPIPE. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    char url[300];
    int ipv6 = 0;
    int fd = listen_on(o.host, o.port, url, sizeof url, &ipv6);
    Server server = {.models = models, .www = o.www, .notebooks = o.notebooks};
    struct MHD_Daemon *daemon = start_daemon(fd, ipv6, &server);
    printf("Modelos: MLP %s, CNN %s\n", o.mlp, o.cnn);
    printf("Abre %s\n", url);
    fflush(stdout);

    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(daemon);   /* closes the connections and the socket, waits for the threads */
    demo_models_free(models);
    /* after the terminal's "^C", on a line of its own */
    printf("%sServidor parado (%s).\n", sig == SIGINT && isatty(STDOUT_FILENO) ? "\n" : "",
           sig == SIGINT ? "Ctrl-C" : "SIGTERM");
    return 0;
}
