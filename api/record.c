/* record.c — what a program reads of a record before judging it: where it is, who and what it
 * is, and the errors and warnings found reading it. */
#include "runtime/records/record.h"
#include "api/internal.h"

IMHE_API const char *imhe_record_file(const imhe_record *r) {
  return r ? r->file : NULL;
}
IMHE_API uint32_t imhe_record_line(const imhe_record *r) {
  return r ? r->line : 0;
}
IMHE_API const char *imhe_record_id(const imhe_record *r) {
  return r ? r->id.s : NULL;
}
IMHE_API const char *imhe_record_applicant(const imhe_record *r) {
  return r ? r->applicant_name.s : NULL;
}
IMHE_API const char *imhe_record_association(const imhe_record *r) {
  return r ? r->association.s : NULL;
}
IMHE_API imhe_record_kind imhe_record_kind_of(const imhe_record *r) {
  return r ? r->kind : IMHE_KIND_APPLICATION;
}
IMHE_API size_t imhe_record_message_count(const imhe_record *r) {
  return r ? (size_t)r->errors.n + r->warnings.n : 0;
}

/* Message i of lists a then b (errors then warnings), copied into out. */
int imhe_msgs_at(const struct imhe_msgs *a, const struct imhe_msgs *b, size_t i, int *is_error,
                 imhe_error *out) {
  if (!out || i >= (size_t)a->n + b->n)
    return 0;
  const struct imhe_msg *m = i < a->n ? &a->v[i] : &b->v[i - a->n];
  if (is_error)
    *is_error = i < a->n;
  imhe_fail_at(out, i < a->n ? IMHE_RECORD : IMHE_OK, m->file, m->line, m->col, "%s", m->text);
  return 1;
}

IMHE_API int imhe_record_message(const imhe_record *r, size_t i, int *is_error, imhe_error *out) {
  return r ? imhe_msgs_at(&r->errors, &r->warnings, i, is_error, out) : 0;
}
