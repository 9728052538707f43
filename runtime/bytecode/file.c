/* file.c — the .imhec file: serialising a program and loading one back, bounds-checked.
 * Every multi-byte field is little-endian whatever the host; the loader refuses what it cannot
 * prove sound. */
#include "runtime/bytecode/measure_table.h"
#include "runtime/bytecode/program.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_SIZE 64
#define MAGIC "IMHEC\x01\r\n"

/* Member layouts of each section's fixed-size records. */
struct member {
  size_t off;
  char type; /* b u8, u u32, i i32, d f64 */
};
#define M(s, f, t)                                                                                 \
  { offsetof(struct s, f), t }
static const struct member era_m[] = {M(imhe_era, base, 'u'), M(imhe_era, from, 'i'),
                                      M(imhe_era, until, 'i'), M(imhe_era, offered, 'u')};
static const struct member rule_m[] = {
    M(imhe_rule, id, 'u'),      M(imhe_rule, desc, 'u'), M(imhe_rule, file, 'u'),
    M(imhe_rule, line, 'u'),    M(imhe_rule, col, 'u'),  M(imhe_rule, end_line, 'u'),
    M(imhe_rule, end_col, 'u'), M(imhe_rule, kind, 'b'), M(imhe_rule, area, 'b'),
    M(imhe_rule, era, 'b'),     M(imhe_rule, cats, 'u'), M(imhe_rule, start, 'u'),
    M(imhe_rule, end, 'u'),     M(imhe_rule, cite, 'u')};
static const struct member cond_m[] = {M(imhe_cond, rule, 'u'),    M(imhe_cond, desc, 'u'),
                                       M(imhe_cond, line, 'u'),    M(imhe_cond, col, 'u'),
                                       M(imhe_cond, display, 'b'), M(imhe_cond, unit, 'b')};
static const struct member line_m[] = {M(imhe_line, pc, 'u'), M(imhe_line, line, 'u'),
                                       M(imhe_line, file, 'u')};
static const struct member slotset_m[] = {M(imhe_slotset, first, 'u'), M(imhe_slotset, count, 'u')};
static const struct member domain_m[] = {M(imhe_domain, code, 'u'), M(imhe_domain, name, 'u'),
                                         M(imhe_domain, core, 'b'), M(imhe_domain, first, 'u'),
                                         M(imhe_domain, count, 'u')};
static const struct member item_m[] = {M(imhe_item, name, 'u'), M(imhe_item, cats, 'u')};
static const struct member fee_m[] = {M(imhe_fee, kind, 'b'),  M(imhe_fee, cats, 'u'),
                                      M(imhe_fee, cents, 'i'), M(imhe_fee, note, 'u'),
                                      M(imhe_fee, from, 'i'),  M(imhe_fee, until, 'i')};
static const struct member coupon_m[] = {M(imhe_coupon, code, 'u'),   M(imhe_coupon, note, 'u'),
                                         M(imhe_coupon, waives, 'b'), M(imhe_coupon, cats, 'u'),
                                         M(imhe_coupon, from, 'i'),   M(imhe_coupon, until, 'i'),
                                         M(imhe_coupon, rule, 'u')};
static const struct member deadline_m[] = {M(imhe_deadline, month, 'b'),
                                           M(imhe_deadline, day, 'b')};
static const struct member renewal_m[] = {
    M(imhe_renewal, scheme, 'b'),   M(imhe_renewal, from, 'i'),
    M(imhe_renewal, until, 'i'),    M(imhe_renewal, years, 'u'),
    M(imhe_renewal, hours, 'd'),    M(imhe_renewal, due_month, 'b'),
    M(imhe_renewal, due_day, 'b'),  M(imhe_renewal, lapse_month, 'b'),
    M(imhe_renewal, lapse_day, 'b')};
static const struct member settings_m[] = {M(imhe_settings, code, 'u'),
                                           M(imhe_settings, display, 'u'),
                                           M(imhe_settings, name, 'u'),
                                           M(imhe_settings, membership_any, 'b'),
                                           M(imhe_settings, fees_published, 'b'),
                                           M(imhe_settings, reinstatement, 'b'),
                                           M(imhe_settings, reinstatement_from, 'i')};
static const struct member track_m[] = {M(imhe_track_def, code, 'u'), M(imhe_track_def, name, 'u'),
                                        M(imhe_track_def, ages, 'u')};
static const struct member category_m[] = {M(imhe_category_def, code, 'u'),
                                           M(imhe_category_def, name, 'u'),
                                           M(imhe_category_def, tracks, 'u')};
static const struct member fee_kind_m[] = {M(imhe_fee_kind_def, word, 'u'),
                                           M(imhe_fee_kind_def, name, 'u'),
                                           M(imhe_fee_kind_def, flags, 'b')};
static const struct member cred_m[] = {M(imhe_credential_def, word, 'u'),
                                       M(imhe_credential_def, name, 'u')};
static const struct member degree_m[] = {
    M(imhe_degree_def, word, 'u'), M(imhe_degree_def, name, 'u'), M(imhe_degree_def, flags, 'b')};
static const struct member tab_m[] = {M(imhe_tab_def, code, 'u'), M(imhe_tab_def, title, 'u')};
static const struct member area_m[] = {M(imhe_area_def, word, 'u'), M(imhe_area_def, name, 'u'),
                                       M(imhe_area_def, tab, 'b'), M(imhe_area_def, flags, 'b')};
#undef M

enum sec_kind {
  S_STRINGS = 1,
  S_CONSTS,
  S_ERAS,
  S_RULES,
  S_CONDS,
  S_LINES,
  S_CODE,
  S_SLOTSETS,
  S_SLOTMASKS,
  S_DOMAINS,
  S_ITEMS,
  S_FEES,
  S_COUPONS,
  S_DEADLINES,
  S_ACCEPTED,
  S_RENEWALS,
  S_SETTINGS,
  S_TRACKS,
  S_CATEGORIES,
  S_FEE_KINDS,
  S_TABS,
  S_AREAS,
  S_CREDENTIALS,
  S_ROLES,
  S_DEGREES,
  S__END
};
static const char *const sec_names[] = {
    "",          "strings",   "constants",   "eras",     "rules",  "conditions", "lines",
    "code",      "slot sets", "slot masks",  "domains",  "items",  "fees",       "coupons",
    "deadlines", "accepted",  "renewals",    "settings", "tracks", "categories", "fee kinds",
    "tabs",      "areas",     "credentials", "roles",    "degrees"};

struct layout {
  const struct member *m;
  int n;
  size_t csize; /* struct size in memory */
};
#define L(arr, s)                                                                                  \
  { arr, (int)(sizeof arr / sizeof *arr), sizeof(struct s) }
static const struct layout layouts[S__END] = {[S_ERAS] = L(era_m, imhe_era),
                                              [S_RULES] = L(rule_m, imhe_rule),
                                              [S_CONDS] = L(cond_m, imhe_cond),
                                              [S_LINES] = L(line_m, imhe_line),
                                              [S_SLOTSETS] = L(slotset_m, imhe_slotset),
                                              [S_DOMAINS] = L(domain_m, imhe_domain),
                                              [S_ITEMS] = L(item_m, imhe_item),
                                              [S_FEES] = L(fee_m, imhe_fee),
                                              [S_COUPONS] = L(coupon_m, imhe_coupon),
                                              [S_DEADLINES] = L(deadline_m, imhe_deadline),
                                              [S_RENEWALS] = L(renewal_m, imhe_renewal),
                                              [S_SETTINGS] = L(settings_m, imhe_settings),
                                              [S_TRACKS] = L(track_m, imhe_track_def),
                                              [S_CATEGORIES] = L(category_m, imhe_category_def),
                                              [S_FEE_KINDS] = L(fee_kind_m, imhe_fee_kind_def),
                                              [S_TABS] = L(tab_m, imhe_tab_def),
                                              [S_AREAS] = L(area_m, imhe_area_def),
                                              [S_CREDENTIALS] = L(cred_m, imhe_credential_def),
                                              [S_ROLES] = L(cred_m, imhe_credential_def),
                                              [S_DEGREES] = L(degree_m, imhe_degree_def)};
#undef L

static size_t rec_size(int k) {
  if (k == S_STRINGS || k == S_CODE)
    return 1;
  if (k == S_CONSTS)
    return 8;
  if (k == S_SLOTMASKS || k == S_ACCEPTED)
    return 4;
  size_t n = 0;
  for (int i = 0; i < layouts[k].n; i++)
    n += layouts[k].m[i].type == 'b' ? 1 : layouts[k].m[i].type == 'd' ? 8 : 4;
  return n;
}

uint64_t imhe_fnv1a(const void *data, size_t n, uint64_t h) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

void imhe_program_free(struct imhe_program *p) {
  struct imhe_program_memo *m = atomic_load(&p->report_memo);
  if (m)
    m->free(m);
  free(p->strings);
  free(p->consts);
  free(p->eras);
  free(p->rules);
  free(p->conds);
  free(p->lines);
  free(p->code);
  free(p->slotsets);
  free(p->slot_masks);
  free(p->domains);
  free(p->items);
  free(p->fees);
  free(p->coupons);
  free(p->deadlines);
  free(p->accepted);
  free(p->renewals);
  free(p->tracks);
  free(p->cats);
  free(p->comp_index);
  free(p->comp_keys);
  for (int w = 0; w < 4; w++)
    free(p->words[w].slot);
  free(p->cats_loose.slot);
  free(p->plan_at);
  free(p->plan_rules);
  free(p->plan_conds);
  free(p->plan_checks);
  free(p->plan_straight);
  free(p->plan_text);
  free(p->fee_kinds);
  free(p->tabs);
  free(p->areas);
  free(p->creds);
  free(p->roles);
  free(p->degrees);
  memset(p, 0, sizeof *p);
}

/* ---- writing ---- */

struct out {
  uint8_t *v;
  size_t n, cap;
};
static void put(struct out *o, const void *p, size_t n) {
  if (n == 0) /* an empty section may have no array at all: memcpy from NULL is undefined */
    return;
  if (o->n + n > o->cap) {
    size_t cap = o->cap ? o->cap * 2 : 4096;
    while (cap < o->n + n)
      cap *= 2;
    o->v = realloc(o->v, cap);
    if (!o->v)
      abort();
    o->cap = cap;
  }
  memcpy(o->v + o->n, p, n);
  o->n += n;
}
static void put_u32(struct out *o, uint32_t x) {
  uint8_t b[4] = {(uint8_t)x, (uint8_t)(x >> 8), (uint8_t)(x >> 16), (uint8_t)(x >> 24)};
  put(o, b, 4);
}
static void put_u64(struct out *o, uint64_t x) {
  put_u32(o, (uint32_t)x);
  put_u32(o, (uint32_t)(x >> 32));
}
static void put_f64(struct out *o, double d) {
  uint64_t x;
  memcpy(&x, &d, 8);
  put_u64(o, x);
}
static void put_records(struct out *o, int k, const void *arr, uint32_t n) {
  const struct layout *l = &layouts[k];
  for (uint32_t i = 0; i < n; i++) {
    const char *base = (const char *)arr + (size_t)i * l->csize;
    for (int j = 0; j < l->n; j++) {
      const char *f = base + l->m[j].off;
      switch (l->m[j].type) {
      case 'b':
        put(o, f, 1);
        break;
      case 'd': {
        double d;
        memcpy(&d, f, 8);
        put_f64(o, d);
        break;
      }
      default: {
        uint32_t x;
        memcpy(&x, f, 4);
        put_u32(o, x);
      }
      }
    }
  }
}

/* Section k of p, serialised onto body. */
static void write_section(struct out *body, const struct imhe_program *p, int k) {
  switch (k) {
  case S_STRINGS:
    put(body, p->strings, p->strings_size);
    break;
  case S_CONSTS:
    for (uint32_t i = 0; i < p->nconsts; i++)
      put_f64(body, p->consts[i]);
    break;
  case S_ERAS:
    put_records(body, k, p->eras, p->neras);
    break;
  case S_RULES:
    put_records(body, k, p->rules, p->nrules);
    break;
  case S_CONDS:
    put_records(body, k, p->conds, p->nconds);
    break;
  case S_LINES:
    put_records(body, k, p->lines, p->nlines);
    break;
  case S_CODE:
    put(body, p->code, p->code_size);
    break;
  case S_SLOTSETS:
    put_records(body, k, p->slotsets, p->nslotsets);
    break;
  case S_SLOTMASKS:
    for (uint32_t i = 0; i < p->nslot_masks; i++)
      put_u32(body, p->slot_masks[i]);
    break;
  case S_DOMAINS:
    put_records(body, k, p->domains, p->ndomains);
    break;
  case S_ITEMS:
    put_records(body, k, p->items, p->nitems);
    break;
  case S_FEES:
    put_records(body, k, p->fees, p->nfees);
    break;
  case S_COUPONS:
    put_records(body, k, p->coupons, p->ncoupons);
    break;
  case S_DEADLINES:
    put_records(body, k, p->deadlines, p->ndeadlines);
    break;
  case S_ACCEPTED:
    for (uint32_t i = 0; i < p->naccepted; i++)
      put_u32(body, p->accepted[i]);
    break;
  case S_RENEWALS:
    put_records(body, k, p->renewals, p->nrenewals);
    break;
  case S_SETTINGS:
    put_records(body, k, &p->settings, 1);
    break;
  case S_TRACKS:
    put_records(body, k, p->tracks, p->ntracks);
    break;
  case S_CATEGORIES:
    put_records(body, k, p->cats, p->ncats);
    break;
  case S_FEE_KINDS:
    put_records(body, k, p->fee_kinds, p->nfee_kinds);
    break;
  case S_TABS:
    put_records(body, k, p->tabs, p->ntabs);
    break;
  case S_AREAS:
    put_records(body, k, p->areas, p->nareas);
    break;
  case S_CREDENTIALS:
    put_records(body, k, p->creds, p->ncreds);
    break;
  case S_ROLES:
    put_records(body, k, p->roles, p->nroles);
    break;
  case S_DEGREES:
    put_records(body, k, p->degrees, p->ndegrees);
    break;
  }
}

int imhe_program_write(const struct imhe_program *p, uint8_t **outp, size_t *np) {
  struct out body = {0};
  struct {
    uint32_t kind, off, size;
  } table[S__END];
  int nsec = 0;
  for (int k = 1; k < S__END; k++) {
    size_t start = body.n;
    write_section(&body, p, k);
    table[nsec].kind = (uint32_t)k;
    table[nsec].size = (uint32_t)(body.n - start);
    table[nsec].off = (uint32_t)start;
    nsec++;
  }
  struct out o = {0};
  uint32_t data_start = HEADER_SIZE + (uint32_t)nsec * 12;
  put(&o, MAGIC, 8);
  uint8_t v[4] = {IMHE_FORMAT_VERSION & 0xff, IMHE_FORMAT_VERSION >> 8, 0x02, 0x01};
  put(&o, v, 4);
  put_u32(&o, IMHE_INSN_SIZE | (sizeof(double) << 8));
  char ver[16] = {0};
  memcpy(ver, p->compiler_version, strnlen(p->compiler_version, 15));
  put(&o, ver, 16);
  put_u64(&o, p->source_hash);
  put_u32(&o, p->policy_name);
  put_u32(&o, (uint32_t)nsec);
  put_u32(&o, (uint32_t)(data_start + body.n));
  put_u32(&o, 0); /* checksum, filled below */
  put_u64(&o, 0);
  for (int i = 0; i < nsec; i++) {
    put_u32(&o, table[i].kind);
    put_u32(&o, table[i].off + data_start);
    put_u32(&o, table[i].size);
  }
  put(&o, body.v, body.n);
  free(body.v);
  uint32_t crc = imhe_crc32(o.v, o.n);
  o.v[52] = (uint8_t)crc;
  o.v[53] = (uint8_t)(crc >> 8);
  o.v[54] = (uint8_t)(crc >> 16);
  o.v[55] = (uint8_t)(crc >> 24);
  *outp = o.v;
  *np = o.n;
  return 0;
}

/* ---- loading ---- */

static uint32_t get_u32(const uint8_t *b) {
  return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}
static double get_f64(const uint8_t *b) {
  uint64_t x = (uint64_t)get_u32(b) | ((uint64_t)get_u32(b + 4) << 32);
  double d;
  memcpy(&d, &x, 8);
  return d;
}

static void *get_records(int k, const uint8_t *src, uint32_t count) {
  const struct layout *l = &layouts[k];
  char *arr = calloc(count ? count : 1, l->csize);
  if (!arr)
    abort();
  for (uint32_t i = 0; i < count; i++) {
    char *base = arr + (size_t)i * l->csize;
    for (int j = 0; j < l->n; j++) {
      char *f = base + l->m[j].off;
      switch (l->m[j].type) {
      case 'b':
        *(uint8_t *)f = *src++;
        break;
      case 'd': {
        double d = get_f64(src);
        memcpy(f, &d, 8);
        src += 8;
        break;
      }
      default: {
        uint32_t x = get_u32(src);
        memcpy(f, &x, 4);
        src += 4;
      }
      }
    }
  }
  return arr;
}

#define FAIL(...)                                                                                  \
  do {                                                                                             \
    snprintf(err, errlen, __VA_ARGS__);                                                            \
    return -1;                                                                                     \
  } while (0)

/* The 64-byte header: magic, line-ending canary, format version, byte-order and size sentinels,
 * the size, the checksum (unless check_sum is 0); the compiler's version, the source hash and
 * the policy's name into out. */
static int read_header(const uint8_t *data, size_t n, int check_sum, struct imhe_program *out,
                       char *err, size_t errlen) {
  if (n < HEADER_SIZE)
    FAIL("truncated: %zu bytes, shorter than the %d-byte header (offset 0)", n, HEADER_SIZE);
  if (memcmp(data, "IMHEC\x01", 6) != 0)
    FAIL("not an imhe bytecode file: wrong magic at offset 0");
  if (data[6] != '\r' || data[7] != '\n')
    FAIL("line endings were converted (offset 6): the file was copied as text");
  uint16_t ver = (uint16_t)(data[8] | (data[9] << 8));
  if (ver != IMHE_FORMAT_VERSION)
    FAIL("format version %u at offset 8; this imhe reads version %u (recompile the policy)", ver,
         IMHE_FORMAT_VERSION);
  if (data[10] != 0x02 || data[11] != 0x01)
    FAIL("byte-order sentinel wrong at offset 10");
  if (get_u32(data + 12) != (IMHE_INSN_SIZE | (sizeof(double) << 8)))
    FAIL("size sentinel wrong at offset 12");
  uint32_t size = get_u32(data + 48);
  if (size != n)
    FAIL("file is %zu bytes but its header (offset 48) says %u: truncated or padded", n, size);
  if (check_sum) {
    uint8_t *copy = malloc(n);
    if (!copy)
      abort();
    memcpy(copy, data, n);
    memset(copy + 52, 0, 4);
    uint32_t crc = imhe_crc32(copy, n);
    free(copy);
    if (crc != get_u32(data + 52))
      FAIL("checksum mismatch (offset 52): the file is damaged");
  }
  memcpy(out->compiler_version, data + 16, 16);
  out->compiler_version[15] = 0;
  out->source_hash = (uint64_t)get_u32(data + 32) | ((uint64_t)get_u32(data + 36) << 32);
  out->policy_name = get_u32(data + 40);
  return 0;
}

/* Section `kind`'s cnt records at src (sz bytes, at offset off) into out. */
static int read_section(struct imhe_program *out, uint32_t kind, const uint8_t *src, uint32_t sz,
                        uint32_t cnt, uint32_t off, char *err, size_t errlen) {
  switch (kind) {
  case S_STRINGS:
    if (sz == 0 || src[sz - 1] != 0)
      FAIL("strings section at offset %u does not end with a NUL byte", off);
    out->strings = malloc(sz);
    memcpy(out->strings, src, sz);
    out->strings_size = sz;
    break;
  case S_CONSTS:
    out->consts = malloc((size_t)cnt * 8 + 8);
    for (uint32_t j = 0; j < cnt; j++)
      out->consts[j] = get_f64(src + 8 * j);
    out->nconsts = cnt;
    break;
  case S_CODE:
    out->code = malloc(sz + 1);
    memcpy(out->code, src, sz);
    out->code_size = sz;
    break;
  case S_SLOTMASKS:
  case S_ACCEPTED: {
    uint32_t *v = malloc((size_t)cnt * 4 + 4);
    for (uint32_t j = 0; j < cnt; j++)
      v[j] = get_u32(src + 4 * j);
    if (kind == S_SLOTMASKS) {
      out->slot_masks = v;
      out->nslot_masks = cnt;
    } else {
      out->accepted = v;
      out->naccepted = cnt;
    }
    break;
  }
  case S_SETTINGS: {
    if (cnt != 1)
      FAIL("settings section at offset %u holds %u records, expected 1", off, cnt);
    struct imhe_settings *set = get_records(S_SETTINGS, src, 1);
    out->settings = *set;
    free(set);
    break;
  }
#define REC(K, field, nfield)                                                                      \
  case K:                                                                                          \
    out->field = get_records(K, src, cnt);                                                         \
    out->nfield = cnt;                                                                             \
    break;
    REC(S_ERAS, eras, neras)
    REC(S_RULES, rules, nrules)
    REC(S_CONDS, conds, nconds)
    REC(S_LINES, lines, nlines)
    REC(S_SLOTSETS, slotsets, nslotsets)
    REC(S_DOMAINS, domains, ndomains)
    REC(S_ITEMS, items, nitems)
    REC(S_FEES, fees, nfees)
    REC(S_COUPONS, coupons, ncoupons)
    REC(S_DEADLINES, deadlines, ndeadlines)
    REC(S_RENEWALS, renewals, nrenewals)
    REC(S_TRACKS, tracks, ntracks)
    REC(S_CATEGORIES, cats, ncats)
    REC(S_FEE_KINDS, fee_kinds, nfee_kinds)
    REC(S_TABS, tabs, ntabs)
    REC(S_AREAS, areas, nareas)
    REC(S_CREDENTIALS, creds, ncreds)
    REC(S_ROLES, roles, nroles)
    REC(S_DEGREES, degrees, ndegrees)
#undef REC
  }
  return 0;
}

/* The section table and every section in order, none overlapping another or the end of the
 * file, no byte left unexplained. */
static int read_sections(const uint8_t *data, size_t n, struct imhe_program *out, char *err,
                         size_t errlen) {
  uint32_t nsec = get_u32(data + 44);
  if (nsec != S__END - 1)
    FAIL("section count %u at offset 44, expected %d", nsec, S__END - 1);
  size_t table_end = HEADER_SIZE + (size_t)nsec * 12;
  if (table_end > n)
    FAIL("section table runs past the end of the file (offset %d)", HEADER_SIZE);
  size_t prev_end = table_end;
  for (uint32_t i = 0; i < nsec; i++) {
    const uint8_t *t = data + HEADER_SIZE + i * 12;
    uint32_t kind = get_u32(t), off = get_u32(t + 4), sz = get_u32(t + 8);
    size_t toff = HEADER_SIZE + i * 12;
    if (kind != i + 1)
      FAIL("section entry at offset %zu has kind %u, expected %u (%s)", toff, kind, i + 1,
           sec_names[i + 1]);
    if (off < prev_end)
      FAIL("%s section at offset %u overlaps what precedes it (ends at %zu)", sec_names[kind], off,
           prev_end);
    if ((size_t)off + sz > n)
      FAIL("%s section at offset %u runs %zu bytes past the end of the file", sec_names[kind], off,
           (size_t)off + sz - n);
    size_t rs = rec_size((int)kind);
    if (sz % rs)
      FAIL("%s section at offset %u: size %u is not a multiple of %zu", sec_names[kind], off, sz,
           rs);
    prev_end = (size_t)off + sz;
    if (read_section(out, kind, data + off, sz, (uint32_t)(sz / rs), off, err, errlen) != 0)
      return -1;
  }
  if (prev_end != n)
    FAIL("%zu unexplained bytes after the last section (offset %zu)", n - prev_end, prev_end);
  return 0;
}
#undef FAIL

/* The verified program's competency codes hashed (program.h, comp_index), in declaration order:
 * with linear probing a code declared twice is found first where it was declared first, as the
 * search finds it. A domain code holding a dot names no code (a code's domain ends at its first
 * dot), so it is left out. Out of memory, none is made and codes are searched. */
static void index_competencies(struct imhe_program *p) {
  uint64_t codes = 0, bytes = 0, size = 16; /* domains may share items: each domain's its own */
  for (uint32_t d = 0; d < p->ndomains; d++)
    for (uint32_t k = 0; k < p->domains[d].count; k++) {
      codes++;
      bytes += strlen(imhe_str(p, p->domains[d].code)) + 1 +
               strlen(imhe_str(p, p->items[p->domains[d].first + k].name));
    }
  if (codes > (1u << 20) || bytes > (1u << 30)) /* far past any catalogue: searched instead */
    return;
  while (size < 2 * codes)
    size *= 2;
  struct imhe_comp_slot *t = malloc(size * sizeof *t);
  char *keys = malloc(bytes + 1);
  if (!t || !keys) { /* GCOVR_EXCL_START: out of memory */
    free(t);
    free(keys);
    return;
  } /* GCOVR_EXCL_STOP */
  for (uint32_t i = 0; i < size; i++)
    t[i].item = UINT32_MAX;
  uint32_t used = 0, mask = (uint32_t)(size - 1);
  for (uint32_t d = 0; d < p->ndomains; d++) {
    const char *dc = imhe_str(p, p->domains[d].code);
    size_t dl = strlen(dc);
    if (memchr(dc, '.', dl))
      continue;
    for (uint32_t k = 0; k < p->domains[d].count; k++) {
      uint32_t item = p->domains[d].first + k;
      const char *name = imhe_str(p, p->items[item].name);
      size_t nl = strlen(name);
      char *key = keys + used;
      memcpy(key, dc, dl);
      key[dl] = '.';
      memcpy(key + dl + 1, name, nl);
      uint32_t len = (uint32_t)(dl + 1 + nl), h = imhe_comp_hash(key, len), at = h & mask;
      while (t[at].item != UINT32_MAX)
        at = (at + 1) & mask;
      t[at] = (struct imhe_comp_slot){h, d, item, used, len, p->items[item].cats, k};
      used += len;
    }
  }
  p->comp_index = t;
  p->comp_mask = mask;
  p->comp_keys = keys;
}

/* The words of enumeration e hashed (program.h, words), in declaration order: with linear probing
 * a word declared twice is found where it was declared first, as the search finds it. loose: in
 * ASCII capitals, as category codes are matched loosely, a word longer than 64 bytes leaving them
 * to be searched. Out of memory, an empty index: the words are searched. */
static struct imhe_word_index word_index(const struct imhe_program *p, int e, int loose) {
  uint32_t count = imhe_declared_count(p, e), size = 8;
  while (size < 2 * count)
    size *= 2;
  for (uint32_t i = 0; loose && i < count; i++)
    if (strlen(imhe_declared_word(p, e, i)) > 64)
      return (struct imhe_word_index){0};
  struct imhe_word_slot *t = malloc(size * sizeof *t);
  if (!t) /* GCOVR_EXCL_BR_LINE: out of memory */
    return (struct imhe_word_index){0};
  for (uint32_t i = 0; i < size; i++)
    t[i].value = UINT32_MAX;
  for (uint32_t i = 0; i < count; i++) {
    const char *word = imhe_declared_word(p, e, i);
    size_t len = strlen(word);
    char buf[64];
    for (size_t k = 0; loose && k < len; k++)
      buf[k] = word[k] >= 'a' && word[k] <= 'z' ? (char)(word[k] - 32) : word[k];
    uint32_t h = imhe_comp_hash(loose ? buf : word, len), at = h & (size - 1);
    while (t[at].value != UINT32_MAX)
      at = (at + 1) & (size - 1);
    t[at] = (struct imhe_word_slot){h, i, (uint32_t)len, word};
  }
  return (struct imhe_word_index){t, size - 1};
}

uint32_t imhe_rule_checks(const struct imhe_program *p, uint32_t ri) {
  uint32_t n = 0;
  for (uint32_t pc = p->rules[ri].start; pc < p->rules[ri].end; pc += IMHE_INSN_SIZE) {
    int op = p->code[pc];
    n += op == OP_CHECK || op == OP_CHECKB || op == OP_CHECKT;
  }
  return n;
}

/* Whether rule r's verified code is of the shapes the VM runs directly (program.h, plan_straight):
 * clause (clause AND)* then REQUIRE, ADVISE or ACCEPT as its last instruction, a clause being
 * FACT then CHECKB or CHECKT; SECTION, filters that take nothing from the stack, a MEASURE that
 * pops that collection alone, CONST, CHECK; or a MEASURE that pops nothing, CONST, CHECK. */
static int straight(const struct imhe_program *p, uint32_t r) {
  uint32_t pc = p->rules[r].start, end = p->rules[r].end;
  for (int clauses = 0;; clauses++) {
    if (pc >= end)
      return 0;
    struct imhe_insn in = imhe_decode(p->code + pc);
    if (clauses && (in.op == OP_REQUIRE || in.op == OP_ADVISE || in.op == OP_ACCEPT))
      return pc + IMHE_INSN_SIZE == end;
    if (in.op == OP_FACT) {
      pc += IMHE_INSN_SIZE;
      if (pc >= end || (p->code[pc] != OP_CHECKB && p->code[pc] != OP_CHECKT))
        return 0;
      pc += IMHE_INSN_SIZE;
    } else {
      int section = in.op == OP_SECTION;
      for (pc += section ? IMHE_INSN_SIZE : 0; pc < end; pc += IMHE_INSN_SIZE) {
        int op = p->code[pc];
        if (!section || (op != OP_F_ENUM && op != OP_F_SET && op != OP_F_TRACK && op != OP_F_BOOL &&
                         op != OP_F_PRESENT && op != OP_F_CURRENT))
          break;
      }
      if (pc + 3 * IMHE_INSN_SIZE > end)
        return 0;
      struct imhe_insn m = imhe_decode(p->code + pc);
      if (m.op != OP_MEASURE || p->plan_pops[m.a] != (section ? 0x11 : 0) ||
          p->code[pc + IMHE_INSN_SIZE] != OP_CONST || p->code[pc + 2 * IMHE_INSN_SIZE] != OP_CHECK)
        return 0;
      pc += 3 * IMHE_INSN_SIZE;
    }
    if (clauses) { /* a clause after the first is joined to the ones before by AND */
      if (pc >= end || p->code[pc] != OP_AND)
        return 0;
      pc += IMHE_INSN_SIZE;
    }
  }
}

/* The verified program's rules chosen for each era and kind of record (program.h, plan_at), once,
 * so that judging a record walks its own rules only. Out of memory, none is made: judging then
 * chooses the rules as it runs. */
static void plan_rules(struct imhe_program *p) {
  size_t lists = (size_t)p->neras * IMHE_PLAN_KINDS, total = 0;
  for (uint32_t r = 0; r < p->nrules; r++)
    if (p->rules[r].kind != RK_COUPON)
      total += (size_t)__builtin_popcount(p->rules[r].cats);
  uint32_t *at = malloc((lists + 1) * sizeof *at), *rules = malloc((total ? total : 1) * 4),
           *conds = malloc((lists ? lists : 1) * sizeof *conds),
           *checks = malloc((p->nrules ? p->nrules : 1) * sizeof *checks);
  uint8_t *direct = malloc(p->nrules ? p->nrules : 1);
  struct imhe_rule_text *text = malloc((p->nrules ? p->nrules : 1) * sizeof *text);
  if (!at || !rules || !conds || !checks || !direct || !text) { /* GCOVR_EXCL_START: OOM */
    free(at);
    free(rules);
    free(conds);
    free(checks);
    free(direct);
    free(text);
    return;
  } /* GCOVR_EXCL_STOP */
  for (uint32_t r = 0; r < p->nrules; r++) {
    const struct imhe_rule *ru = &p->rules[r];
    text[r] = (struct imhe_rule_text){imhe_str(p, ru->id), imhe_str(p, ru->desc),
                                      imhe_str(p, ru->file), imhe_str(p, ru->cite)};
  }
  for (uint32_t r = 0; r < p->nrules; r++)
    checks[r] = imhe_rule_checks(p, r);
  _Static_assert(MEASURE__COUNT <= IMHE_PLAN_MEASURES, "plan_pops: too many measures");
  for (int m = 0; m < MEASURE__COUNT; m++) {
    char pops[4];
    int np = imhe_measure_pops((enum imhe_measure)m, pops);
    p->plan_pops[m] = (uint8_t)(np | (np && pops[0] == 'C' ? 0x10 : 0));
  }
  for (uint32_t r = 0; r < p->nrules; r++)
    direct[r] = (uint8_t)straight(p, r);
  uint32_t used = 0;
  for (size_t i = 0; i < lists; i++) {
    uint32_t era = (uint32_t)(i / IMHE_PLAN_KINDS), bit = 1u << (i % IMHE_PLAN_KINDS);
    at[i] = used;
    conds[i] = 0;
    for (uint32_t r = 0; r < p->nrules; r++) {
      const struct imhe_rule *ru = &p->rules[r];
      if (ru->era == era && ru->kind != RK_COUPON && (ru->cats & bit)) {
        rules[used++] = r;
        conds[i] += checks[r];
      }
    }
  }
  at[lists] = used;
  p->plan_at = at;
  p->plan_rules = rules;
  p->plan_conds = conds;
  p->plan_checks = checks;
  p->plan_straight = direct;
  p->plan_text = text;
}

int imhe_program_load(const uint8_t *data, size_t n, int check_sum, struct imhe_program *out,
                      char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  if (read_header(data, n, check_sum, out, err, errlen) != 0 ||
      read_sections(data, n, out, err, errlen) != 0 || imhe_verify(out, err, errlen) != 0) {
    imhe_program_free(out);
    return -1;
  }
  index_competencies(out);
  static const int declared[4] = {ENUM_CATEGORY, ENUM_CREDENTIAL, ENUM_ROLE, ENUM_DEGREE};
  for (int w = 0; w < 4; w++)
    out->words[imhe_declared_slot(declared[w])] = word_index(out, declared[w], 0);
  out->cats_loose = word_index(out, ENUM_CATEGORY, 1);
  plan_rules(out);
  return 0;
}
