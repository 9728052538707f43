/* yinput.c — cuts a record file into documents at their marker lines and holds each to the byte
 * limits (document size, directives, readable UTF-8) before libyaml sees it; see yinput.h. */
#include "runtime/records/yinput.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How the scanner sees a byte. */
enum {
  C_TEXT,
  C_BLANK,
  C_HASH, /* plain ASCII within a line */
  C_LF,
  C_CR,
  C_BAD,
  C_LEAD2,
  C_LEAD3,
  C_LEAD4,
  C_CONT
};

/* classes[b] for every byte: printable ASCII, blanks, '#', line breaks, what libyaml refuses
 * (control characters, bytes that never start UTF-8), UTF-8 lead bytes by length, continuations. */
#define T C_TEXT
#define B C_BLANK
#define H C_HASH
#define L C_LF
#define R C_CR
#define X C_BAD
#define U2 C_LEAD2
#define U3 C_LEAD3
#define U4 C_LEAD4
#define K C_CONT
/* clang-format off */
static const unsigned char classes[256] = {
    X, X, X, X, X, X, X, X, X, B, L, X, X, R, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    B, T, T, H, T, T, T, T, T, T, T, T, T, T, T, T,
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, X,
    K, K, K, K, K, K, K, K, K, K, K, K, K, K, K, K,
    K, K, K, K, K, K, K, K, K, K, K, K, K, K, K, K,
    K, K, K, K, K, K, K, K, K, K, K, K, K, K, K, K,
    K, K, K, K, K, K, K, K, K, K, K, K, K, K, K, K,
    X, X, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2,
    U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2, U2,
    U3, U3, U3, U3, U3, U3, U3, U3, U3, U3, U3, U3, U3, U3, U3, U3,
    U4, U4, U4, U4, U4, X, X, X, X, X, X, X, X, X, X, X,
};
/* clang-format on */
#undef T
#undef B
#undef H
#undef L
#undef R
#undef X
#undef U2
#undef U3
#undef U4
#undef K

/* The characters libyaml's reader accepts (YAML 1.1 c-printable). */
static int printable(uint32_t c) {
  return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0x7e) || c == 0x85 ||
         (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
         (c >= 0x10000 && c <= 0x10ffff);
}

/* ---- filling the buffer ---- */

/* More bytes may come: from the file, or (UTF-16) from code units read but not transcoded. */
static int can_fill(const struct imhe_yinput *in) {
  if (in->bad_unit[0] || in->read_errno)
    return 0;
  return !in->file_eof || (in->utf16 && in->raw_pos < in->raw_len);
}

/* Reads file bytes into raw (UTF-16) or straight into buf (UTF-8). */
static void read_some(struct imhe_yinput *in, unsigned char *dst, size_t room) {
  if (in->mem) {
    size_t k = in->mem_len - in->mem_pos < room ? in->mem_len - in->mem_pos : room;
    memcpy(dst, in->mem + in->mem_pos, k);
    in->mem_pos += k;
    if (in->utf16)
      in->raw_len += k;
    else
      in->len += k;
    in->file_eof = k == 0;
    return;
  }
  for (;;) {
    ssize_t r = read(in->fd, dst, room);
    if (r > 0) {
      if (in->utf16)
        in->raw_len += (size_t)r;
      else
        in->len += (size_t)r;
      return;
    }
    if (r == 0) {
      in->file_eof = 1;
      return;
    }
    if (errno == EINTR)
      continue;
    in->read_errno = errno;
    return;
  }
}

static void put_utf8(struct imhe_yinput *in, uint32_t c) {
  unsigned char *o = in->buf + in->len;
  if (c < 0x80) {
    o[0] = (unsigned char)c;
    in->len += 1;
  } else if (c < 0x800) {
    o[0] = (unsigned char)(0xc0 | c >> 6);
    o[1] = (unsigned char)(0x80 | (c & 0x3f));
    in->len += 2;
  } else if (c < 0x10000) {
    o[0] = (unsigned char)(0xe0 | c >> 12);
    o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
    o[2] = (unsigned char)(0x80 | (c & 0x3f));
    in->len += 3;
  } else {
    o[0] = (unsigned char)(0xf0 | c >> 18);
    o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
    o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
    o[3] = (unsigned char)(0x80 | (c & 0x3f));
    in->len += 4;
  }
}

/* UTF-16 files are transcoded to UTF-8 here and checked as libyaml would; an unreadable unit
 * stops the filling, to be reported when the scanner reaches it. */
static void transcode(struct imhe_yinput *in) {
  while (in->len + 4 <= IMHE_YINPUT_BUF && !in->bad_unit[0]) {
    size_t have = in->raw_len - in->raw_pos;
    if (have < 4 && !in->file_eof && !in->read_errno) {
      memmove(in->raw, in->raw + in->raw_pos, have);
      in->raw_len = have;
      in->raw_pos = 0;
      read_some(in, in->raw + have, sizeof in->raw - have);
      continue;
    }
    if (have == 0)
      return;
    const unsigned char *u = in->raw + in->raw_pos;
    if (have == 1) {
      snprintf(in->bad_unit, sizeof in->bad_unit,
               "unreadable YAML at byte %llu: a UTF-16 file with an odd number of bytes",
               (unsigned long long)in->raw_off);
      return;
    }
    uint32_t c = in->utf16 == 1 ? (uint32_t)(u[0] | u[1] << 8) : (uint32_t)(u[0] << 8 | u[1]);
    size_t used = 2;
    if (c >= 0xd800 && c <= 0xdbff && have >= 4) {
      uint32_t lo = in->utf16 == 1 ? (uint32_t)(u[2] | u[3] << 8) : (uint32_t)(u[2] << 8 | u[3]);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        used = 4;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      snprintf(in->bad_unit, sizeof in->bad_unit,
               "unreadable YAML at byte %llu: an unpaired UTF-16 surrogate",
               (unsigned long long)in->raw_off);
      return;
    }
    if (!printable(c)) {
      snprintf(in->bad_unit, sizeof in->bad_unit,
               "unreadable YAML at byte %llu: control character U+%04X is not allowed",
               (unsigned long long)in->raw_off, (unsigned)c);
      return;
    }
    put_utf8(in, c);
    in->raw_pos += used;
    in->raw_off += used;
  }
}

/* Makes at least `need` bytes available from pos, unless the file ends or fails first. */
static void fill(struct imhe_yinput *in, size_t need) {
  if (in->len - in->pos >= need)
    return;
  memmove(in->buf, in->buf + in->pos, in->len - in->pos);
  in->len -= in->pos;
  in->pos = 0;
  if (need > IMHE_YINPUT_BUF)
    need = IMHE_YINPUT_BUF; /* a look-ahead never asks for more than the buffer holds */
  while (in->len < need && can_fill(in)) {
    size_t before = in->len;
    if (in->utf16)
      transcode(in);
    else
      read_some(in, in->buf + in->len, IMHE_YINPUT_BUF - in->len);
    if (in->len == before && in->utf16)
      break; /* transcode read what it could: an end, a fault or an unreadable unit */
  }
}

/* ---- refusals ---- */

static void refuse(struct imhe_yinput *in, int stop, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void refuse(struct imhe_yinput *in, int stop, const char *fmt, ...) {
  if (in->refused)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(in->msg, sizeof in->msg, fmt, ap);
  va_end(ap);
  in->refused = 1;
  in->stopped |= stop;
  in->ref_line = in->line;
  in->ref_col = in->col + 1;
}

/* The input ran out where the scanner stands: the end of the file, or a fault found there. */
static void ran_out(struct imhe_yinput *in) {
  if (in->read_errno) {
    refuse(in, 1, "cannot read the file: %s (the rest of it is not read)",
           strerror(in->read_errno));
    in->io_error = 1;
  } else if (in->bad_unit[0]) /* no way to find the next document in broken UTF-16 */
    refuse(in, 1, "%s (the rest of the file is not read)", in->bad_unit);
}

/* ---- scanning ---- */

enum mode { DELIVER, SKIP_DOC, SKIP_LINE };

/* A blank, a line break or the end of input at p (after a marker's three characters). */
static int blankz(const struct imhe_yinput *in, const unsigned char *p, size_t avail) {
  if (avail == 0)
    return !can_fill(in);
  if (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n')
    return 1;
  if (avail >= 2 && p[0] == 0xc2 && p[1] == 0x85)
    return 1;
  return avail >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9);
}

/* 0 no marker, '-' a `---` line, '.' a `...` line (libyaml's rule: column 0, then a blank). */
static int marker(struct imhe_yinput *in) {
  fill(in, 7);
  const unsigned char *p = in->buf + in->pos;
  size_t avail = in->len - in->pos;
  if (avail < 3 ||
      !((p[0] == '-' && p[1] == '-' && p[2] == '-') || (p[0] == '.' && p[1] == '.' && p[2] == '.')))
    return 0;
  return blankz(in, p + 3, avail - 3) ? p[0] : 0;
}

/* At a `%` line inside a document: whether it opens the next document's directives, i.e. only
 * directive, blank and comment lines lie between it and a `---` line. Otherwise libyaml reads it
 * as it comes (a scalar's continuation, or an error). Looks ahead within the buffer only. */
static int directives_ahead(struct imhe_yinput *in) {
  size_t i = 0;
  for (;;) {
    fill(in, i + 8);
    const unsigned char *p = in->buf + in->pos;
    size_t avail = in->len - in->pos;
    if (avail - i < 3)
      return 0; /* the end, or more than the buffer holds */
    if (p[i] == '-' && p[i + 1] == '-' && p[i + 2] == '-' && blankz(in, p + i + 3, avail - i - 3))
      return 1;
    size_t j = i;
    while (j < avail && (p[j] == ' ' || p[j] == '\t'))
      j++;
    if (p[i] != '%' && j < avail && p[j] != '#' && p[j] != '\n' && p[j] != '\r')
      return 0; /* content */
    while (j < avail && p[j] != '\n' && p[j] != '\r')
      j++;
    if (j + 1 >= avail)
      return 0;
    i = j + 1 + (p[j] == '\r' && p[j + 1] == '\n');
  }
}

/* Classifies a line before its first byte is taken. Returns 0 when the document ends before it. */
static int line_start(struct imhe_yinput *in, enum mode mode) {
  in->bol = 0;
  in->lead = 1;
  if (in->pos < in->len) { /* most lines open with neither a marker nor a directive */
    unsigned char b = in->buf[in->pos];
    if (b != '-' && b != '.' && b != '%')
      return 1;
  }
  int m = marker(in);
  if (m == '-') {
    if (in->content)
      return 0; /* the next document */
    in->content = 1;
    in->lead = 0;
  } else if (m == '.') {
    in->end_after_line = 1;
    in->lead = 0;
  } else if (in->pos < in->len && in->buf[in->pos] == '%') {
    if (in->content) {
      if (directives_ahead(in))
        return 0; /* the directives of the next document */
      return 1;
    }
    in->lead = 0;
    if (++in->directives > in->max_directives && mode == DELIVER)
      refuse(in, 0, "more than %u directives before one document (limit)", in->max_directives);
  }
  return 1;
}

/* The length of the character at pos, checked as libyaml's reader checks it; 0 if unreadable
 * (then refused, when checking). A NEL, LS or PS sets *brk: libyaml counts them as line breaks. */
static size_t character(struct imhe_yinput *in, int cls, int check, int *brk) {
  size_t n = cls == C_LEAD2 ? 2 : cls == C_LEAD3 ? 3 : 4;
  fill(in, n);
  const unsigned char *p = in->buf + in->pos;
  size_t avail = in->len - in->pos;
  uint32_t c = p[0] & (0x7f >> n);
  size_t i = 1;
  for (; i < n && i < avail && (p[i] & 0xc0) == 0x80; i++)
    c = c << 6 | (p[i] & 0x3fu);
  /* a 2-byte form of less than U+0080 starts with C0 or C1, refused as a byte (classes) */
  int overlong = (n == 3 && c < 0x800) || (n == 4 && c < 0x10000);
  int ok = i == n && !overlong && printable(c);
  *brk = ok && (c == 0x85 || c == 0x2028 || c == 0x2029);
  if (ok)
    return n;
  if (check) {
    if (i < n)
      refuse(in, 0, "unreadable YAML at byte %llu: invalid UTF-8 (%s)",
             (unsigned long long)in->offset,
             i < avail ? "a lead byte without its continuation bytes" : "a truncated character");
    else if (overlong)
      refuse(in, 0, "unreadable YAML at byte %llu: invalid UTF-8 (an overlong form of U+%04X)",
             (unsigned long long)in->offset, (unsigned)c);
    else
      refuse(in, 0, "unreadable YAML at byte %llu: character U+%04X is not allowed",
             (unsigned long long)in->offset, (unsigned)c);
    return 0;
  }
  return i; /* skipping: step over what is there */
}

static void take(struct imhe_yinput *in, size_t k) {
  in->pos += k;
  in->offset += k;
  in->consumed += k;
  in->doc_bytes += k;
}

static void line_break(struct imhe_yinput *in) {
  in->line++;
  in->col = 0;
  in->bol = 1;
}

/* Advances over the current document: copies its bytes to out (DELIVER, up to cap) or passes
 * over them (SKIP_DOC: to the document's end; SKIP_LINE: to the end of this line). Stops at the
 * document's end, at a refusal, or at cap. Returns the number of bytes copied or passed. */
/* Whether the 8 bytes at p are all printable ASCII (0x20 to 0x7e; a tab, which the byte loop
 * takes, answers no): no byte below 0x20, none at 0x7f or above. */
static int printable_ascii8(const unsigned char *p) {
  uint64_t x;
  memcpy(&x, p, 8);
  uint64_t low = (x - 0x2020202020202020u) & ~x & 0x8080808080808080u;
  uint64_t high = ((x + 0x0101010101010101u) | x) & 0x8080808080808080u;
  return !(low | high);
}

/* A run of plain ASCII within a line (of blanks only, with `blanks`: a line's indentation, which
 * leaves it still to be classified), at most room bytes and within the document's limit, taken and
 * copied to out (when not NULL): its length, or 0 when none fits. */
static size_t plain_run(struct imhe_yinput *in, unsigned char *out, size_t room, int blanks) {
  size_t run = in->len - in->pos, left = in->max_document - in->doc_bytes, j = 1;
  if (run > room)
    run = room;
  if (run > left)
    run = left;
  const unsigned char *p = in->buf + in->pos;
  if (blanks)
    while (j < run && (p[j] == ' ' || p[j] == '\t'))
      j++;
  else {
    while (j + 8 <= run && printable_ascii8(p + j)) /* a word at a time: most bytes are text */
      j += 8;
    while (j < run && classes[p[j]] <= C_HASH)
      j++;
  }
  if (j > run)
    return 0;
  if (out)
    memcpy(out, p, j);
  take(in, j);
  in->col += (uint32_t)j;
  in->cr = 0;
  return j;
}

/* A whole line at a line's start, when it is plain (blanks, then printable ASCII, then a LF) and
 * fits in room and in the document's limit: taken with its break and copied to out, as the
 * byte-by-byte path would take it; its length, or 0 to go byte by byte (anything else on it, a CR,
 * UTF-8, a byte to refuse, a limit to meet, the buffer's end). */
static size_t whole_line(struct imhe_yinput *in, unsigned char *out, size_t room) {
  size_t avail = in->len - in->pos, left = in->max_document - in->doc_bytes;
  if (avail > room)
    avail = room;
  if (avail > left)
    avail = left;
  const unsigned char *p = in->buf + in->pos;
  const unsigned char *nl = memchr(p, '\n', avail);
  if (!nl)
    return 0;
  size_t end = (size_t)(nl - p), i = 0;
  while (i < end && (p[i] == ' ' || p[i] == '\t'))
    i++;
  size_t first = i;
  while (i + 8 <= end && printable_ascii8(p + i))
    i += 8;
  while (i < end && classes[p[i]] <= C_HASH)
    i++;
  if (i != end)
    return 0;
  if (first < end) { /* the line's first character, as advance() would see it */
    in->lead = 0;
    if (classes[p[first]] != C_HASH)
      in->content = 1;
  }
  memcpy(out, p, end + 1);
  take(in, end + 1);
  line_break(in);
  in->cr = 0;
  return end + 1;
}

/* The common cases, before the byte-by-byte path: a whole plain line, or a run of plain ASCII
 * within a line (its indentation, then its text). The bytes taken, or 0. */
static size_t plain_bytes(struct imhe_yinput *in, unsigned char *out, size_t room, enum mode mode) {
  if (mode == DELIVER && in->lead && !in->cr && !in->end_after_line) { /* most lines */
    size_t j = whole_line(in, out, room);
    if (j)
      return j;
  }
  int cls = classes[in->buf[in->pos]];
  if (cls > C_HASH)
    return 0;
  int blanks = in->lead && cls == C_BLANK;
  size_t j = plain_run(in, out, room, blanks);
  if (j && in->lead && !blanks) { /* the line's first character (as advance() sees it) */
    in->lead = 0;
    if (cls != C_HASH)
      in->content = 1;
  }
  return j;
}

/* A byte no YAML character starts with: a stray UTF-8 continuation or a control character. */
static void refuse_byte(struct imhe_yinput *in, unsigned char b, int cls) {
  if (cls == C_CONT || b >= 0x80)
    refuse(in, 0, "unreadable YAML at byte %llu: invalid UTF-8 (byte 0x%02X)",
           (unsigned long long)in->offset, b);
  else
    refuse(in, 0, "unreadable YAML at byte %llu: control character 0x%02X is not allowed",
           (unsigned long long)in->offset, b);
}

static size_t advance(struct imhe_yinput *in, unsigned char *out, size_t cap, enum mode mode) {
  size_t n = 0;
  int check = mode != SKIP_DOC;
  while (n < cap && !in->at_end && !in->refused) {
    if (in->pos == in->len) {
      fill(in, 1);
      if (in->pos == in->len) {
        ran_out(in);
        if (!in->refused)
          in->at_end = 1;
        break;
      }
    }
    if (in->bol && !line_start(in, mode)) {
      in->at_end = 1;
      break;
    }
    if (in->refused)
      break;
    size_t quick = plain_bytes(in, out ? out + n : NULL, cap - n, mode);
    n += quick;
    if (quick)
      continue;
    unsigned char b = in->buf[in->pos];
    int cls = classes[b];
    size_t k = 1;
    int brk = 0;
    if (cls >= C_LEAD2 && cls <= C_LEAD4) {
      k = character(in, cls, check, &brk);
      if (!k)
        break;
    } else if ((cls == C_BAD || cls == C_CONT) && check) {
      refuse_byte(in, b, cls);
      break;
    }
    if (in->doc_bytes + k > in->max_document) {
      refuse(in, 1, "document larger than %zu bytes (limit): the rest of the file is not read",
             in->max_document);
      break;
    }
    if (in->lead && cls != C_BLANK && cls != C_LF && cls != C_CR) {
      in->lead = 0;
      if (cls != C_HASH && !brk)
        in->content = 1; /* the document's content starts on this line */
    }
    if (out && k > cap - n) { /* a character larger than the room left: the rest waits */
      if (n)
        break;
      in->npend = k - cap;
      memcpy(in->pend, in->buf + in->pos + cap, in->npend);
      memcpy(out, in->buf + in->pos, cap);
    } else if (out && k == 1) /* a line break, mostly: no call for one byte */
      out[n] = in->buf[in->pos];
    else if (out)
      memcpy(out + n, in->buf + in->pos, k);
    take(in, k);
    n += k < cap - n ? k : cap - n;
    if (cls == C_LF) {
      if (!in->cr)
        line_break(in);
      in->cr = 0;
      in->bol = 1;
    } else if (cls == C_CR) {
      line_break(in);
      in->cr = 1;
      /* a CR LF is one break: the LF stays with this line */
      fill(in, 1);
      if (in->pos < in->len && in->buf[in->pos] == '\n')
        continue;
    } else if (brk) {
      line_break(in);
      in->cr = 0;
    } else {
      in->col++;
      in->cr = 0;
      continue;
    }
    /* after a line break */
    if (in->end_after_line) {
      in->end_after_line = 0;
      in->at_end = 1;
    }
    if (mode == SKIP_LINE)
      break;
  }
  return n;
}

/* ---- the interface ---- */

int imhe_yinput_read(void *data, unsigned char *buffer, size_t size, size_t *size_read) {
  struct imhe_yinput *in = data;
  if (in->npend) { /* the end of a character split by a small request */
    size_t k = in->npend < size ? in->npend : size;
    memcpy(buffer, in->pend, k);
    memmove(in->pend, in->pend + k, in->npend - k);
    in->npend -= k;
    *size_read = k;
    return 1;
  }
  /* A small bite at a time: libyaml's look-ahead past a refused byte stays a few KiB. */
  size_t n = advance(in, buffer, size < 4096 ? size : 4096, DELIVER);
  *size_read = n;
  return n > 0 || !in->refused;
}

static void start_document(struct imhe_yinput *in) {
  in->content = 0;
  in->directives = 0;
  in->doc_bytes = 0;
  in->at_end = 0;
  in->end_after_line = 0;
  in->lead = 0;
}

/* Whether the line at pos holds nothing for libyaml from column `from` on: blanks, then a
 * comment, a line break or the end. Its leading blanks may be indentation, so they are looked
 * at, not taken. */
static int ignorable_line(struct imhe_yinput *in, size_t from) {
  size_t i = from;
  for (;;) {
    fill(in, i + 4);
    const unsigned char *p = in->buf + in->pos;
    size_t avail = in->len - in->pos;
    if (i == avail) /* the end; or blanks past all look-ahead: libyaml is to judge the line */
      return !can_fill(in) && i < IMHE_YINPUT_BUF - 8;
    if (p[i] == ' ' || p[i] == '\t') {
      i++;
      continue;
    }
    if (p[i] == '#' || p[i] == '\n' || p[i] == '\r')
      return 1;
    return blankz(in, p + i, avail - i) && p[i] >= 0x80; /* a NEL, LS or PS */
  }
}

int imhe_yinput_next(struct imhe_yinput *in) {
  if (in->stopped)
    return 0;
  in->in_doc = 0;
  in->refused = 0;
  start_document(in);
  /* Blank lines, comment lines and stray `...` lines before a document belong to no document,
   * but they count towards the size of the next one, so an endless comment is refused too. */
  for (;;) {
    fill(in, 8);
    if (in->pos == in->len) {
      ran_out(in);
      if (!in->refused)
        return 0;
      break;
    }
    int m = marker(in);
    if (m == '-' || (m == 0 && in->buf[in->pos] == '%') || !ignorable_line(in, m ? 3 : 0))
      break; /* a document starts here (a `...` followed by more is for libyaml to refuse) */
    in->bol = 0;
    in->lead = 0;
    advance(in, NULL, SIZE_MAX, SKIP_LINE);
    in->at_end = 0;
    in->end_after_line = 0;
    if (in->refused)
      break;
  }
  in->bol = 1;
  in->lead = 0;
  in->at_end = 0;
  in->end_after_line = 0;
  in->doc_line = in->line;
  in->in_doc = 1;
  return 1;
}

void imhe_yinput_skip(struct imhe_yinput *in) {
  if (in->stopped)
    return;
  in->refused = 0;
  while (!in->at_end && !in->refused)
    advance(in, NULL, SIZE_MAX, SKIP_DOC);
  in->in_doc = 0;
}

/* A FIFO: wait for a writer (poll sees data or a hang-up) for at most wait_ms, then read it as a
 * stream. Opened without blocking, so a FIFO nobody writes to cannot hang the run. */
static int fifo_ready(int fd, unsigned wait_ms) {
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long spent = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
    int left = spent >= (long)wait_ms ? 0 : (int)(wait_ms - (unsigned long)spent);
    int r = poll(&p, 1, left);
    if (r > 0)
      break;
    if (r == 0)
      return -1;
    if (errno != EINTR)
      return -1;
  }
  int fl = fcntl(fd, F_GETFL);
  return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
}

/* The byte-order mark decides the encoding, as libyaml decides it. */
static void start(struct imhe_yinput *in) {
  fill(in, 3);
  const unsigned char *p = in->buf;
  if (in->len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff))) {
    in->utf16 = p[0] == 0xff ? 1 : 2;
    memcpy(in->raw, in->buf + 2, in->len - 2);
    in->raw_len = in->len - 2;
    in->raw_off = 2;
    in->len = 0;
  } else if (in->len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
    in->pos = 3;
    in->offset = 3;
  }
}

static void init(struct imhe_yinput *in, const char *path, size_t max_document,
                 unsigned max_directives) {
  memset(in, 0, sizeof *in);
  in->path = path;
  in->max_document = max_document;
  in->max_directives = max_directives;
  in->line = 1;
  in->bol = 1;
}

void imhe_yinput_open_fd(struct imhe_yinput *in, int fd, const char *name, size_t max_document,
                         unsigned max_directives) {
  init(in, name, max_document, max_directives);
  in->fd = fd;
  start(in);
}

void imhe_yinput_open_mem(struct imhe_yinput *in, const void *bytes, size_t len, const char *name,
                          size_t max_document, unsigned max_directives) {
  init(in, name, max_document, max_directives);
  in->fd = -1;
  in->mem = len ? bytes : (const unsigned char *)"";
  in->mem_len = len;
  start(in);
}

int imhe_yinput_open(struct imhe_yinput *in, const char *path, size_t max_document,
                     unsigned max_directives, unsigned fifo_wait_ms, char *err, size_t errlen) {
  init(in, path, max_document, max_directives);
  if (!strcmp(path, "-")) {
    in->fd = 0;
  } else {
    struct stat st;
    if (stat(path, &st) != 0) {
      snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
      return -1;
    }
    if (S_ISDIR(st.st_mode)) {
      snprintf(err, errlen, "%s: is a directory, not a file of records", path);
      return -1;
    }
    int fifo = S_ISFIFO(st.st_mode);
    in->fd = open(path, O_RDONLY | O_CLOEXEC | (fifo ? O_NONBLOCK : 0));
    if (in->fd < 0) {
      snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
      return -1;
    }
    in->own_fd = 1;
    if (fifo && fifo_ready(in->fd, fifo_wait_ms) != 0) {
      snprintf(err, errlen, "%s: a FIFO that no program wrote to within %g s", path,
               fifo_wait_ms / 1000.0);
      close(in->fd);
      return -1;
    }
  }
  start(in);
  return 0;
}

void imhe_yinput_close(struct imhe_yinput *in) {
  if (in->own_fd)
    close(in->fd);
  in->own_fd = 0;
}
