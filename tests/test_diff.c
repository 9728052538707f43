/* test_diff.c — `imhe diff OLD NEW`: the differences between two compiled policies (thresholds,
 * categories, fees, deadlines, memberships, rules added and removed), and with --records the
 * records judged under both (counts, flips, both explanations); text, JSON and Markdown, exit 0
 * for none and 1 for some; bad arguments exit 2. */
#include "helpers.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *diff(const char *args, int *rc) {
  char cmd[2000], *out;
  snprintf(cmd, sizeof cmd, "%s diff %s 2>&1", imhe_bin(), args);
  *rc = run_cmd(cmd, &out);
  return out;
}

/* A copy of rules/ in a new directory, changed by a sed script on one policy. */
static char *changed_rules(const char *policy, const char *sed) {
  char *dir = temp_dir(), cmd[2000];
  snprintf(cmd, sizeof cmd, "cp rules/*.imhe %s/ && sed -i '%s' %s/%s.imhe", dir, sed, dir, policy);
  cr_assert_eq(run_cmd(cmd, NULL), 0, "%s", cmd);
  return dir;
}

Test(diff, the_same_policies_differ_in_nothing) {
  int rc;
  char *out = diff("rules rules", &rc);
  cr_expect_eq(rc, 0, "%s", out);
  cr_expect(strstr(out, "0 differences between rules and rules"), "%s", out);
  free(out);
}

Test(diff, thresholds_categories_memberships_fees_and_deadlines) {
  char *dir = changed_rules("ct", "s/accepts members of CT/accepts members of CT, NY/; "
                                  "s/sum(training.hours) >= 40 h/sum(training.hours) >= 45 h/; "
                                  "s/offers IMH, ECMH/offers IMH/");
  char cmd[1000];
  snprintf(cmd, sizeof cmd,
           "sed -i 's/fee processing \\$50 for IFS/fee processing $60 for IFS/; s/Sep 15, //' "
           "%s/wi.imhe",
           dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0);
  char args[700];
  snprintf(args, sizeof args, "rules %s", dir);
  int rc;
  char *out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  static const char *const want[] = {
      "ct: advise training_average_associate: thresholds changed: 40 h → 45 h  [",
      "ct: categories offered under base legacy changed: IFA, IFS, IMHS, IMHM-C, IMHM-P, "
      "IMHM-RF, ECFA, ECFS, ECMHS, ECMHM-C, ECMHM-P, ECMHM-RF → IFA, IFS, IMHS, IMHM-C, "
      "IMHM-P, IMHM-RF\n",
      "ct: membership NY added: accepted\n",
      "wi: fee processing for IFS changed: $50.00 → $60.00\n",
      "wi: deadline 09-15 removed: submission deadline\n",
      "5 differences between rules and ",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(out, want[i]), "missing '%s' in:\n%s", want[i], out);
  free(out);
  /* nothing is written into either directory */
  snprintf(cmd, sizeof cmd, "ls %s | grep -c imhec", dir);
  char *ls;
  run_cmd(cmd, &ls);
  cr_expect_eq(atoi(ls), 0, "compiled files were cached in %s", dir);
  free(ls);

  snprintf(args, sizeof args, "--format json rules %s", dir);
  out = diff(args, &rc);
  cr_expect_eq(rc, 1);
  cr_expect(strstr(out, "{\"policy\":\"wi\",\"what\":\"fee processing for IFS\",\"change\":"
                        "\"changed\",\"old\":\"$50.00\",\"new\":\"$60.00\",\"file\":null,"
                        "\"line\":0}\n"),
            "%s", out);
  free(out);
  snprintf(args, sizeof args, "--format markdown rules %s", dir);
  out = diff(args, &rc);
  cr_expect(!strncmp(out, "| policy | what | change | old | new | source |\n| --- |", 50), "%s",
            out);
  cr_expect(strstr(out, "| wi | deadline 09-15 | removed | submission deadline |  | |\n"), "%s",
            out);
  free(out);
  free(dir);
}

/* The vocabulary is compared by code: a category declared, dropped, renamed or moved to another
 * track is a difference of its own. */
Test(diff, categories_declared_and_renamed) {
  char *dir = changed_rules("catalogue", "s/\"Endorsed Reflective Supervisor\" in IMH, ECMH/"
                                         "\"Reflective Supervisor\" in IMH/; "
                                         "/^defines category ERS-E /a defines category RSV "
                                         "\"Reflective Practice Supervisor\" in ECMH");
  char args[600];
  snprintf(args, sizeof args, "rules %s", dir);
  int rc;
  char *out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "category ERS changed: \"Endorsed Reflective Supervisor\" in IMH, ECMH → "
                        "\"Reflective Supervisor\" in IMH"),
            "%s", out);
  cr_expect(strstr(out, "category RSV added: \"Reflective Practice Supervisor\" in ECMH"), "%s",
            out);
  free(out);
  free(dir);
}

/* Tabs are compared by code and areas by word: a tab retitled, an area moved to another tab. */
Test(diff, tabs_retitled_and_areas_moved) {
  char *dir =
      changed_rules("catalogue", "s/^defines tab training \"Trainings\"/defines tab training "
                                 "\"Training\"/; s/^\\(defines area prerequisite .*\\) in "
                                 "details/\\1 in education/");
  char args[600];
  snprintf(args, sizeof args, "rules %s", dir);
  int rc;
  char *out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out,
                   "wi: tab training changed: \"Trainings\", tab 7 of 11 → \"Training\", tab 7 "
                   "of 11"),
            "%s", out);
  cr_expect(strstr(out, "wi: area prerequisite changed: \"endorsements held before\" in details → "
                        "\"endorsements held before\" in education"),
            "%s", out);
  free(out);
  free(dir);
}

/* Fee kinds are compared by word, as categories by code: one declared, one renamed. */
Test(diff, fee_kinds_declared_and_renamed) {
  char *dir = changed_rules("catalogue", "s/\"membership fee\" for renewal/\"membership dues\" for "
                                         "renewal/; /^defines fee late /a defines fee application "
                                         "\"application fee\" for application");
  char args[600];
  snprintf(args, sizeof args, "rules %s", dir);
  int rc;
  char *out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "wi: fee kind membership changed: \"membership fee\" for renewal → "
                        "\"membership dues\" for renewal"),
            "%s", out);
  cr_expect(strstr(out, "wi: fee kind application added: \"application fee\" for application"),
            "%s", out);
  free(out);
  free(dir);
}

/* Degrees are compared by word with their place in the order and whether graduate: one declared
 * between masters and post_graduate moves those above it. */
Test(diff, degrees_declared_in_order) {
  char *dir = changed_rules("catalogue", "/^defines degree masters /a defines degree specialist "
                                         "\"specialist degree\" for graduate");
  char args[600];
  snprintf(args, sizeof args, "rules %s", dir);
  int rc;
  char *out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(
      strstr(out, "wi: degree specialist added: \"specialist degree\", degree 4 of 6, graduate"),
      "%s", out);
  cr_expect(strstr(out, "wi: degree doctorate changed: \"doctorate\", degree 5 of 5, graduate → "
                        "\"doctorate\", degree 6 of 6, graduate"),
            "%s", out);
  free(out);
  free(dir);
}

Test(diff, rules_added_removed_and_changed_between_two_files) {
  int rc;
  char *out = diff("rules/legacy.imhe rules/alliance-2025.imhe", &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "require specialist_references removed: 3 completed references: a "
                        "supervisor or teacher"),
            "%s", out);
  cr_expect(strstr(out, "require ers_providing added: 1 year providing reflective "
                        "supervision/consultation  [rules/alliance-2025.imhe:"),
            "%s", out);
  cr_expect(strstr(out, "require training_hours: thresholds changed: 30 h → 33 h"), "%s", out);
  cr_expect(strstr(out, "require specialist_rsc: conditions changed: RSC within 24 months; RSC "
                        "period → qualified RSC within 24 months; qualified RSC period"),
            "%s", out);
  free(out);
}

Test(diff, a_policy_with_errors_or_on_one_side_only_is_said) {
  char *dir = changed_rules("wi", "s/^fee registration/fee regstration/");
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm %s/ct.imhe", dir);
  run_cmd(cmd, NULL);
  char args[700];
  snprintf(args, sizeof args, "rules %s", dir);
  int rc;
  char *out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "ct: policy removed: "), "%s", out);
  cr_expect(strstr(out, "wi: policy changed: "), "%s", out);
  cr_expect(strstr(out, "wi.imhe:13:"), "the new policy's error is located:\n%s", out);
  free(out);
  free(dir);
}

Test(diff, bad_arguments_exit_2) {
  static const struct {
    const char *args, *msg;
  } cases[] = {
      {"rules", "usage: imhe diff"},
      {"rules rules rules", "not more"},
      {"rules nowhere", "nowhere: No such file or directory"},
      {"--format xml rules rules", "unknown format 'xml'"},
      {"rules rules --records", "--records needs record files"},
      {"rules rules --records nowhere.yaml", "nowhere.yaml: No such file or directory"},
      {"rules rules --records tests", "tests: is a directory"},
      {"--bogus rules rules", "unknown option '--bogus'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int rc;
    char *out = diff(cases[i].args, &rc);
    cr_expect_eq(rc, 2, "%s: exit %d", cases[i].args, rc);
    cr_expect(strstr(out, cases[i].msg), "%s: %s", cases[i].args, out);
    free(out);
  }
}

/* --records: CT adopting the 2025 requirements (examples/policies) over the worked example's
 * population and the CT examples. */
Test(diff, records_judged_under_both_counts_flips_and_explanations) {
  int rc;
  char *out = diff("rules/ct.imhe examples/policies/ct-2025.imhe --records "
                   "examples/policies/ct-population.yaml examples/ct-ecfs-eligible.yaml",
                   &rc);
  cr_expect_eq(rc, 1, "%s", out);
  static const char *const want[] = {
      "rules/ct.imhe → examples/policies/ct-2025.imhe\n  records                   61\n",
      "  eligible → not eligible   ",
      "rules on which records flip:\n  competencies                 not judged   → fail         ",
      "  specialist_rsc               pass         → fail         ",
      "changed records:\n",
      /* the worked example's eligible record fails the new competencies requirement */
      "CT-2025-0201  examples/ct-ecfs-eligible.yaml:3  eligible → not eligible\n",
      "  rule competencies\n      old: not judged (not in this policy for this record)\n"
      "      new: fail  competencies documented in training and education",
      "      old: pass  a bachelors degree or higher  [specialist_education, rules/legacy.imhe:55]",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(out, want[i]), "missing '%s' in:\n%s", want[i], out);
  free(out);

  out = diff("--summary rules/ct.imhe examples/policies/ct-2025.imhe --records "
             "examples/ct-ecfs-eligible.yaml",
             &rc);
  cr_expect(strstr(out, "  eligible → not eligible   1\n"), "%s", out);
  cr_expect(!strstr(out, "changed records"), "--summary leaves the records out:\n%s", out);
  free(out);

  out = diff("--format json rules/ct.imhe examples/policies/ct-2025.imhe --records "
             "examples/ct-ecfs-eligible.yaml",
             &rc);
  cr_expect(strstr(out, "\"records\":1,\"unchanged\":0,\"eligible_to_not_eligible\":1,"
                        "\"not_eligible_to_eligible\":0,\"other_changes\":0,\"flips\":[{"),
            "%s", out);
  cr_expect(strstr(out, "\"changed\":[{\"id\":\"CT-2025-0201\",\"file\":\"examples/"
                        "ct-ecfs-eligible.yaml\",\"line\":3,\"old_verdict\":\"eligible\","
                        "\"new_verdict\":\"not_eligible\""),
            "%s", out);
  cr_expect(strstr(out, "{\"id\":\"competencies\",\"old\":null,\"new\":{\"status\":\"fail\""), "%s",
            out);
  free(out);

  out = diff("--format markdown rules/ct.imhe examples/policies/ct-2025.imhe --records "
             "examples/ct-ecfs-eligible.yaml",
             &rc);
  cr_expect(strstr(out,
                   "| records | unchanged | eligible → not eligible | not eligible → eligible "
                   "| other changes |\n| --- | --- | --- | --- | --- |\n| 1 | 0 | 1 | 0 | 0 |"),
            "%s", out);
  cr_expect(strstr(out, "### CT-2025-0201 (examples/ct-ecfs-eligible.yaml:3): eligible → "
                        "not eligible"),
            "%s", out);
  free(out);

  /* the same policy on both sides changes nothing */
  out = diff("rules rules --records examples/ct-ecfs-eligible.yaml examples/wi-ifs-eligible.yaml",
             &rc);
  cr_expect_eq(rc, 0, "%s", out);
  cr_expect(strstr(out, "  records                   2\n  unchanged                 2\n"), "%s",
            out);
  free(out);
}

/* Records whose verdict stays but whose fees change are counted as other changes and listed: a
 * late fee raised (the yearly total the same) and a renewal fee raised (the total changed). */
Test(diff, records_whose_fees_alone_change_are_listed) {
  char *dir = temp_dir(), cmd[2000], args[2000];
  snprintf(
      cmd, sizeof cmd,
      "sed 's/fee late \\$25/fee late $35/' tests/policies/good/renewal-due.imhe > %s/late.imhe"
      " && sed 's/fee renewal \\$30/fee renewal $40/' tests/policies/good/renewal-due.imhe"
      " > %s/renewal.imhe",
      dir, dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0, "%s", cmd);
  int rc;
  snprintf(args, sizeof args,
           "tests/policies/good/renewal-due.imhe %s/late.imhe --records "
           "tests/policies/good/renewal-due.yaml",
           dir);
  char *out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "  unchanged                 1\n"),
            "the on-time renewal pays no late fee:\n%s", out);
  cr_expect(strstr(out, "  other changes             2\n"), "%s", out);
  cr_expect(strstr(out, "RD-LATE  tests/policies/good/renewal-due.yaml:10  eligible → eligible\n"
                        "    fees or next deadline changed"),
            "%s", out);
  cr_expect(!strstr(out, "RD-ONTIME"), "%s", out);
  free(out);
  snprintf(args, sizeof args,
           "tests/policies/good/renewal-due.imhe %s/renewal.imhe --records "
           "tests/policies/good/renewal-due.yaml --summary",
           dir);
  out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "  unchanged                 0\n"), "%s", out);
  cr_expect(strstr(out, "  other changes             3\n"), "%s", out);
  free(out);
  free(dir);
}

/* A policy of 300 rules (more than the diff's table of rule ids holds, so they are searched): the
 * one rule changed is the one the record flips on; one removed is not judged. */
Test(diff, records_flip_on_a_rule_of_a_large_policy) {
  char *dir = temp_dir(), cmd[2000], args[1000];
  snprintf(
      cmd, sizeof cmd,
      "cd %s && { printf 'policy BIG\\naccepts members of any\\nrenewal annual due Dec 15\\n';"
      " for i in $(seq 1 300); do"
      " printf 'rule r%%d for renewal require ethics \"ethics %%d\":\\n  ethics_signed\\n' $i $i;"
      " done; } > old.imhe"
      " && sed '/\"ethics 300\"/{n;s/ethics_signed/agreement_signed/}' old.imhe > new.imhe"
      " && printf 'id: BIG-1\\nassociation: BIG\\nkind: renewal\\nrenewal_deadline: "
      "2025-12-31\\nethics_signed: 2025-01-01\\napplicant: {name: Big Renewal}\\n' > r.yaml",
      dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0, "%s", cmd);
  snprintf(args, sizeof args, "%s/old.imhe %s/new.imhe --records %s/r.yaml", dir, dir, dir);
  int rc;
  char *out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "  eligible → not eligible   1\n"), "%s", out);
  cr_expect(strstr(out, "rules on which records flip:\n  r300 "), "%s", out);
  cr_expect(strstr(out, "fail: ethics 300: Endorsement Agreement not signed"), "%s", out);
  free(out);
  /* the rule removed: the record's outcome of it goes to "not judged" */
  snprintf(cmd, sizeof cmd, "cd %s && head -n -2 old.imhe > fewer.imhe", dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0, "%s", cmd);
  snprintf(args, sizeof args, "%s/old.imhe %s/fewer.imhe --records %s/r.yaml", dir, dir, dir);
  out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "  r300                         pass         → not judged   1\n"), "%s",
            out);
  cr_expect(strstr(out, "new: not judged (not in this policy for this record)"), "%s", out);
  free(out);
  free(dir);
}

/* A date in a rule's code is a threshold like a number; a changed deadline changes a record's
 * result though no verdict moves ("other changes"), and an invalid record stays unchanged. */
Test(diff, dates_in_rules_and_deadlines_of_records) {
  char *dir = temp_dir(), cmd[2500];
  snprintf(cmd, sizeof cmd,
           "cd %s && printf 'policy p\\ndefines IFA\\nfee registration $20 for all\\n"
           "fee processing $25 for IFA\\ndeadlines every year on Mar 15\\n"
           "rule recent for all require training \"two trainings since 2020\":\\n"
           "  count(training where date > 2020-01-01) >= 2\\n' > old.imhe && "
           "sed -e 's/Mar 15/Jun 15/' -e 's/2020-01-01/2021-01-01/' old.imhe > new.imhe && "
           "printf 'id: D-1\\nassociation: WI\\ncategory: IFA\\nsubmitted: 2026-05-01\\n"
           "applicant: {name: A}\\ntraining:\\n  - {title: T, date: 2022-01-01, hours: 3}\\n"
           "---\\nid: D-2\\nassociation: WI\\n' > recs.yaml",
           dir);
  cr_assert_eq(run_cmd(cmd, NULL), 0, "%s", cmd);
  char args[1200];
  snprintf(args, sizeof args, "%s/old.imhe %s/new.imhe", dir, dir);
  int rc;
  char *out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "require recent: thresholds changed: 2020-01-01, 2 → 2021-01-01, 2  ["),
            "%s", out);
  cr_expect(strstr(out, "deadline 03-15 removed: submission deadline\n"), "%s", out);
  cr_expect(strstr(out, "deadline 06-15 added: submission deadline\n"), "%s", out);
  free(out);
  snprintf(args, sizeof args, "%s/old.imhe %s/new.imhe --records %s/recs.yaml", dir, dir, dir);
  out = diff(args, &rc);
  cr_expect_eq(rc, 1, "%s", out);
  cr_expect(strstr(out, "  records                   2\n  unchanged                 1\n"), "%s",
            out);
  cr_expect(strstr(out, "  other changes             1\n"), "%s", out);
  cr_expect(strstr(out, "recs.yaml:1  not eligible → not eligible\n    fees or next deadline "
                        "changed\n"),
            "%s", out);
  cr_expect(!strstr(out, "D-2"), "the invalid record is unchanged:\n%s", out);
  free(out);
  free(dir);
}
