/* keywords.h — the reserved words of .imhe policies, listed once.
 * The scanner (grammar/lexer.l), the language reference's check and the editor generator expand it.
 */
#ifndef IMHE_KEYWORDS_H
#define IMHE_KEYWORDS_H

/* K(bison token, word as written, class): class STMT words open or shape an item (a setting, a
 * rule, a definition); class OP words join or build conditions. Adding a word here needs its
 * token (with a quoted alias) in grammar/parser.y and a mention in grammar/README.md. */
#define IMHE_KEYWORDS(K)                                                                           \
  K(POLICY, "policy", STMT)                                                                        \
  K(EXTENDS, "extends", STMT)                                                                      \
  K(BEFORE, "before", STMT)                                                                        \
  K(FROM, "from", STMT)                                                                            \
  K(CALLED, "called", STMT)                                                                        \
  K(SOURCE, "source", STMT)                                                                        \
  K(DEFINES, "defines", STMT)                                                                      \
  K(OFFERS, "offers", STMT)                                                                        \
  K(GROUP, "group", STMT)                                                                          \
  K(ACCEPTS, "accepts", STMT)                                                                      \
  K(MEMBERS, "members", STMT)                                                                      \
  K(ANY, "any", OP)                                                                                \
  K(FEE, "fee", STMT)                                                                              \
  K(FEES, "fees", STMT)                                                                            \
  K(NOT, "not", OP)                                                                                \
  K(PUBLISHED, "published", STMT)                                                                  \
  K(COUPON, "coupon", STMT)                                                                        \
  K(WAIVES, "waives", STMT)                                                                        \
  K(FOR, "for", STMT)                                                                              \
  K(TO, "to", STMT)                                                                                \
  K(WHEN, "when", STMT)                                                                            \
  K(NOTE, "note", STMT)                                                                            \
  K(DEADLINES, "deadlines", STMT)                                                                  \
  K(EVERY, "every", STMT)                                                                          \
  K(YEAR, "year", STMT)                                                                            \
  K(ON, "on", STMT)                                                                                \
  K(RENEWAL, "renewal", STMT)                                                                      \
  K(UNTIL, "until", STMT)                                                                          \
  K(REINSTATEMENT, "reinstatement", STMT)                                                          \
  K(DUE, "due", STMT)                                                                              \
  K(LAPSES, "lapses", STMT)                                                                        \
  K(LET, "let", STMT)                                                                              \
  K(DOMAIN, "domain", STMT)                                                                        \
  K(CORE, "core", STMT)                                                                            \
  K(RULE, "rule", STMT)                                                                            \
  K(OVERRIDE, "override", STMT)                                                                    \
  K(REMOVE, "remove", STMT)                                                                        \
  K(REQUIRE, "require", STMT)                                                                      \
  K(ADVISE, "advise", STMT)                                                                        \
  K(ALL, "all", OP)                                                                                \
  K(OF, "of", OP)                                                                                  \
  K(END, "end", OP)                                                                                \
  K(AND, "and", OP)                                                                                \
  K(OR, "or", OP)                                                                                  \
  K(IN, "in", OP)                                                                                  \
  K(WHERE, "where", OP)

#endif
