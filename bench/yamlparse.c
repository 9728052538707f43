/* yamlparse.c — the baseline for bench/check.sh: libyaml's event parser over a stream, doing
 * nothing but counting events, so imhe's cost is stated as a ratio to bare parsing. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv) {
  FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_file(&p, f);
  unsigned long events = 0, docs = 0;
  for (;;) {
    yaml_event_t e;
    if (!yaml_parser_parse(&p, &e)) {
      fprintf(stderr, "yaml error: %s\n", p.problem ? p.problem : "?");
      break;
    }
    events++;
    docs += e.type == YAML_DOCUMENT_START_EVENT;
    int end = e.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&e);
    if (end)
      break;
  }
  yaml_parser_delete(&p);
  printf("%lu documents, %lu events\n", docs, events);
  return 0;
}
