/* yinput.h — the bytes under libyaml: a record file cut into documents at their `---`, `...` and
 * directive lines, each held to the byte limits before libyaml reads a byte of it.
 * libyaml parses one document per parser, so a refused document is abandoned at once (no parsing
 * its rest) and the next one is found by its marker line. Owns its file and buffer only. */
#ifndef IMHE_YINPUT_H
#define IMHE_YINPUT_H

#include <stddef.h>
#include <stdint.h>

#define IMHE_YINPUT_BUF (64 * 1024)

struct imhe_yinput {
  int fd, own_fd;
  const unsigned char *mem; /* bytes in memory instead of a file (fd is then -1) */
  size_t mem_len, mem_pos;
  const char *path;
  size_t max_document;     /* bytes in one document with the comments before it */
  unsigned max_directives; /* %YAML / %TAG lines before one document */
  /* file bytes, and (for UTF-16 files) the code units not yet transcoded */
  unsigned char raw[IMHE_YINPUT_BUF];
  size_t raw_pos, raw_len;
  int utf16;        /* 0: UTF-8; 1: UTF-16LE; 2: UTF-16BE (transcoded to UTF-8) */
  uint64_t raw_off; /* file offset of raw[raw_pos] */
  int file_eof;
  int read_errno;    /* a read failed: reported when the scanner reaches that point */
  char bad_unit[96]; /* an unreadable UTF-16 unit, reported when the scanner gets there */
  /* UTF-8 bytes ready for scanning */
  unsigned char buf[IMHE_YINPUT_BUF + 8];
  size_t pos, len;
  unsigned char pend[4]; /* bytes of a character handed out in part, still owed to libyaml */
  size_t npend;
  /* where buf[pos] is */
  uint64_t offset;   /* its byte offset in the file (UTF-8 files) */
  uint64_t consumed; /* bytes scanned so far, handed to libyaml or skipped */
  uint32_t line;     /* 1-based */
  uint32_t col;      /* 0-based, in characters */
  int bol;           /* at the start of a line not yet classified */
  int cr;            /* the last byte was a CR: a LF right after it is the same break */
  /* the current document */
  int in_doc;         /* a document is being handed out */
  int content;        /* past its directives: a `---` or a content line was seen */
  int lead;           /* this line holds only blanks so far */
  int end_after_line; /* a `...` line: the document ends with this line */
  int at_end;         /* the document is over: libyaml is told end of input */
  unsigned directives;
  size_t doc_bytes;
  uint32_t doc_line; /* the line the document starts on: libyaml counts from it */
  /* a refusal: the document cannot be read further */
  int refused;  /* a limit broke or a byte is unreadable */
  int stopped;  /* and the rest of the file is not read either */
  int io_error; /* because reading the file failed */
  uint32_t ref_line, ref_col;
  char msg[320];
};

/* path "-" reads standard input. A FIFO is read as a stream once a writer has opened it; if none
 * does within fifo_wait_ms it is refused. 0, or -1 with a message naming the file in err. */
int imhe_yinput_open(struct imhe_yinput *in, const char *path, size_t max_document,
                     unsigned max_directives, unsigned fifo_wait_ms, char *err, size_t errlen);
/* The same over an open file descriptor (not closed) or bytes in memory (not copied: they must
 * stay until closed); `name` is how messages call it. */
void imhe_yinput_open_fd(struct imhe_yinput *in, int fd, const char *name, size_t max_document,
                         unsigned max_directives);
void imhe_yinput_open_mem(struct imhe_yinput *in, const void *bytes, size_t len, const char *name,
                          size_t max_document, unsigned max_directives);
void imhe_yinput_close(struct imhe_yinput *in);

/* Skips blank and comment lines (and stray `...` lines) up to the next document and starts it:
 * 1 when there is one (in->doc_line is its line; in->refused may already be set), 0 at the end
 * of the input or once stopped. */
int imhe_yinput_next(struct imhe_yinput *in);
/* libyaml's read handler (data is the imhe_yinput): the current document's bytes, then end of
 * input at its end; an error once it is refused. */
int imhe_yinput_read(void *data, unsigned char *buffer, size_t size, size_t *size_read);
/* Abandons the rest of the current document: skips to the next document's first line. Clears a
 * refusal unless the rest of the file is not to be read. */
void imhe_yinput_skip(struct imhe_yinput *in);

#endif
