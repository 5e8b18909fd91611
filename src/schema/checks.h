/* Field constraints, formats and row rules of a Table Schema (internal to src/schema/). */
#ifndef SLUICE_SCHEMA_CHECKS_H
#define SLUICE_SCHEMA_CHECKS_H

#include "sluice/json.h"
#include "sluice/schema.h"

/* Parses field n's casting options, format, constraints and x-sluice into s->fields[k].
 * Errors say "path:line: what.key: ...". */
int sl__field_options(struct sl_schema *s, int k, const struct sl_doc *d, const struct sl_node *n,
                      const char *what, struct sl_error *err);
/* Parses the schema's x-sluice mapping (row rules) and foreignKeys. */
int sl__schema_x_sluice(struct sl_schema *s, const struct sl_doc *d, const struct sl_node *n,
                        struct sl_error *err);
int sl__schema_fkeys(struct sl_schema *s, const struct sl_doc *d, const struct sl_node *n,
                     struct sl_error *err);
/* Compiles what the parse left as text (patterns, rule expressions, constraint values). */
int sl__schema_compile(struct sl_schema *s, struct sl_error *err);

/* Row rule expressions: comparisons of fields and constants, + - * /, and/or/not. NULL and
 * *why set on a syntax error or an unknown field. */
struct sl_rule_expr *sl__expr_parse(const struct sl_schema *s, const char *text, char *why,
                                    size_t cap);
void sl__expr_free(struct sl_rule_expr *e);
/* NULL if fmt is a usable strptime-like pattern for type, else why not. */
const char *sl__pattern_check(const char *fmt, int type);

void sl__field_free(struct sl_field *f);
void sl__field_rules_free(struct sl_field_rules *r);
void sl__rules_free(struct sl_rule *r, size_t n);
void sl__fkeys_free(struct sl_fkey *k, size_t n);

/* Writes the field's members after name and type (format, casting options, constraints,
 * x-sluice) as JSON, each preceded by a comma. */
void sl__field_json(const struct sl_field *f, struct sl_buf *b);
/* Writes ,"foreignKeys":…,"x-sluice":… when the schema has them. */
void sl__schema_checks_json(const struct sl_schema *s, struct sl_buf *b);

/* Checks the constraints of field f on the cast value v of cell c; adds issues to row. */
void sl__check_cell(const struct sl_field *f, const struct sl_cell *c, const struct sl_value *v,
                    struct sl_batch *b, struct sl_row *row);
/* Row rules of s on row (values cast). */
void sl__check_rules(const struct sl_schema *s, struct sl_batch *b, struct sl_row *row);

/* Formats: 0 when p[0..n) is one. */
int sl__is_email(const char *p, size_t n);
int sl__is_uri(const char *p, size_t n);
int sl__is_uuid(const char *p, size_t n);
int sl__is_base64(const char *p, size_t n);
/* E.164: '+' then 8 to 15 digits, the first not 0. *why says what is wrong. */
int sl__is_phone(const char *p, size_t n, const char **why);

#endif
