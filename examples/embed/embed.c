/* embed.c — a program embedding imhe: opens the policy set, judges the records of each file given
 * through the public API, and prints one line per applicant with each unmet requirement and how
 * much is missing. Build: cc embed.c $(pkg-config --cflags --libs imhe)
 * usage: embed RULES_DIR FILE.yaml... */
#include <imhe.h>
#include <stdio.h>
#include <string.h>

/* "26 h", "2 years", "masters or higher", "yes" */
static void print_value(imhe_value v) {
  switch (v.type) {
  case IMHE_VALUE_NUMBER:
    printf("%g%s%s", v.number, v.unit == IMHE_UNIT_NONE || v.unit == IMHE_UNIT_COUNT ? "" : " ",
           v.unit == IMHE_UNIT_NONE || v.unit == IMHE_UNIT_COUNT ? "" : imhe_unit_name(v.unit));
    break;
  case IMHE_VALUE_BOOLEAN:
    printf("%s", v.boolean ? "yes" : "no");
    break;
  case IMHE_VALUE_DEGREE:
    printf("%s", v.text ? v.text : "none");
    break;
  case IMHE_VALUE_OUTCOME:
    printf("%s", imhe_status_name(v.status));
    break;
  default:
    printf("-");
  }
}

/* Each unmet condition of the result: "; rule: short by X (has Y, needs Z)". */
static void print_unmet(const imhe_result *res) {
  for (size_t i = 0; i < imhe_result_rule_count(res); i++) {
    const imhe_rule_result *rule = imhe_result_rule(res, i);
    if (imhe_rule_status(rule) != IMHE_STATUS_FAIL)
      continue;
    if (!imhe_rule_condition_count(rule)) /* decided outside the rules: a category not offered */
      printf("; %s: %s", imhe_rule_id(rule), imhe_rule_description(rule));
    for (size_t k = 0; k < imhe_rule_condition_count(rule); k++) {
      const imhe_condition *c = imhe_rule_condition(rule, k);
      if (imhe_condition_status(c) != IMHE_STATUS_FAIL)
        continue;
      printf("; %s: %s", imhe_rule_id(rule), imhe_condition_description(c));
      imhe_value s = imhe_condition_shortfall(c);
      if (s.type == IMHE_VALUE_NUMBER) {
        printf(" (short by ");
        print_value(s);
        printf(")");
      } else {
        printf(" (has ");
        print_value(imhe_condition_observed(c));
        printf(", needs ");
        print_value(imhe_condition_required(c));
        printf(")");
      }
    }
  }
}

static int judge_file(const imhe_policy_set *set, const char *path) {
  imhe_source *src;
  imhe_error err;
  if (imhe_source_open_path(set, path, &src, &err) != IMHE_OK) {
    fprintf(stderr, "embed: %s\n", err.message);
    return 1;
  }
  imhe_record *rec;
  imhe_code rc;
  int status = 0;
  while ((rc = imhe_source_next(src, &rec, &err)) != IMHE_END) {
    if (rc != IMHE_OK) {
      fprintf(stderr, "embed: %s\n", err.message);
      status = 1;
      continue;
    }
    imhe_result *res;
    if (imhe_judge(set, rec, NULL, &res, &err) == IMHE_OK) {
      const char *id = imhe_record_id(rec), *who = imhe_record_applicant(rec);
      printf("%s (%s): %s", id ? id : "?", who ? who : "?",
             imhe_verdict_name(imhe_result_verdict(res)));
      print_unmet(res);
      printf("\n");
      imhe_result_free(res);
    } else {
      fprintf(stderr, "embed: %s\n", err.message);
      status = 1;
    }
    imhe_record_free(rec);
  }
  imhe_source_close(src);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: embed RULES_DIR FILE.yaml...\n");
    return 2;
  }
  imhe_policy_set *set;
  imhe_error err;
  imhe_open_options opts = {.no_cache_write = 1};
  if (imhe_policy_set_open(argv[1], &opts, &set, &err) != IMHE_OK) {
    fprintf(stderr, "embed: %s\n", err.message);
    return 2;
  }
  int status = 0;
  for (int i = 2; i < argc; i++)
    status |= judge_file(set, argv[i]);
  imhe_policy_set_close(set);
  return status ? 2 : 0;
}
