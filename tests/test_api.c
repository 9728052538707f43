/* test_api.c — the public API as a program embedding imhe uses it: a policy set shared by four
 * threads judging thousands of records with reports identical to one thread's, and misuse (NULL
 * handles, a record from another set, an unknown reporter, a buffer too small) as error values. */
#include "helpers.h"
#include "include/imhe.h"
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static imhe_policy_set *open_rules(void) {
  imhe_open_options o = {.no_cache_write = 1};
  imhe_policy_set *set;
  imhe_error e;
  cr_assert_eq(imhe_policy_set_open("rules", &o, &set, &e), IMHE_OK, "%s", e.message);
  return set;
}

/* Every record of the files, in order. */
static size_t read_all_records(const imhe_policy_set *set, const char *const *paths, size_t n,
                               imhe_record ***out) {
  imhe_source *src;
  imhe_error e;
  cr_assert_eq(imhe_source_open_paths(set, paths, n, &src, &e), IMHE_OK, "%s", e.message);
  size_t cap = 64, k = 0;
  imhe_record **v = malloc(cap * sizeof *v);
  imhe_record *r;
  imhe_code rc;
  while ((rc = imhe_source_next(src, &r, &e)) != IMHE_END) {
    cr_assert_eq(rc, IMHE_OK, "%s", e.message);
    if (k == cap)
      v = realloc(v, (cap *= 2) * sizeof *v);
    v[k++] = r;
  }
  imhe_source_close(src);
  *out = v;
  return k;
}

static char *render(const imhe_policy_set *set, const imhe_record *r, const char *format) {
  imhe_result *res;
  imhe_error e;
  cr_assert_eq(imhe_judge(set, r, NULL, &res, &e), IMHE_OK, "%s", e.message);
  size_t need;
  imhe_render_buffer(res, format, NULL, NULL, 0, &need, NULL);
  char *buf = malloc(need + 1);
  cr_assert_eq(imhe_render_buffer(res, format, NULL, buf, need + 1, &need, &e), IMHE_OK, "%s",
               e.message);
  imhe_result_free(res);
  return buf;
}

struct work {
  const imhe_policy_set *set;
  imhe_record **recs;
  char **expect;
  size_t n, rounds, mismatches, judged;
};

static void *judge_all(void *arg) {
  struct work *w = arg;
  for (size_t k = 0; k < w->rounds; k++)
    for (size_t i = 0; i < w->n; i++) {
      /* each thread starts at a different record so they judge different ones at once */
      size_t at = (i + k * 7 + (size_t)(uintptr_t)pthread_self() % 13) % w->n;
      char *got = render(w->set, w->recs[at], (k & 1) ? "text" : "json");
      char *want = w->expect[2 * at + (k & 1)];
      w->mismatches += strcmp(got, want) != 0;
      w->judged++;
      free(got);
    }
  return NULL;
}

Test(api, four_threads_share_one_policy_set_with_identical_reports, .timeout = 240) {
  imhe_policy_set *set = open_rules();
  char **files;
  int nf = list_files("tests/acceptance/applications", ".yaml", &files);
  int nr = 0;
  char **renewals;
  nr = list_files("tests/acceptance/renewals", ".yaml", &renewals);
  const char **paths = malloc((size_t)(nf + nr) * sizeof *paths);
  char **full = malloc((size_t)(nf + nr) * sizeof *full);
  for (int i = 0; i < nf + nr; i++) {
    const char *dir = i < nf ? "tests/acceptance/applications" : "tests/acceptance/renewals";
    const char *name = i < nf ? files[i] : renewals[i - nf];
    full[i] = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(full[i], "%s/%s", dir, name);
    paths[i] = full[i];
  }
  imhe_record **recs;
  size_t n = read_all_records(set, paths, (size_t)(nf + nr), &recs);
  cr_assert_geq(n, 250, "the acceptance records: %zu", n);
  char **expect = malloc(2 * n * sizeof *expect);
  for (size_t i = 0; i < n; i++) {
    expect[2 * i] = render(set, recs[i], "json");
    expect[2 * i + 1] = render(set, recs[i], "text");
  }
  struct work w[4];
  pthread_t th[4];
  for (int t = 0; t < 4; t++) {
    w[t] = (struct work){.set = set, .recs = recs, .expect = expect, .n = n, .rounds = 4};
    cr_assert_eq(pthread_create(&th[t], NULL, judge_all, &w[t]), 0);
  }
  size_t judged = 0;
  for (int t = 0; t < 4; t++) {
    pthread_join(th[t], NULL);
    cr_expect_eq(w[t].mismatches, 0, "thread %d: %zu reports differ from one thread's", t,
                 w[t].mismatches);
    judged += w[t].judged;
  }
  cr_expect_geq(judged, 4000, "judged %zu", judged);
  for (size_t i = 0; i < n; i++) {
    free(expect[2 * i]);
    free(expect[2 * i + 1]);
    imhe_record_free(recs[i]);
  }
  for (int i = 0; i < nf + nr; i++)
    free(full[i]);
  free(full);
  free(paths);
  free(expect);
  free(recs);
  free_list(files, nf);
  free_list(renewals, nr);
  imhe_policy_set_close(set);
}

static imhe_record *one_record(const imhe_policy_set *set, const char *yaml) {
  imhe_source *src;
  imhe_record *r;
  cr_assert_eq(imhe_source_open_memory(set, yaml, strlen(yaml), "mem.yaml", &src, NULL), IMHE_OK);
  cr_assert_eq(imhe_source_next(src, &r, NULL), IMHE_OK);
  imhe_source_close(src);
  return r;
}

static const char *const wi_record =
    "kind: application\nid: A1\nassociation: WI-AIMH\ncategory: IFA\nsubmitted: 2025-09-15\n"
    "applicant: {name: Ann}\n";

Test(api, misuse_is_an_error_value_never_a_crash) {
  imhe_error e;
  imhe_policy_set *set = NULL;
  cr_expect_eq(imhe_policy_set_open(NULL, NULL, &set, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_eq(imhe_policy_set_open("rules", NULL, NULL, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_eq(imhe_policy_set_open("no/such/dir", NULL, &set, &e), IMHE_IO);
  cr_expect(strstr(e.message, "no/such/dir") != NULL, "%s", e.message);
  cr_expect_null(set);
  cr_expect_eq(imhe_policy_set_count(NULL), 0);
  cr_expect_null(imhe_policy_set_find(NULL, "WI"));
  cr_expect_null(imhe_policy_code(NULL));
  imhe_policy_set_close(NULL);
  imhe_source *src;
  cr_expect_eq(imhe_source_open_path(NULL, "x.yaml", &src, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_eq(imhe_source_next(NULL, NULL, &e), IMHE_INVALID_ARGUMENT);
  imhe_source_close(NULL);
  imhe_record_free(NULL);
  imhe_result_free(NULL);
  imhe_result *res;
  cr_expect_eq(imhe_judge(NULL, NULL, NULL, &res, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_eq(imhe_reporter_write(NULL, NULL, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_eq(imhe_reporter_close(NULL, &e), IMHE_OK);
  cr_expect_eq(imhe_render_buffer(NULL, "json", NULL, NULL, 0, NULL, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_eq(imhe_result_verdict(NULL), IMHE_VERDICT_INVALID);
  cr_expect_str_eq(imhe_code_name(IMHE_MISMATCH), "mismatch");
  cr_expect_null(imhe_code_name((imhe_code)99));
}

/* Each enumeration value has the name the JSON report writes; a value out of range has none
 * (NULL, as imhe.h documents), whichever side of the range it falls. */
Test(api, every_enumeration_value_has_its_report_name_and_none_out_of_range) {
  cr_expect_str_eq(imhe_section_name(IMHE_SECTION_RSC_PROVIDED), "rsc_provided");
  cr_expect_str_eq(imhe_record_kind_name(IMHE_KIND_REINSTATEMENT), "reinstatement");
  cr_expect_str_eq(imhe_verdict_name(IMHE_VERDICT_PENDING_EXAM), "eligible_pending_exam");
  cr_expect_str_eq(imhe_status_name(IMHE_STATUS_NOT_NEEDED), "not_needed");
  cr_expect_str_eq(imhe_as_of_source_name(IMHE_AS_OF_DEADLINE), "renewal_deadline");
  cr_expect_str_eq(imhe_unit_name(IMHE_UNIT_FAMILIES), "families");
  cr_expect_str_eq(imhe_reason_name(IMHE_REASON_NOT_CURRENT), "not_current");
  for (int past = 0; past <= 100; past += 100) {
    cr_expect_null(imhe_section_name((imhe_section)(IMHE_SECTION__COUNT + past)));
    cr_expect_null(imhe_record_kind_name((imhe_record_kind)(IMHE_KIND__COUNT + past)));
    cr_expect_null(imhe_verdict_name((imhe_verdict)(IMHE_VERDICT__COUNT + past)));
    cr_expect_null(imhe_status_name((imhe_status)(IMHE_STATUS__COUNT + past)));
    cr_expect_null(imhe_as_of_source_name((imhe_as_of_source)(IMHE_AS_OF__COUNT + past)));
    cr_expect_null(imhe_unit_name((imhe_unit)(IMHE_UNIT__COUNT + past)));
    cr_expect_null(imhe_reason_name((imhe_reason)(IMHE_REASON__COUNT + past)));
  }
  cr_expect_null(imhe_verdict_name((imhe_verdict)-1));
  cr_expect_null(imhe_unit_name((imhe_unit)-1));
}

/* UTF-8 text as UTF-16 with its byte-order mark, little- (be 0) or big-endian: characters past
 * U+FFFF as surrogate pairs. Returns a malloc'd buffer of *n bytes. */
static unsigned char *utf16_of(const char *s, int be, size_t *n) {
  size_t len = strlen(s), k = 0;
  unsigned char *o = malloc(2 * len + 2);
  unsigned units[2];
  o[k++] = be ? 0xfe : 0xff;
  o[k++] = be ? 0xff : 0xfe;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    unsigned c = *p, extra = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
    c &= extra ? 0x3fu >> extra : 0x7fu;
    for (p++; extra--; p++)
      c = c << 6 | (*p & 0x3fu);
    int nu = 1;
    units[0] = c;
    if (c >= 0x10000) {
      units[0] = 0xd800 + ((c - 0x10000) >> 10);
      units[1] = 0xdc00 + ((c - 0x10000) & 0x3ff);
      nu = 2;
    }
    for (int i = 0; i < nu; i++) {
      o[k++] = (unsigned char)(be ? units[i] >> 8 : units[i] & 0xff);
      o[k++] = (unsigned char)(be ? units[i] & 0xff : units[i] >> 8);
    }
  }
  *n = k;
  return o;
}

/* The applicant of the only record of a source, checked to have no error. */
static void expect_applicant(imhe_source *src, const char *want, const char *how) {
  imhe_record *r;
  imhe_error e;
  cr_assert_eq(imhe_source_next(src, &r, &e), IMHE_OK, "%s: %s", how, e.message);
  cr_expect_str_eq(imhe_record_applicant(r), want, "%s", how);
  cr_expect_str_eq(imhe_record_id(r), "U16", "%s", how);
  for (size_t i = 0; i < imhe_record_message_count(r); i++) {
    int is_error;
    imhe_record_message(r, i, &is_error, &e);
    cr_expect(!is_error, "%s: %s", how, e.message);
  }
  imhe_record_free(r);
  cr_expect_eq(imhe_source_next(src, &r, &e), IMHE_END, "%s", how);
  imhe_source_close(src);
}

/* A UTF-16 file (either byte order, larger than the reader's buffer, with characters of two, three
 * and four UTF-8 bytes) reads like its UTF-8 form from memory, from a FILE * and from a path. */
Test(api, utf16_records_read_like_utf8_from_memory_a_file_and_a_path) {
  const char *name = "Zo\xc3\xab N\xc3\xad \xe2\x80\x94 \xf0\x9f\x98\x80";
  size_t cap = 100000, k = 0;
  char *text = malloc(cap);
  while (k < 70000) /* 140 KB as UTF-16: past the 64 KiB the reader holds at once */
    k += (size_t)snprintf(text + k, cap - k, "# r\xc3\xa9sum\xc3\xa9 \xe2\x80\x94 note %zu\n", k);
  snprintf(text + k, cap - k,
           "id: U16\nassociation: WI\ncategory: IFS\nsubmitted: 2026-01-01\napplicant: {name: "
           "\"%s\"}\n",
           name);
  imhe_policy_set *set = open_rules();
  char *dir = temp_dir(), path[PATH_MAX];
  for (int be = 0; be <= 1; be++) {
    size_t n;
    unsigned char *bytes = utf16_of(text, be, &n);
    imhe_source *src;
    imhe_error e;
    cr_assert_eq(imhe_source_open_memory(set, bytes, n, "u16", &src, &e), IMHE_OK, "%s", e.message);
    expect_applicant(src, name, be ? "memory, big-endian" : "memory, little-endian");
    FILE *f = tmpfile();
    cr_assert(f && fwrite(bytes, 1, n, f) == n && fflush(f) == 0 &&
              lseek(fileno(f), 0, SEEK_SET) == 0);
    cr_assert_eq(imhe_source_open_file(set, f, "u16 file", &src, &e), IMHE_OK, "%s", e.message);
    expect_applicant(src, name, be ? "FILE *, big-endian" : "FILE *, little-endian");
    fclose(f);
    snprintf(path, sizeof path, "%s/u16.yaml", dir);
    cr_assert_eq(write_all(path, bytes, n), 0);
    cr_assert_eq(imhe_source_open_path(set, path, &src, &e), IMHE_OK, "%s", e.message);
    expect_applicant(src, name, be ? "path, big-endian" : "path, little-endian");
    free(bytes);
  }
  char cmd[PATH_MAX + 10];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  run_cmd(cmd, NULL);
  free(dir);
  free(text);
  imhe_policy_set_close(set);
}

Test(api, a_record_from_another_set_an_unknown_reporter_a_small_buffer) {
  imhe_policy_set *a = open_rules(), *b = open_rules();
  imhe_record *r = one_record(a, wi_record);
  imhe_result *res;
  imhe_error e;
  cr_expect_eq(imhe_judge(b, r, NULL, &res, &e), IMHE_MISMATCH);
  cr_expect_null(res);
  cr_assert_eq(imhe_judge(a, r, NULL, &res, &e), IMHE_OK, "%s", e.message);
  cr_expect_eq(imhe_result_verdict(res), IMHE_VERDICT_NOT_ELIGIBLE);
  imhe_reporter *rep;
  cr_expect_eq(imhe_reporter_open("nope", stdout, NULL, &rep, &e), IMHE_NOT_FOUND);
  cr_expect(strstr(e.message, "nope") && strstr(e.message, "json"), "%s", e.message);
  cr_expect_eq(imhe_render_buffer(res, "nope", NULL, NULL, 0, NULL, &e), IMHE_NOT_FOUND);
  char small[16];
  size_t need;
  cr_expect_eq(imhe_render_buffer(res, "json", NULL, small, sizeof small, &need, &e),
               IMHE_BUFFER_TOO_SMALL);
  cr_expect_gt(need, sizeof small);
  cr_expect_eq(small[0], 0, "a buffer too small holds nothing usable");
  char *big = malloc(need + 1);
  cr_expect_eq(imhe_render_buffer(res, "json", NULL, big, need + 1, &need, &e), IMHE_OK);
  cr_expect_eq(strlen(big), need);
  cr_expect(strstr(big, "\"id\":\"A1\"") != NULL, "%s", big);
  free(big);
  imhe_result_free(res);
  imhe_record_free(r);
  imhe_policy_set_close(b);
  imhe_policy_set_close(a);
}

Test(api, associations_by_code_short_or_full_name_and_options) {
  imhe_policy_set *set = open_rules();
  cr_expect_eq(imhe_policy_set_count(set), 3, "CT, MI, WI: the bases are not associations");
  const imhe_policy *wi = imhe_policy_set_find(set, "  wi-aimh ");
  cr_assert_not_null(wi);
  cr_expect_str_eq(imhe_policy_code(wi), "WI");
  cr_expect_str_eq(imhe_policy_short_name(wi), "WI-AIMH");
  cr_expect_eq(imhe_policy_set_find(set, "Wisconsin Alliance for Infant Mental Health"), wi);
  cr_expect_null(imhe_policy_set_find(set, "legacy"));
  cr_expect_null(imhe_policy_error(wi));
  cr_expect_eq(imhe_policy_category_count(wi), 6, "WI offers the infant track only");
  cr_expect_str_eq(imhe_policy_category(wi, 0), "IFA", "categories by code, as documented");
  imhe_record *r = one_record(set, wi_record);
  imhe_result *res;
  imhe_error e;
  imhe_judge_options o = {.as_of = {2025, 2, 30}};
  cr_expect_eq(imhe_judge(set, r, &o, &res, &e), IMHE_INVALID_ARGUMENT);
  o = (imhe_judge_options){.category = "NOPE"};
  cr_expect_eq(imhe_judge(set, r, &o, &res, &e), IMHE_NOT_FOUND);
  o = (imhe_judge_options){.association = "Atlantis"};
  cr_expect_eq(imhe_judge(set, r, &o, &res, &e), IMHE_NOT_FOUND);
  o = (imhe_judge_options){.category = "ECFA"};
  cr_assert_eq(imhe_judge(set, r, &o, &res, &e), IMHE_OK, "%s", e.message);
  char buf[65536];
  cr_assert_eq(imhe_render_buffer(res, "json", NULL, buf, sizeof buf, NULL, &e), IMHE_OK);
  cr_expect(strstr(buf, "category_offered") != NULL, "judged as ECFA, which WI does not offer");
  imhe_result_free(res);
  imhe_record_free(r);
  imhe_policy_set_close(set);
}

Test(api, a_file_that_cannot_be_opened_is_an_error_and_the_batch_goes_on) {
  imhe_policy_set *set = open_rules();
  const char *paths[] = {"tests/no-such-file.yaml", "tests/records",
                         "examples/wi-ifs-eligible.yaml"};
  imhe_source *src;
  imhe_record *r;
  imhe_error e;
  cr_assert_eq(imhe_source_open_paths(set, paths, 3, &src, &e), IMHE_OK);
  cr_expect_eq(imhe_source_next(src, &r, &e), IMHE_IO);
  cr_expect(strstr(e.message, "no-such-file") != NULL, "%s", e.message);
  cr_expect_eq(imhe_source_next(src, &r, &e), IMHE_IO);
  cr_expect(strstr(e.message, "tests/records: is a directory, not a file of records"), "%s",
            e.message);
  cr_expect_eq(imhe_source_next(src, &r, &e), IMHE_OK, "%s", e.message);
  cr_expect_str_eq(imhe_record_file(r), "examples/wi-ifs-eligible.yaml");
  imhe_record_free(r);
  cr_expect_eq(imhe_source_next(src, &r, &e), IMHE_END);
  imhe_source_close(src);
  imhe_policy_set_close(set);
  imhe_open_options o = {.no_cache_write = 1};
  cr_expect_eq(imhe_policy_set_open("tests/policies/bad/bad-date.imhe", &o, &set, &e), IMHE_POLICY);
  cr_expect_null(set);
  cr_expect(strstr(e.message, "bad-date.imhe:") != NULL, "located: %s", e.message);
}

/* imhe_batch_run_fd: what a caller gets when the batch writes the reports to a descriptor itself
 * (imhe check does, for a copy fewer) must be the bytes a reporter writes from imhe_batch_run's
 * items, at any number of threads; a failed write is an IO error that leaves the batch running. */
struct fd_run {
  imhe_reporter *rep;
  int direct;
  size_t records;
};

static void fd_item(void *ctx, const imhe_batch_item *it) {
  struct fd_run *r = ctx;
  imhe_error e;
  if (it->kind != IMHE_BATCH_RECORD)
    return;
  if (!r->rep) /* only counted */
    ;
  else if (!r->direct)
    cr_assert_eq(imhe_reporter_put(r->rep, it, &e), IMHE_OK, "%s", e.message);
  else if (!r->records)
    cr_assert_eq(imhe_reporter_begin(r->rep, &e), IMHE_OK, "%s", e.message);
  r->records++;
}

static char *batch_bytes(const imhe_policy_set *set, const char *const *paths, size_t n,
                         const char *format, unsigned threads, int direct, size_t *records) {
  FILE *f = tmpfile();
  cr_assert(f);
  struct fd_run r = {.direct = direct};
  imhe_error e;
  cr_assert_eq(imhe_reporter_open(format, f, NULL, &r.rep, &e), IMHE_OK, "%s", e.message);
  imhe_batch_options o = {.threads = threads, .format = format};
  imhe_code rc = direct ? imhe_batch_run_fd(set, paths, n, &o, fileno(f), fd_item, &r, &e)
                        : imhe_batch_run(set, paths, n, &o, fd_item, &r, &e);
  cr_assert_eq(rc, IMHE_OK, "%s", e.message);
  cr_assert_eq(imhe_reporter_close(r.rep, &e), IMHE_OK, "%s", e.message);
  long len = ftell(f);
  cr_assert_gt(len, 0);
  char *buf = malloc((size_t)len + 1);
  rewind(f);
  cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
  buf[len] = 0;
  fclose(f);
  *records = r.records;
  return buf;
}

Test(api, a_batch_written_to_a_descriptor_gives_the_reporters_bytes) {
  imhe_policy_set *set = open_rules();
  const char *const paths[] = {"examples/wi-ifs-eligible.yaml", "examples/ct-invalid-record.yaml",
                               "examples/mi-renewal-cycle.yaml", "examples/wi-ifa-coupon.yaml"};
  const char *const formats[] = {"json", "text", "csv"};
  for (size_t f = 0; f < 3; f++)
    for (unsigned t = 1; t <= 3; t++) {
      size_t n1, n2;
      char *want = batch_bytes(set, paths, 4, formats[f], t, 0, &n1);
      char *got = batch_bytes(set, paths, 4, formats[f], t, 1, &n2);
      cr_expect_str_eq(got, want, "%s on %u threads", formats[f], t);
      cr_expect_eq(n2, n1);
      free(want);
      free(got);
    }
  imhe_batch_options o = {.threads = 2, .format = "html"};
  imhe_error e;
  struct fd_run r = {.direct = 1};
  cr_expect_eq(imhe_batch_run_fd(set, paths, 4, &o, 1, fd_item, &r, &e), IMHE_INVALID_ARGUMENT);
  o.format = "text";
  cr_expect_eq(imhe_batch_run_fd(set, paths, 4, &o, -1, fd_item, &r, &e), IMHE_INVALID_ARGUMENT);
  cr_expect_eq(r.records, 0);
  int full = open("/dev/full", O_WRONLY);
  if (full >= 0) { /* every write fails: IO and its errno, and every record still handed out */
    struct fd_run none = {.direct = 1};
    cr_expect_eq(imhe_batch_run_fd(set, paths, 4, &o, full, fd_item, &none, &e), IMHE_IO);
    cr_expect_eq(errno, ENOSPC);
    cr_expect(strstr(e.message, "No space left on device"), "%s", e.message);
    size_t n;
    free(batch_bytes(set, paths, 4, "text", 2, 0, &n));
    cr_expect_eq(none.records, n);
    close(full);
  }
  imhe_policy_set_close(set);
}
