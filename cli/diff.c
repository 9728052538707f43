/* diff.c — `imhe diff OLD NEW`: what differs between two policies or rules directories (for
 * example two `git worktree` checkouts), compared by the library (imhe_policy_diff_open) and
 * printed as text, JSON or Markdown. */
#include "cli/options.h"
#include "include/imhe.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const usage_diff =
    "usage: imhe diff [--format text|json|markdown] OLD NEW [--summary] [--records PATH...]\n"
    "\n"
    "Lists what differs between two policies (.imhe or .imhec files) or two rules\n"
    "directories (policies paired by file name): rules added, removed or changed\n"
    "(description, area, categories, conditions, thresholds and dates, logic), fees,\n"
    "coupons, deadlines, accepted memberships, bases and the categories offered.\n"
    "Nothing is written into either directory.\n"
    "With --records, every record of the PATHs (files) is judged under both in one\n"
    "pass instead: counts (unchanged; eligible -> not eligible; not eligible ->\n"
    "eligible; other changes such as fees), the rules on which records flip and how\n"
    "many, and for each changed record the two explanations of each rule changed\n"
    "(left out with --summary).\n"
    "  --format F      text (default), json (one object per difference, JSON Lines)\n"
    "                  or markdown (a table)\n"
    "exit: 0 no difference, 1 some, 2 a usage or policy error (or, with\n"
    "--records, a record file that cannot be read)\n";

enum dformat { D_TEXT, D_JSON, D_MARKDOWN };

static imhe_policy_set *open_side(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "imhe diff: %s: %s\n", path, strerror(errno));
    return NULL;
  }
  imhe_open_options oo = {.no_cache_write = 1};
  imhe_policy_set *set;
  imhe_error e;
  if (imhe_policy_set_open(path, &oo, &set, &e) != IMHE_OK) {
    fprintf(stderr, "imhe diff: %s\n", e.message);
    return NULL;
  }
  return set;
}

static void json_str(FILE *o, const char *s) {
  if (!s) {
    fputs("null", o);
    return;
  }
  fputc('"', o);
  for (; *s; s++)
    if (*s == '"' || *s == '\\')
      fprintf(o, "\\%c", *s);
    else if ((unsigned char)*s < 0x20)
      fprintf(o, "\\u%04x", *s);
    else
      fputc(*s, o);
  fputc('"', o);
}

/* Markdown table cells: a | would end the cell, a newline the row. */
static void md_cell(const char *s) {
  for (; s && *s; s++)
    if (*s == '|')
      fputs("\\|", stdout);
    else
      putchar(*s == '\n' ? ' ' : *s);
}

static void print_one(enum dformat f, const imhe_difference *d) {
  if (f == D_JSON) {
    printf("{\"policy\":");
    json_str(stdout, d->policy);
    printf(",\"what\":");
    json_str(stdout, d->what);
    printf(",\"change\":\"%s\",\"old\":", d->change);
    json_str(stdout, d->old_text);
    printf(",\"new\":");
    json_str(stdout, d->new_text);
    printf(",\"file\":");
    json_str(stdout, d->file);
    printf(",\"line\":%u}\n", d->line);
  } else if (f == D_MARKDOWN) {
    printf("| %s | ", d->policy);
    md_cell(d->what);
    printf(" | %s | ", d->change);
    md_cell(d->old_text ? d->old_text : "");
    printf(" | ");
    md_cell(d->new_text ? d->new_text : "");
    if (d->file)
      printf(" | %s:%u |\n", d->file, d->line);
    else
      printf(" | |\n");
  } else {
    printf("%s: %s %s", d->policy, d->what, d->change);
    if (d->old_text && d->new_text)
      printf(": %s → %s", d->old_text, d->new_text);
    else if (d->old_text || d->new_text)
      printf(": %s", d->old_text ? d->old_text : d->new_text);
    if (d->file)
      printf("  [%s:%u]", d->file, d->line);
    putchar('\n');
  }
}

/* ---- --records: every record judged under both sets */

/* How many records flip on a rule one way (old status -> new status). */
struct flip {
  char *rule;
  imhe_status from, to;
  unsigned long count;
};

struct tally {
  unsigned long records, unchanged, to_not, to_eligible, other;
  struct flip flips[256];
  size_t nflips;
  int summary;  /* --summary: counts only, no record's explanations */
  FILE *detail; /* the per-record sections, printed after the counts */
  char *buf;
  size_t len;
  int io_failed;
};

static int is_eligible(imhe_verdict v) {
  return v == IMHE_VERDICT_ELIGIBLE || v == IMHE_VERDICT_PENDING_EXAM;
}

static void count_flip(struct tally *t, const imhe_rule_change *c) {
  const char *id = imhe_rule_id(c->old_rule ? c->old_rule : c->new_rule);
  imhe_status from = c->old_rule ? imhe_rule_status(c->old_rule) : IMHE_STATUS__COUNT;
  imhe_status to = c->new_rule ? imhe_rule_status(c->new_rule) : IMHE_STATUS__COUNT;
  if (from == to)
    return; /* the explanation changed, not the outcome: not a flip */
  for (size_t i = 0; i < t->nflips; i++)
    if (!strcmp(t->flips[i].rule, id) && t->flips[i].from == from && t->flips[i].to == to) {
      t->flips[i].count++;
      return;
    }
  if (t->nflips < sizeof t->flips / sizeof t->flips[0])
    t->flips[t->nflips++] = (struct flip){strdup(id), from, to, 1};
}

static const char *status_or_absent(imhe_status s) {
  return s == IMHE_STATUS__COUNT ? "not judged" : imhe_status_name(s);
}

/* One side's explanation of a rule: status, description, source, each condition's sentence. */
static void explain(FILE *o, enum dformat f, const char *side, const imhe_rule_result *r) {
  if (!r) {
    fprintf(o,
            f == D_MARKDOWN ? "- %s: not judged (not in this policy for this record)\n"
                            : "      %s: not judged (not in this policy for this record)\n",
            side);
    return;
  }
  fprintf(o,
          f == D_MARKDOWN ? "- %s: **%s** %s `[%s, %s:%u]`\n" : "      %s: %s  %s  [%s, %s:%u]\n",
          side, imhe_status_name(imhe_rule_status(r)), imhe_rule_description(r), imhe_rule_id(r),
          imhe_rule_file(r), imhe_rule_line(r));
  for (size_t i = 0; i < imhe_rule_condition_count(r); i++) {
    const imhe_condition *c = imhe_rule_condition(r, i);
    fprintf(o, f == D_MARKDOWN ? "  - %s: %s\n" : "          %s: %s\n",
            imhe_status_name(imhe_condition_status(c)), imhe_condition_sentence(c));
  }
}

static void json_rule(FILE *o, const imhe_rule_result *r) {
  if (!r) {
    fputs("null", o);
    return;
  }
  char source[600];
  snprintf(source, sizeof source, "%s:%u", imhe_rule_file(r), imhe_rule_line(r));
  fprintf(o, "{\"status\":\"%s\",\"source\":", imhe_status_name(imhe_rule_status(r)));
  json_str(o, source);
  fputs(",\"conditions\":[", o);
  for (size_t i = 0; i < imhe_rule_condition_count(r); i++) {
    const imhe_condition *c = imhe_rule_condition(r, i);
    fprintf(o, "%s{\"status\":\"%s\",\"sentence\":", i ? "," : "",
            imhe_status_name(imhe_condition_status(c)));
    json_str(o, imhe_condition_sentence(c));
    fputc('}', o);
  }
  fputs("]}", o);
}

/* A verdict as a person reads it in the text and Markdown sections ("not eligible", as the
 * counts say it): its JSON word with spaces for underscores, into buf. */
static const char *verdict_words(imhe_verdict v, char *buf, size_t n) {
  snprintf(buf, n, "%s", imhe_verdict_name(v));
  for (char *p = buf; *p; p++)
    if (*p == '_')
      *p = ' ';
  return buf;
}

/* One changed record's section: its verdicts and each changed rule under both policies. */
static void record_section(FILE *o, enum dformat f, const imhe_record *rec, const imhe_result *a,
                           const imhe_result *b, const imhe_rule_change *ch, size_t n,
                           int settings) {
  const char *id = imhe_record_id(rec) ? imhe_record_id(rec) : "(no id)";
  const char *va = imhe_verdict_name(imhe_result_verdict(a)),
             *vb = imhe_verdict_name(imhe_result_verdict(b));
  if (f == D_JSON) {
    fprintf(o,
            "%s{\"id\":\"%s\",\"file\":\"%s\",\"line\":%u,\"old_verdict\":\"%s\",\"new_verdict\":"
            "\"%s\",\"fees_or_deadline_changed\":%s,\"rules\":[",
            ftell(o) ? "," : "", id, imhe_record_file(rec), imhe_record_line(rec), va, vb,
            settings ? "true" : "false");
    for (size_t i = 0; i < n; i++) {
      const imhe_rule_result *r = ch[i].old_rule ? ch[i].old_rule : ch[i].new_rule;
      fprintf(o, "%s{\"id\":\"%s\",\"old\":", i ? "," : "", imhe_rule_id(r));
      json_rule(o, ch[i].old_rule);
      fputs(",\"new\":", o);
      json_rule(o, ch[i].new_rule);
      fputc('}', o);
    }
    fputs("]}", o);
    return;
  }
  char wa[40], wb[40];
  verdict_words(imhe_result_verdict(a), wa, sizeof wa);
  verdict_words(imhe_result_verdict(b), wb, sizeof wb);
  if (f == D_MARKDOWN)
    fprintf(o, "\n### %s (%s:%u): %s → %s\n\n", id, imhe_record_file(rec), imhe_record_line(rec),
            wa, wb);
  else
    fprintf(o, "%s  %s:%u  %s → %s\n", id, imhe_record_file(rec), imhe_record_line(rec), wa, wb);
  if (settings)
    fputs(f == D_MARKDOWN ? "- fees or next deadline changed\n"
                          : "    fees or next deadline changed\n",
          o);
  for (size_t i = 0; i < n; i++) {
    const imhe_rule_result *r = ch[i].old_rule ? ch[i].old_rule : ch[i].new_rule;
    fprintf(o, f == D_MARKDOWN ? "%s`%s`:\n\n" : "%s  rule %s\n", f == D_MARKDOWN && i ? "\n" : "",
            imhe_rule_id(r));
    explain(o, f, "old", ch[i].old_rule);
    explain(o, f, "new", ch[i].new_rule);
  }
}

/* Judges rec under both sets and counts what changed. A record whose policy is the same program
 * in both is unchanged without being judged (imhe_judge_pair). The first pass judges for verdicts
 * only, which gives every fact counted here (verdicts, each rule's status, each condition's status
 * and values, fees, deadline); only a changed record whose explanations are printed (not with
 * --summary) is judged again in full. */
static void compare_record(enum dformat f, const imhe_policy_set *os, const imhe_policy_set *ns,
                           const imhe_record *ro, struct tally *t) {
  imhe_result *a = NULL, *b = NULL;
  imhe_error e;
  imhe_judge_options lean = {.verdicts_only = 1};
  if (imhe_judge_pair(os, ns, ro, &lean, &a, &b, &e) != IMHE_OK) {
    fprintf(stderr, "imhe diff: %s\n", e.message);
    t->io_failed = 1;
    return;
  }
  t->records++;
  if (!a) {
    t->unchanged++;
    return;
  }
  imhe_rule_change ch[128];
  size_t n = imhe_result_changes(a, b, ch, 128);
  int settings = imhe_result_settings_differ(a, b);
  imhe_verdict va = imhe_result_verdict(a), vb = imhe_result_verdict(b);
  if (va == vb && !n && !settings)
    t->unchanged++;
  else {
    if (!t->summary) { /* the explanations printed: judged again, in full */
      imhe_result_free(a);
      imhe_result_free(b);
      a = b = NULL;
      if (imhe_judge_pair(os, ns, ro, NULL, &a, &b, &e) != IMHE_OK) {
        fprintf(stderr, "imhe diff: %s\n", e.message);
        t->io_failed = 1;
        return;
      }
      n = imhe_result_changes(a, b, ch, 128);
    }
    if (n > 128)
      n = 128;
    if (is_eligible(va) && !is_eligible(vb))
      t->to_not++;
    else if (!is_eligible(va) && is_eligible(vb))
      t->to_eligible++;
    else
      t->other++;
    for (size_t i = 0; i < n; i++)
      count_flip(t, &ch[i]);
    if (!t->summary)
      record_section(t->detail, f, ro, a, b, ch, n, settings);
  }
  imhe_result_free(a);
  imhe_result_free(b);
}

static int by_count(const void *x, const void *y) {
  const struct flip *a = x, *b = y;
  return a->count != b->count ? (a->count < b->count ? 1 : -1) : strcmp(a->rule, b->rule);
}

static void print_summary(enum dformat f, struct tally *t, const char *const *paths, int summary) {
  qsort(t->flips, t->nflips, sizeof t->flips[0], by_count);
  if (f == D_JSON) {
    printf("{\"old\":");
    json_str(stdout, paths[0]);
    printf(",\"new\":");
    json_str(stdout, paths[1]);
    printf(",\"records\":%lu,\"unchanged\":%lu,\"eligible_to_not_eligible\":%lu,"
           "\"not_eligible_to_eligible\":%lu,\"other_changes\":%lu,\"flips\":[",
           t->records, t->unchanged, t->to_not, t->to_eligible, t->other);
    for (size_t i = 0; i < t->nflips; i++)
      printf("%s{\"rule\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"records\":%lu}", i ? "," : "",
             t->flips[i].rule, status_or_absent(t->flips[i].from), status_or_absent(t->flips[i].to),
             t->flips[i].count);
    printf("],\"changed\":[%.*s]}\n", summary ? 0 : (int)t->len, t->buf ? t->buf : "");
    return;
  }
  int md = f == D_MARKDOWN;
  printf(
      md ? "## %s → %s\n\n| records | unchanged | eligible → not eligible | not eligible → "
           "eligible | other changes |\n| --- | --- | --- | --- | --- |\n| %lu | %lu | %lu | %lu "
           "| %lu |\n"
         : "%s → %s\n  records                   %lu\n  unchanged                 %lu\n"
           "  eligible → not eligible   %lu\n  not eligible → eligible   %lu\n"
           "  other changes             %lu\n",
      paths[0], paths[1], t->records, t->unchanged, t->to_not, t->to_eligible, t->other);
  if (t->nflips)
    printf(md ? "\n| rule | from | to | records |\n| --- | --- | --- | --- |\n"
              : "\nrules on which records flip:\n");
  for (size_t i = 0; i < t->nflips; i++)
    printf(md ? "| %s | %s | %s | %lu |\n" : "  %-28s %-12s → %-12s %lu\n", t->flips[i].rule,
           status_or_absent(t->flips[i].from), status_or_absent(t->flips[i].to), t->flips[i].count);
  if (t->len && !summary)
    printf(md ? "\n## Changed records\n%.*s" : "\nchanged records:\n%.*s", (int)t->len, t->buf);
}

/* Reads the record files once and compares each record's two results. */
static int diff_records(enum dformat f, const imhe_policy_set *os, const imhe_policy_set *ns,
                        const char *const *recs, int nrec, const char *const *paths, int summary) {
  for (int i = 0; i < nrec; i++) {
    struct stat st;
    if (stat(recs[i], &st) != 0 || S_ISDIR(st.st_mode)) {
      fprintf(stderr, "imhe diff: %s: %s\n", recs[i],
              stat(recs[i], &st) != 0 ? strerror(errno) : "is a directory, not a file of records");
      return 2;
    }
  }
  struct tally t = {0};
  t.summary = summary;
  t.detail = open_memstream(&t.buf, &t.len);
  imhe_source *sa = NULL;
  imhe_error e;
  if (!t.detail || imhe_source_open_paths(os, recs, (size_t)nrec, &sa, &e) != IMHE_OK) {
    fprintf(stderr, "imhe diff: %s\n", e.message);
    if (t.detail)
      fclose(t.detail);
    free(t.buf);
    return 2;
  }
  for (;;) {
    imhe_record *ra = NULL;
    size_t same = 0; /* records whose policy is the same program on both sides: unchanged */
    imhe_code ca = imhe_source_next_changed(sa, ns, &ra, &same, &e);
    t.records += same;
    t.unchanged += same;
    if (ca == IMHE_END)
      break;
    if (ca != IMHE_OK) {
      fprintf(stderr, "imhe diff: %s\n", e.message);
      t.io_failed = 1;
    } else
      compare_record(f, os, ns, ra, &t);
    imhe_record_free(ra);
  }
  imhe_source_close(sa);
  fclose(t.detail);
  print_summary(f, &t, paths, summary);
  for (size_t i = 0; i < t.nflips; i++)
    free(t.flips[i].rule);
  free(t.buf);
  if (!t.records)
    fprintf(stderr, "imhe diff: no record judged\n");
  return t.io_failed || !t.records ? 2 : t.unchanged == t.records ? 0 : 1;
}

int imhe_cli_diff(int argc, char **argv) {
  const char *paths[2] = {NULL, NULL}, *recs[256];
  int n = 0, records = 0, nrec = 0, summary = 0;
  enum dformat f = D_TEXT;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (imhe_cli_is_help(a)) {
      fputs(usage_diff, stdout);
      return 0;
    } else if (!strcmp(a, "--format")) {
      if (!(v = imhe_cli_option_value("diff", argc, argv, &i, "a format (text, json, markdown)")))
        return 2;
      if (!strcmp(v, "text") || !strcmp(v, "json") || !strcmp(v, "markdown"))
        f = v[0] == 't' ? D_TEXT : v[0] == 'j' ? D_JSON : D_MARKDOWN;
      else {
        fprintf(stderr, "imhe diff: unknown format '%s' (text, json, markdown)\n", v);
        return 2;
      }
    } else if (!strcmp(a, "--records")) {
      records = 1;
    } else if (!strcmp(a, "--summary")) {
      summary = 1;
    } else if (a[0] == '-') {
      fprintf(stderr, "imhe diff: unknown option '%s'\n%s", a, usage_diff);
      return 2;
    } else if (records && n == 2) {
      if (nrec < (int)(sizeof recs / sizeof recs[0]))
        recs[nrec++] = a;
    } else if (n == 2) {
      fprintf(stderr, "imhe diff: give two policies or rules directories, not more\n%s",
              usage_diff);
      return 2;
    } else
      paths[n++] = a;
  }
  if (records && n == 2 && !nrec) {
    fprintf(stderr, "imhe diff: --records needs record files after OLD and NEW\n");
    return 2;
  }
  if (n != 2) {
    fputs(usage_diff, stderr);
    return 2;
  }
  imhe_policy_set *old = open_side(paths[0]), *new_ = old ? open_side(paths[1]) : NULL;
  if (records) {
    int rc = old && new_ ? diff_records(f, old, new_, recs, nrec, paths, summary) : 2;
    imhe_policy_set_close(old);
    imhe_policy_set_close(new_);
    return rc;
  }
  imhe_policy_diff *d = NULL;
  imhe_error e;
  if (new_ && imhe_policy_diff_open(old, new_, &d, &e) != IMHE_OK)
    fprintf(stderr, "imhe diff: %s\n", e.message);
  size_t count = imhe_policy_diff_count(d);
  if (d && f == D_MARKDOWN && count)
    printf("| policy | what | change | old | new | source |\n| --- | --- | --- | --- | --- | --- "
           "|\n");
  for (size_t i = 0; i < count; i++) {
    imhe_difference x;
    imhe_policy_diff_at(d, i, &x);
    print_one(f, &x);
  }
  if (d && f != D_JSON)
    printf("%s%zu difference%s between %s and %s\n", f == D_MARKDOWN && count ? "\n" : "", count,
           count == 1 ? "" : "s", paths[0], paths[1]);
  int rc = !d ? 2 : count ? 1 : 0;
  imhe_policy_diff_close(d);
  imhe_policy_set_close(old);
  imhe_policy_set_close(new_);
  return rc;
}
