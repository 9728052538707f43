#!/usr/bin/env python3
"""gen_records.py N [SEED] [ASSOC] — writes N realistic application records (YAML, one stream) to
stdout; with ASSOC (WI, CT or MI), of that association only.

Associations, categories, work, training, RSC and references vary the way real
applications do, so every measure of the engine is exercised."""
import random
import sys

CATS = {"WI": ["IFA", "IFS", "IMHS", "IMHM-C", "IMHM-P"],
        "CT": ["IFA", "IFS", "IMHS", "ECFA", "ECFS", "ECMHS", "IMHM-C"],
        "MI": ["IFA", "IFS", "IMHS", "ECFS", "ECMHS", "IMHM-C", "ERS", "ERS-E"]}
ROLES = ["program_supervisor", "supervisor", "teacher", "trainer", "consultant",
         "colleague", "parent", "rsc_provider", "supervisee", "peer"]
CODES = ["TF.infant_development", "TF.attachment_separation_loss", "TF.cultural_humility",
         "TF.family_relationships", "DS.observation_listening", "DS.safety", "DS.advocacy",
         "DS.screening_assessment", "DS.supporting_attachment", "RF.self_awareness",
         "RF.curiosity", "RF.contemplation", "WO.collaborating", "CO.listening"]


ONLY = sys.argv[3] if len(sys.argv) > 3 else None


def date(r, y0, y1):
    return f"{r.randint(y0, y1)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"


def record(r, i):
    assoc = ONLY or r.choice(list(CATS))
    cat = r.choice(CATS[assoc])
    year = r.randint(2023, 2026)
    out = [f"id: {assoc}-{year}-{i:06d}", f"association: {assoc}", f"category: {cat}",
           f"submitted: {year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
           f"applicant: {{name: Applicant {i}, email: a{i}@example.org}}",
           f"membership: {{association: {assoc}, expires: {year + 1}-06-30}}",
           f"agreement_signed: {year}-01-0{r.randint(1, 9)}",
           f"ethics_signed: {year}-01-0{r.randint(1, 9)}",
           "education:",
           f"  - {{degree: {r.choice(['associate', 'bachelors', 'masters', 'doctorate'])}, "
           f"field: Social Work, completed: {date(r, 2000, 2015)}, transcript: official, "
           f"competencies: [{', '.join(r.sample(CODES, 4))}]}}",
           "work:"]
    for _ in range(r.randint(1, 4)):
        out.append(f"  - {{title: Home Visitor, employer: Family Services, start: {date(r, 2012, 2020)}, "
                   f"end: {date(r, 2021, 2024)}, kind: {r.choice(['paid', 'paid', 'volunteer'])}, "
                   f"scope: {r.choice(['promotion', 'prevention', 'intervention', 'treatment'])}, "
                   f"ages: [{r.choice(['infant', 'early_childhood', 'prenatal'])}], "
                   f"families_served: {r.randint(0, 30)}, psychotherapy: {r.choice(['true', 'false'])}}}")
    out.append("leadership:")
    out.append(f"  - {{role: Director, start: {date(r, 2010, 2019)}, type: clinical}}")
    out.append("training:")
    for _ in range(r.randint(3, 10)):
        out.append(f"  - {{title: Workshop, date: {date(r, 2015, 2024)}, hours: {r.choice([1, 1.5, 3, 6, 12])}, "
                   f"type: {r.choice(['general', 'general', 'rsc_provision'])}, "
                   f"competencies: [{', '.join(r.sample(CODES, r.randint(0, 3)))}]}}")
    out.append("rsc:")
    for _ in range(r.randint(1, 3)):
        out.append(f"  - {{provider: Dr. Smith, provider_endorsement: {r.choice(['IMHM-C', 'ERS', 'IFS', 'none'])}, "
                   f"start: {date(r, 2018, 2021)}, end: {date(r, 2022, 2024)}, hours: {r.randint(10, 60)}, "
                   f"about_provision_hours: {r.randint(0, 9)}}}")
    out.append("rsc_provided:")
    out.append(f"  - {{start: {date(r, 2015, 2023)}, supervisees: 3}}")
    out.append("references:")
    for _ in range(3):
        out.append(f"  - {{name: Ref Person, role: {r.choice(ROLES)}, status: completed}}")
    out.append("endorsements:")
    out.append(f"  - {{category: IFS, earned: {date(r, 2010, 2020)}, association: {assoc}}}")
    return "\n".join(out) + "\n"


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    r = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    w = sys.stdout.write
    for i in range(n):
        w("---\n")
        w(record(r, i))


if __name__ == "__main__":
    main()
