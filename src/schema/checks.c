/*
 * Checks beyond types: field constraints (minimum, pattern, enum, ...), formats (email, uri,
 * uuid, binary, phone) and row rules (x-sluice.rules). One issue per failure, with the
 * constraint or rule named so that quality figures can be computed from the issues.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

/* ---- formats ------------------------------------------------------------------------------ */

static int alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int hexd(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* local@domain: a dot-atom local part (RFC 5322 without quoted strings), a domain of labels
 * (letters, digits, hyphens inside) with at least one dot. Non-ASCII letters are allowed. */
int sl__is_email(const char *p, size_t n)
{
    const char *at = memchr(p, '@', n);
    if (!at || at == p || at == p + n - 1 || n > 254) return -1;
    size_t l = (size_t)(at - p);
    if (l > 64 || p[0] == '.' || p[l - 1] == '.') return -1;
    for (size_t i = 0; i < l; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x80 || alnum((char)c) || strchr("!#$%&'*+/=?^_`{|}~-", c) ||
            (c == '.' && p[i + 1] != '.'))
            continue;
        return -1;
    }
    const char *d = at + 1;
    size_t dn = n - l - 1, label = 0;
    int dots = 0;
    for (size_t i = 0; i < dn; i++) {
        unsigned char c = (unsigned char)d[i];
        if (c == '.') {
            if (label == 0 || d[i - 1] == '-') return -1;
            label = 0;
            dots++;
            continue;
        }
        if (!(c >= 0x80 || alnum((char)c) || (c == '-' && label > 0))) return -1;
        if (++label > 63) return -1;
    }
    return dots && label > 0 && d[dn - 1] != '-' ? 0 : -1;
}

/* RFC 3986 absolute URI: scheme ":" then characters a URI may hold (no spaces). */
int sl__is_uri(const char *p, size_t n)
{
    size_t i = 0;
    if (!n || !((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z'))) return -1;
    while (i < n && (alnum(p[i]) || p[i] == '+' || p[i] == '-' || p[i] == '.')) i++;
    if (i >= n || p[i] != ':' || i + 1 == n) return -1;
    for (i++; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '%') {
            if (i + 2 >= n || !hexd(p[i + 1]) || !hexd(p[i + 2])) return -1;
            i += 2;
            continue;
        }
        if (c <= 0x20 || c == 0x7f || c >= 0x80 || strchr("\"<>\\^`{|}", c)) return -1;
    }
    return 0;
}

int sl__is_uuid(const char *p, size_t n)
{
    if (n != 36) return -1;
    for (size_t i = 0; i < n; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (p[i] != '-') return -1;
        } else if (!hexd(p[i])) {
            return -1;
        }
    }
    return 0;
}

int sl__is_base64(const char *p, size_t n)
{
    size_t pad = 0;
    if (n % 4) return -1;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '=') {
            if (i < n - 2) return -1;
            pad++;
            continue;
        }
        if (pad || !(alnum(c) || c == '+' || c == '/')) return -1;
    }
    return 0;
}

int sl__is_phone(const char *p, size_t n, const char **why)
{
    size_t digits = 0, other = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9')
            digits++;
        else if (i || p[i] != '+')
            other++;
    }
    if (!n || p[0] != '+') {
        *why = "is not an E.164 phone number: it must start with + and the country code";
        return -1;
    }
    if (other) {
        *why = "is not an E.164 phone number: only + and digits, no spaces, dashes or brackets";
        return -1;
    }
    if (digits < 8 || digits > 15) {
        *why = "is not an E.164 phone number: + and 8 to 15 digits";
        return -1;
    }
    if (p[1] == '0') {
        *why = "is not an E.164 phone number: a country code does not start with 0";
        return -1;
    }
    return 0;
}

/* ---- values ------------------------------------------------------------------------------- */

/* Orders two cast values of one field: <0, 0, >0; 2 when they cannot be compared. */
static int value_cmp(const struct sl_value *a, const struct sl_value *b)
{
    if (a->type == SL_V_TEXT && b->type == SL_V_TEXT) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->u.s, b->u.s, n);
        if (c) return c < 0 ? -1 : 1;
        return a->len < b->len ? -1 : a->len > b->len;
    }
    if ((a->type == SL_V_INT || a->type == SL_V_BOOL) &&
        (b->type == SL_V_INT || b->type == SL_V_BOOL))
        return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
    if ((a->type == SL_V_INT || a->type == SL_V_REAL) &&
        (b->type == SL_V_INT || b->type == SL_V_REAL)) {
        double x = a->type == SL_V_INT ? (double)a->u.i : a->u.d;
        double y = b->type == SL_V_INT ? (double)b->u.i : b->u.d;
        return x < y ? -1 : x > y;
    }
    return 2;
}

static size_t utf8_chars(const char *p, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)p[i] & 0xc0) != 0x80;
    return c;
}

/* Items of a JSON array or members of an object (the value was checked when cast). */
static size_t json_len(const char *p, size_t n)
{
    struct sl_json_tok tok, k, v;
    struct sl_json_err e;
    struct sl_json_iter it;
    size_t c = 0;
    if (sl_json_scan(p, n, 1, &tok, &e) <= 0) return 0;
    sl_json_iter_init(&it, &tok);
    while (sl_json_iter_next(&it, &k, &v)) c++;
    return c;
}

static void issue(struct sl_batch *b, struct sl_row *row, const struct sl_field *f,
                  const struct sl_cell *c, int constraint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void issue(struct sl_batch *b, struct sl_row *row, const struct sl_field *f,
                  const struct sl_cell *c, int constraint, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sl_row_issue(b, row, f->rules->severity[constraint], "constraint-error", f->name,
                 c ? c->p : NULL, c ? c->len : 0, "%s", msg)
        ->constraint = sl_constraint_name(constraint);
}

static int vlen(const char *raw)
{
    size_t n = strlen(raw);
    return (int)(n > 80 ? 80 : n);
}

void sl__check_cell(const struct sl_field *f, const struct sl_cell *c, const struct sl_value *v,
                    struct sl_batch *b, struct sl_row *row)
{
    const struct sl_field_rules *r = f->rules;
    int cmp;

    if (!r || v->type == SL_V_NULL) return;
    int shown = (int)(c->len > 80 ? 80 : c->len);
    if (r->min_raw && (cmp = value_cmp(v, &r->min)) != 2 && cmp < 0)
        issue(b, row, f, c, SL_C_MINIMUM, "%s must be >= %.*s", f->name, vlen(r->min_raw),
              r->min.type == SL_V_TEXT ? r->min.u.s : r->min_raw);
    if (r->max_raw && (cmp = value_cmp(v, &r->max)) != 2 && cmp > 0)
        issue(b, row, f, c, SL_C_MAXIMUM, "%s must be <= %.*s", f->name, vlen(r->max_raw),
              r->max.type == SL_V_TEXT ? r->max.u.s : r->max_raw);
    if (r->min_len >= 0 || r->max_len >= 0) {
        size_t len =
            f->type == SL_TYPE_STRING ? utf8_chars(v->u.s, v->len) : json_len(v->u.s, v->len);
        const char *unit = f->type == SL_TYPE_STRING ? "characters" : "items";
        if (r->min_len >= 0 && (int64_t)len < r->min_len)
            issue(b, row, f, c, SL_C_MINLENGTH, "%s must have at least %lld %s, '%.*s' has %zu",
                  f->name, (long long)r->min_len, unit, shown, c->p, len);
        if (r->max_len >= 0 && (int64_t)len > r->max_len)
            issue(b, row, f, c, SL_C_MAXLENGTH, "%s must have at most %lld %s, '%.*s' has %zu",
                  f->name, (long long)r->max_len, unit, shown, c->p, len);
    }
    if (r->re && v->type == SL_V_TEXT) {
        int m = pcre2_match(r->re, (PCRE2_SPTR)v->u.s, v->len, 0, 0, r->md, NULL);
        if (m < 0)
            issue(b, row, f, c, SL_C_PATTERN, "%s: '%.*s' does not match the pattern %s", f->name,
                  shown, c->p, r->pattern);
    }
    if (r->nenum) {
        size_t i;
        for (i = 0; i < r->nenum && value_cmp(v, &r->enum_v[i]) != 0; i++)
            ;
        if (i == r->nenum) {
            char list[200];
            size_t k = 0;
            for (size_t e = 0; e < r->nenum && k < sizeof list - 8; e++)
                k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", e ? ", " : "",
                                      r->enum_raw[e]);
            if (k >= sizeof list - 8) snprintf(list + sizeof list - 8, 8, ", ...");
            issue(b, row, f, c, SL_C_ENUM, "%s: '%.*s' is not one of %s", f->name, shown, c->p,
                  list);
        }
    }
}

/* ---- row rules ---------------------------------------------------------------------------- */

enum { E_NUM, E_STR, E_FIELD, E_NULL, E_NOT, E_NEG, E_BIN };
enum { OP_OR, OP_AND, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_ADD, OP_SUB, OP_MUL, OP_DIV };

struct sl_rule_expr {
    int kind, op;
    double num;
    char *str;
    int field;
    struct sl_rule_expr *a, *b;
};

void sl__expr_free(struct sl_rule_expr *e)
{
    if (!e) return;
    sl__expr_free(e->a);
    sl__expr_free(e->b);
    free(e->str);
    free(e);
}

struct parser {
    const struct sl_schema *s;
    const char *p;
    const char *why;
    char detail[300];
};

static void ws(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n') ps->p++;
}

static int word(struct parser *ps, const char *w)
{
    size_t n = strlen(w);
    ws(ps);
    if (strncasecmp(ps->p, w, n) || alnum(ps->p[n]) || ps->p[n] == '_') return 0;
    ps->p += n;
    return 1;
}

static struct sl_rule_expr *node(int kind)
{
    struct sl_rule_expr *e = sl_xcalloc(1, sizeof *e);
    e->kind = kind;
    e->field = -1;
    return e;
}

static struct sl_rule_expr *bin(int op, struct sl_rule_expr *a, struct sl_rule_expr *b)
{
    struct sl_rule_expr *e = node(E_BIN);
    e->op = op;
    e->a = a;
    e->b = b;
    return e;
}

static struct sl_rule_expr *p_or(struct parser *ps);

static struct sl_rule_expr *p_atom(struct parser *ps)
{
    struct sl_rule_expr *e;
    ws(ps);
    const char *p = ps->p;
    if (*p == '(') {
        ps->p++;
        if (!(e = p_or(ps))) return NULL;
        ws(ps);
        if (*ps->p != ')') {
            ps->why = "expected )";
            sl__expr_free(e);
            return NULL;
        }
        ps->p++;
        return e;
    }
    if (*p == '-') {
        ps->p++;
        if (!(e = p_atom(ps))) return NULL;
        struct sl_rule_expr *n = node(E_NEG);
        n->a = e;
        return n;
    }
    if ((*p >= '0' && *p <= '9') || *p == '.') {
        char *end;
        e = node(E_NUM);
        e->num = strtod(p, &end);
        ps->p = end;
        return e;
    }
    if (*p == '\'') { /* 'text', '' escapes a quote */
        struct sl_buf b = SL_BUF_INIT;
        for (p++;; p++) {
            if (!*p) {
                ps->why = "unterminated 'string'";
                sl_buf_free(&b);
                return NULL;
            }
            if (*p == '\'' && p[1] == '\'') {
                sl_buf_addc(&b, '\'');
                p++;
                continue;
            }
            if (*p == '\'') break;
            sl_buf_addc(&b, *p);
        }
        ps->p = p + 1;
        e = node(E_STR);
        e->str = b.p ? sl_buf_detach(&b) : sl_xstrdup("");
        return e;
    }
    if (word(ps, "null")) return node(E_NULL);
    if (word(ps, "true") || word(ps, "false")) {
        e = node(E_NUM);
        e->num = ps->p[-1] == 'e' && (ps->p[-2] == 'u' || ps->p[-2] == 'U');
        return e;
    }
    /* a field: a bare name or "a quoted name" */
    char name[256];
    size_t n = 0;
    if (*p == '"') {
        for (p++; *p && *p != '"' && n < sizeof name - 1; p++) name[n++] = *p;
        if (*p != '"') {
            ps->why = "unterminated \"field name\"";
            return NULL;
        }
        p++;
    } else {
        while ((alnum(*p) || *p == '_' || (unsigned char)*p >= 0x80) && n < sizeof name - 1)
            name[n++] = *p++;
    }
    name[n] = 0;
    if (!n) {
        ps->why = *p ? "expected a field, a number or a 'string'" : "unexpected end";
        return NULL;
    }
    ps->p = p;
    e = node(E_FIELD);
    if ((e->field = sl_schema_find(ps->s, name)) < 0) {
        snprintf(ps->detail, sizeof ps->detail,
                 "'%s' is not a field (quote text as 'text', a field name with spaces as \"a b\")",
                 name);
        ps->why = ps->detail;
        sl__expr_free(e);
        return NULL;
    }
    return e;
}

static struct sl_rule_expr *p_mul(struct parser *ps)
{
    struct sl_rule_expr *a = p_atom(ps), *b;
    while (a) {
        ws(ps);
        int op = *ps->p == '*' ? OP_MUL : *ps->p == '/' ? OP_DIV : -1;
        if (op < 0) break;
        ps->p++;
        if (!(b = p_atom(ps))) return sl__expr_free(a), NULL;
        a = bin(op, a, b);
    }
    return a;
}

static struct sl_rule_expr *p_add(struct parser *ps)
{
    struct sl_rule_expr *a = p_mul(ps), *b;
    while (a) {
        ws(ps);
        int op = *ps->p == '+' ? OP_ADD : *ps->p == '-' ? OP_SUB : -1;
        if (op < 0) break;
        ps->p++;
        if (!(b = p_mul(ps))) return sl__expr_free(a), NULL;
        a = bin(op, a, b);
    }
    return a;
}

static struct sl_rule_expr *p_cmp(struct parser *ps)
{
    static const struct {
        const char *t;
        int op;
    } ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<>", OP_NE}, {"<=", OP_LE},
               {">=", OP_GE}, {"<", OP_LT},  {">", OP_GT},  {"=", OP_EQ}};
    struct sl_rule_expr *a, *b;
    if (word(ps, "not")) {
        if (!(a = p_cmp(ps))) return NULL;
        b = node(E_NOT);
        b->a = a;
        return b;
    }
    if (!(a = p_add(ps))) return NULL;
    ws(ps);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].t);
        if (strncmp(ps->p, ops[i].t, n)) continue;
        ps->p += n;
        if (!(b = p_add(ps))) return sl__expr_free(a), NULL;
        return bin(ops[i].op, a, b);
    }
    return a;
}

static struct sl_rule_expr *p_and(struct parser *ps)
{
    struct sl_rule_expr *a = p_cmp(ps), *b;
    while (a && (word(ps, "and") || (ws(ps), !strncmp(ps->p, "&&", 2) && (ps->p += 2)))) {
        if (!(b = p_cmp(ps))) return sl__expr_free(a), NULL;
        a = bin(OP_AND, a, b);
    }
    return a;
}

static struct sl_rule_expr *p_or(struct parser *ps)
{
    struct sl_rule_expr *a = p_and(ps), *b;
    while (a && (word(ps, "or") || (ws(ps), !strncmp(ps->p, "||", 2) && (ps->p += 2)))) {
        if (!(b = p_and(ps))) return sl__expr_free(a), NULL;
        a = bin(OP_OR, a, b);
    }
    return a;
}

struct sl_rule_expr *sl__expr_parse(const struct sl_schema *s, const char *text, char *why,
                                    size_t cap)
{
    struct parser ps = {s, text, NULL, ""};
    struct sl_rule_expr *e = p_or(&ps);
    if (e) {
        ws(&ps);
        if (*ps.p) {
            ps.why = "unexpected text after the expression";
            sl__expr_free(e);
            e = NULL;
        }
    }
    snprintf(why, cap, "%s", ps.why ? ps.why : "syntax error");
    return e;
}

/* A value during evaluation: a number, a text, a truth value or unknown (a missing field). */
struct ev {
    int t; /* 0 unknown, 1 number, 2 text */
    double d;
    const char *s;
    size_t n;
};

static struct ev eval(const struct sl_rule_expr *e, const struct sl_row *row)
{
    struct ev r = {0, 0, NULL, 0}, a, b;
    switch (e->kind) {
    case E_NUM: r.t = 1, r.d = e->num; return r;
    case E_STR: r.t = 2, r.s = e->str, r.n = strlen(e->str); return r;
    case E_NULL: return r;
    case E_FIELD: {
        const struct sl_value *v = &row->values[e->field];
        switch (v->type) {
        case SL_V_INT:
        case SL_V_BOOL: r.t = 1, r.d = (double)v->u.i; break;
        case SL_V_REAL: r.t = 1, r.d = v->u.d; break;
        case SL_V_TEXT: r.t = 2, r.s = v->u.s, r.n = v->len; break;
        }
        return r;
    }
    case E_NEG:
        a = eval(e->a, row);
        if (a.t == 1) r.t = 1, r.d = -a.d;
        return r;
    case E_NOT:
        a = eval(e->a, row);
        if (a.t == 1) r.t = 1, r.d = a.d == 0;
        return r;
    }
    a = eval(e->a, row);
    if (e->op == OP_AND && a.t == 1 && a.d == 0) return a; /* false and x: false */
    if (e->op == OP_OR && a.t == 1 && a.d != 0) return a;  /* true or x: true */
    b = eval(e->b, row);
    if (e->op == OP_AND || e->op == OP_OR) {
        if (b.t == 1 && e->op == OP_AND && b.d == 0) return b;
        if (b.t == 1 && e->op == OP_OR && b.d != 0) return b;
        if (a.t != 1 || b.t != 1) return r;
        r.t = 1;
        r.d = e->op == OP_AND ? (a.d != 0 && b.d != 0) : (a.d != 0 || b.d != 0);
        return r;
    }
    if (!a.t || !b.t) return r; /* a missing value: unknown */
    if (e->op >= OP_ADD) {
        if (a.t != 1 || b.t != 1) return r;
        r.t = 1;
        switch (e->op) {
        case OP_ADD: r.d = a.d + b.d; break;
        case OP_SUB: r.d = a.d - b.d; break;
        case OP_MUL: r.d = a.d * b.d; break;
        default:
            if (b.d == 0) return (struct ev){0, 0, NULL, 0};
            r.d = a.d / b.d;
        }
        return r;
    }
    int c;
    if (a.t == 1 && b.t == 1) {
        /* sums of decimals: 0.1 + 0.2 == 0.3 should hold */
        double tol = 1e-9 * fmax(1.0, fmax(fabs(a.d), fabs(b.d)));
        c = fabs(a.d - b.d) <= tol ? 0 : a.d < b.d ? -1 : 1;
    } else if (a.t == 2 && b.t == 2) {
        size_t n = a.n < b.n ? a.n : b.n;
        c = memcmp(a.s, b.s, n);
        if (!c) c = a.n < b.n ? -1 : a.n > b.n;
    } else {
        return r; /* a number and a text: unknown */
    }
    r.t = 1;
    switch (e->op) {
    case OP_EQ: r.d = c == 0; break;
    case OP_NE: r.d = c != 0; break;
    case OP_LT: r.d = c < 0; break;
    case OP_LE: r.d = c <= 0; break;
    case OP_GT: r.d = c > 0; break;
    default: r.d = c >= 0;
    }
    return r;
}

void sl__check_rules(const struct sl_schema *s, struct sl_batch *b, struct sl_row *row)
{
    for (size_t i = 0; i < s->nrules; i++) {
        const struct sl_rule *r = &s->rules[i];
        if (r->expr) {
            /* unknown (a value is missing or not comparable) passes: required says otherwise */
            struct ev v = eval(r->expr, row);
            if (v.t == 1 && v.d == 0) {
                struct sl_issue *is =
                    sl_row_issue(b, row, r->severity, "row-constraint", NULL, NULL, 0, "%s",
                                 r->message ? r->message : r->check);
                if (!r->message && is != &b->unkept)
                    is->message =
                        sl_arena_sprintf(&b->arena, "the row breaks the rule %s", r->check);
                is->constraint = r->name;
            }
        }
        if (r->when_expr && r->req_index >= 0) {
            struct ev w = eval(r->when_expr, row);
            const struct sl_value *v = &row->values[r->req_index];
            if (w.t == 1 && w.d != 0 && v->type == SL_V_NULL && !v->len) {
                struct sl_issue *is =
                    sl_row_issue(b, row, r->severity, "row-constraint", r->req_field, NULL, 0,
                                 "%s is required when %s", r->req_field, r->when);
                if (r->message) is->message = r->message;
                is->constraint = r->name;
            }
        }
    }
}
