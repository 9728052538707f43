/* parser.y — the grammar of .imhe policies: a pure bison parser with locations and LAC.
 * Actions only call the AST builders; errors recover at item boundaries so one run reports several. */
%require "3.5"
%define api.pure full
%define api.prefix {imhe_yy}
%define parse.error detailed
%define parse.lac full
%locations
%expect 0
%param {void *scanner}
%parse-param {struct parse_ctx *ctx}

%code requires {
#include "compiler/ast.h"
#include "compiler/diag.h"
struct parse_ctx {
  struct imhe_arena *arena;
  struct diags *diags;
  struct policy_file *out;
  uint32_t file;
  int errors;
  const char *source; /* the last `source` item's text: the rules after it cite it */
  /* The tokens read so far, as far as syntax errors need them: the last one (the lookahead an
   * error is reported at) and its location, the keyword that began the item being read, and the
   * 'all of' / 'any of' blocks not yet closed by 'end' (innermost last; past 64 only counted). */
  int tok, item_tok;
  struct loc tok_loc;
  uint32_t nopen;
  struct loc open[64];
  int open_any[64];
};
#define IMHE_YYLTYPE struct loc
#define IMHE_YYLTYPE_IS_DECLARED 1
#define IMHE_YYLTYPE_IS_TRIVIAL 0
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                            \
  do {                                                                         \
    if (N) {                                                                   \
      (Cur).file = YYRHSLOC(Rhs, 1).file;                                      \
      (Cur).start = YYRHSLOC(Rhs, 1).start;                                    \
      (Cur).end = YYRHSLOC(Rhs, N).end;                                        \
    } else {                                                                   \
      (Cur).file = YYRHSLOC(Rhs, 0).file;                                      \
      (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;                          \
    }                                                                          \
  } while (0)
}

%code provides {
int imhe_yylex(IMHE_YYSTYPE *yylval, IMHE_YYLTYPE *yylloc, void *scanner);
}

%code {
#include <string.h>
static void imhe_yyerror(IMHE_YYLTYPE *loc, void *scanner, struct parse_ctx *ctx,
                         const char *msg);
/* Every token passes here on its way to the parser, so an error can say which block is still
 * open and which item it is in, rather than only which token came unexpected. */
static int track_token(struct parse_ctx *ctx, int tok, const IMHE_YYLTYPE *l);
#undef yylex
#define yylex(val, loc, scanner) track_token(ctx, imhe_yylex(val, loc, scanner), loc)
#define A (ctx->arena)
static struct node *item(struct parse_ctx *ctx, struct node *n) {
  struct policy_file *p = ctx->out;
  if (!n)
    return NULL;
  if (n->kind == I_SOURCE)
    ctx->source = n->s;
  else if (n->kind == I_RULE)
    n->cite = ctx->source;
  if (p->last)
    p->last->next = n;
  else
    p->items = n;
  p->last = n;
  return n;
}
static struct node *name_node(struct parse_ctx *ctx, const char *s, struct loc l) {
  struct node *n = imhe_ast_new(A, N_NAME, l);
  n->s = s;
  return n;
}
}

%union {
  struct node *node;
  const char *str;
  double num;
}

%token <str> IDENT "name" STRING "quoted text"
%token <num> NUMBER "number" MONEY "amount of money" DATE "date"
%token INVALID "invalid character"
%token POLICY "'policy'" EXTENDS "'extends'" BEFORE "'before'" FROM "'from'"
       CALLED "'called'" SOURCE "'source'" DEFINES "'defines'" OFFERS "'offers'" GROUP "'group'"
       ACCEPTS "'accepts'" MEMBERS "'members'" ANY "'any'" FEE "'fee'" FEES "'fees'"
       NOT "'not'" PUBLISHED "'published'" COUPON "'coupon'" WAIVES "'waives'"
       FOR "'for'" TO "'to'" WHEN "'when'" NOTE "'note'"
       DEADLINES "'deadlines'" EVERY "'every'" YEAR "'year'" ON "'on'"
       RENEWAL "'renewal'" UNTIL "'until'" REINSTATEMENT "'reinstatement'"
       DUE "'due'" LAPSES "'lapses'"
       LET "'let'" DOMAIN "'domain'" CORE "'core'" RULE "'rule'"
       OVERRIDE "'override'" REMOVE "'remove'" REQUIRE "'require'"
       ADVISE "'advise'" ALL "'all'" OF "'of'" END "'end'" AND "'and'"
       OR "'or'" IN "'in'" WHERE "'where'"
       GE "'>='" LE "'<='" NE "'!='" GT "'>'" LT "'<'" EQ "'='"
       PLUS "'+'" MINUS "'-'" LPAREN "'('" RPAREN "')'" COMMA "','"
       COLON "':'" DOT "'.'"

%type <node> expr pred primary postfix names name_list cats branches branch
             args bases base guard_opt expr_list monthdays domain_parts
             domain_part due_opt
%type <str> name note_opt fee_kind
%type <num> from_opt until_opt fee_amount

%left OR
%left AND
%precedence NOT
%precedence PRED
%nonassoc GE LE NE GT LT EQ IN
%left PLUS MINUS
%precedence WHERE

%destructor { (void)$$; } <node> <str>

%start file

%%

file: head items
    ;

head: POLICY name bases {
        ctx->out->name = $2;
        ctx->out->name_loc = @2;
        ctx->out->bases = $3;
      }
    | error { ctx->out->name = ""; }
    ;

bases: %empty { $$ = NULL; }
     | EXTENDS base { $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @2), $2); }
     | bases COMMA base { $$ = $1 ? imhe_ast_push(A, $1, $3) : NULL; }
     ;

base: name { $$ = name_node(ctx, $1, @1); $$->num = $$->num2 = 0; }
    | name BEFORE DATE { $$ = name_node(ctx, $1, @1); $$->num2 = $3; $$->op = 2; }
    | name FROM DATE { $$ = name_node(ctx, $1, @1); $$->num = $3; $$->op = 1; }
    ;

items: %empty
     | items item_stmt
     ;

item_stmt: item
         | error { }
         ;

name: IDENT { $$ = $1; }
    ;

names: name_list { $$ = $1; }
     ;
name_list: name { $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @1), name_node(ctx, $1, @1)); }
         | ALL { $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @1), name_node(ctx, "all", @1)); }
         | RENEWAL { $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @1), name_node(ctx, "renewal", @1)); }
         | REINSTATEMENT { $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @1), name_node(ctx, "reinstatement", @1)); }
         | name_list COMMA RENEWAL { $$ = imhe_ast_push(A, $1, name_node(ctx, "renewal", @3)); }
         | name_list COMMA REINSTATEMENT { $$ = imhe_ast_push(A, $1, name_node(ctx, "reinstatement", @3)); }
         | name_list COMMA name { $$ = imhe_ast_push(A, $1, name_node(ctx, $3, @3)); }
         ;

cats: FOR names { $$ = $2; }
    ;

note_opt: %empty { $$ = NULL; }
        | NOTE STRING { $$ = $2; }
        ;

from_opt: %empty { $$ = 0; }
        | FROM DATE { $$ = $2; }
        ;
until_opt: %empty { $$ = 0; }
         | UNTIL DATE { $$ = $2; }
         | TO DATE { $$ = $2; }
         ;

guard_opt: %empty { $$ = NULL; }
         | WHEN expr { $$ = $2; }
         ;

item: CALLED STRING LPAREN STRING RPAREN {
        struct node *n = imhe_ast_new(A, I_CALLED, @$); n->s = $2; n->s2 = $4; item(ctx, n); }
    | SOURCE STRING {
        struct node *n = imhe_ast_new(A, I_SOURCE, @$); n->s = $2; item(ctx, n); }
    | DEFINES names { struct node *n = imhe_ast_new(A, I_DEFINES, @$); n->b = $2; item(ctx, n); }
    | DEFINES name name STRING {
        struct node *n = imhe_ast_new(A, I_VOCAB, @$); n->c = name_node(ctx, $2, @2); n->s = $3;
        n->loc2 = @3; n->s2 = $4; item(ctx, n); }
    | DEFINES name name STRING cats {
        struct node *n = imhe_ast_new(A, I_VOCAB, @$); n->c = name_node(ctx, $2, @2); n->s = $3;
        n->loc2 = @3; n->s2 = $4; n->a = $5; item(ctx, n); }
    | DEFINES FEE fee_kind STRING {
        struct node *n = imhe_ast_new(A, I_VOCAB, @$); n->c = name_node(ctx, "fee", @2); n->s = $3;
        n->loc2 = @3; n->s2 = $4; item(ctx, n); }
    | DEFINES FEE fee_kind STRING cats {
        struct node *n = imhe_ast_new(A, I_VOCAB, @$); n->c = name_node(ctx, "fee", @2); n->s = $3;
        n->loc2 = @3; n->s2 = $4; n->a = $5; item(ctx, n); }
    | DEFINES FEE fee_kind STRING IN names {
        struct node *n = imhe_ast_new(A, I_VOCAB, @$); n->c = name_node(ctx, "fee", @2); n->s = $3;
        n->loc2 = @3; n->s2 = $4; n->b = $6; item(ctx, n); }
    | DEFINES name name STRING IN names {
        struct node *n = imhe_ast_new(A, I_VOCAB, @$); n->c = name_node(ctx, $2, @2); n->s = $3;
        n->loc2 = @3; n->s2 = $4; n->b = $6; item(ctx, n); }
    | DEFINES name name STRING IN names cats {
        struct node *n = imhe_ast_new(A, I_VOCAB, @$); n->c = name_node(ctx, $2, @2); n->s = $3;
        n->loc2 = @3; n->s2 = $4; n->b = $6; n->a = $7; item(ctx, n); }
    | OFFERS names { struct node *n = imhe_ast_new(A, I_OFFERS, @$); n->b = $2; item(ctx, n); }
    | GROUP name EQ names {
        struct node *n = imhe_ast_new(A, I_GROUP, @$); n->s = $2; n->loc2 = @2; n->b = $4; item(ctx, n); }
    | ACCEPTS MEMBERS OF ANY { struct node *n = imhe_ast_new(A, I_MEMBERSHIP, @$); n->op = 1; item(ctx, n); }
    | ACCEPTS MEMBERS OF names { struct node *n = imhe_ast_new(A, I_MEMBERSHIP, @$); n->b = $4; item(ctx, n); }
    | FEE fee_kind fee_amount cats from_opt until_opt note_opt {
        struct node *n = imhe_ast_new(A, I_FEE, @$); n->s = $2; n->loc2 = @2; n->num = $3;
        n->b = $4; n->num2 = $5; n->num3 = $6; n->s2 = $7; item(ctx, n); }
    | OVERRIDE FEE fee_kind fee_amount cats from_opt until_opt note_opt {
        struct node *n = imhe_ast_new(A, I_FEE, @$); n->s = $3; n->loc2 = @3; n->num = $4;
        n->b = $5; n->num2 = $6; n->num3 = $7; n->s2 = $8; n->op = RF_OVERRIDE; item(ctx, n); }
    | FEES NOT PUBLISHED { item(ctx, imhe_ast_new(A, I_FEES_UNPUBLISHED, @$)); }
    | COUPON STRING WAIVES names cats from_opt until_opt guard_opt note_opt {
        struct node *n = imhe_ast_new(A, I_COUPON, @$); n->s = $2; n->c = $4; n->b = $5;
        n->num = $6; n->num2 = $7; n->a = $8; n->s2 = $9; item(ctx, n); }
    | DEADLINES EVERY YEAR ON monthdays {
        struct node *n = imhe_ast_new(A, I_DEADLINES, @$); n->b = $5; item(ctx, n); }
    | RENEWAL name due_opt from_opt until_opt {
        struct node *n = imhe_ast_new(A, I_RENEWAL, @$); n->s = $2; n->loc2 = @2; n->b = $3;
        n->num = $4; n->num2 = $5; item(ctx, n); }
    | RENEWAL name expr due_opt from_opt until_opt {
        struct node *n = imhe_ast_new(A, I_RENEWAL, @$); n->s = $2; n->loc2 = @2; n->a = $3;
        n->b = $4; n->num = $5; n->num2 = $6; item(ctx, n); }
    | REINSTATEMENT FROM DATE {
        struct node *n = imhe_ast_new(A, I_REINSTATEMENT, @$); n->num = $3; item(ctx, n); }
    | LET name EQ expr {
        struct node *n = imhe_ast_new(A, I_LET, @$); n->s = $2; n->loc2 = @2; n->a = $4; item(ctx, n); }
    | DOMAIN name STRING COLON domain_parts {
        struct node *n = imhe_ast_new(A, I_DOMAIN, @$); n->s = $2; n->loc2 = @2; n->s2 = $3;
        n->b = $5; item(ctx, n); }
    | DOMAIN name STRING CORE COLON domain_parts {
        struct node *n = imhe_ast_new(A, I_DOMAIN, @$); n->s = $2; n->loc2 = @2; n->s2 = $3;
        n->op = 1; n->b = $6; item(ctx, n); }
    | RULE name cats REQUIRE name STRING guard_opt COLON expr {
        struct node *n = imhe_ast_new(A, I_RULE, @$); n->s = $2; n->loc2 = @2; n->b = $3;
        n->c = name_node(ctx, $5, @5); n->s2 = $6; n->d = $7; n->a = $9; item(ctx, n); }
    | OVERRIDE RULE name cats REQUIRE name STRING guard_opt COLON expr {
        struct node *n = imhe_ast_new(A, I_RULE, @$); n->s = $3; n->loc2 = @3; n->b = $4;
        n->op = RF_OVERRIDE; n->c = name_node(ctx, $6, @6); n->s2 = $7; n->d = $8;
        n->a = $10; item(ctx, n); }
    | RULE name cats ADVISE name STRING guard_opt COLON expr {
        struct node *n = imhe_ast_new(A, I_RULE, @$); n->s = $2; n->loc2 = @2; n->b = $3;
        n->op = RF_ADVISE; n->c = name_node(ctx, $5, @5); n->s2 = $6; n->d = $7;
        n->a = $9; item(ctx, n); }
    | OVERRIDE RULE name cats ADVISE name STRING guard_opt COLON expr {
        struct node *n = imhe_ast_new(A, I_RULE, @$); n->s = $3; n->loc2 = @3; n->b = $4;
        n->op = RF_OVERRIDE | RF_ADVISE; n->c = name_node(ctx, $6, @6); n->s2 = $7;
        n->d = $8; n->a = $10; item(ctx, n); }
    | REMOVE RULE name {
        struct node *n = imhe_ast_new(A, I_REMOVE, @$); n->s = $3; n->loc2 = @3; item(ctx, n); }
    ;

fee_kind: name { $$ = $1; }
        | RENEWAL { $$ = "renewal"; }
        ;
/* An amount, or -1: the association does not publish it. */
fee_amount: MONEY { $$ = $1; }
          | NOT PUBLISHED { $$ = -1; }
          ;

/* A renewal's due day and the day it lapses, each a month and day: N_DATE nodes in a list. */
due_opt: %empty { $$ = NULL; }
       | DUE name NUMBER {
           struct node *d = imhe_ast_new(A, N_DATE, @2); d->loc.end = @3.end; d->s = $2; d->num = $3;
           $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @$), d); }
       | DUE name NUMBER LAPSES name NUMBER {
           struct node *d = imhe_ast_new(A, N_DATE, @2); d->loc.end = @3.end; d->s = $2; d->num = $3;
           struct node *l = imhe_ast_new(A, N_DATE, @5); l->loc.end = @6.end; l->s = $5; l->num = $6;
           $$ = imhe_ast_push(A, imhe_ast_push(A, imhe_ast_new(A, N_LIST, @$), d), l); }
       ;

monthdays: name NUMBER {
             struct node *d = imhe_ast_new(A, N_DATE, @$); d->s = $1; d->num = $2;
             $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @$), d); }
         | monthdays COMMA name NUMBER {
             struct node *d = imhe_ast_new(A, N_DATE, @3); d->loc.end = @4.end; d->s = $3; d->num = $4;
             $$ = imhe_ast_push(A, $1, d); }
         ;

domain_parts: domain_part { $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @1), $1); }
            | domain_parts PLUS domain_part { $$ = imhe_ast_push(A, $1, $3); }
            ;
domain_part: names { $$ = imhe_ast_new(A, N_LIST, @1); $$->a = $1; }
           | names cats { $$ = imhe_ast_new(A, N_LIST, @$); $$->a = $1; $$->b = $2; }
           ;

expr: expr OR expr { $$ = imhe_ast_bin(A, OR, $1, $3, @$); }
    | expr AND expr { $$ = imhe_ast_bin(A, AND, $1, $3, @$); }
    | NOT expr { $$ = imhe_ast_new(A, N_NOT, @$); $$->a = $2; }
    | expr GE expr { $$ = imhe_ast_bin(A, GE, $1, $3, @$); }
    | expr LE expr { $$ = imhe_ast_bin(A, LE, $1, $3, @$); }
    | expr GT expr { $$ = imhe_ast_bin(A, GT, $1, $3, @$); }
    | expr LT expr { $$ = imhe_ast_bin(A, LT, $1, $3, @$); }
    | expr EQ expr { $$ = imhe_ast_bin(A, EQ, $1, $3, @$); }
    | expr NE expr { $$ = imhe_ast_bin(A, NE, $1, $3, @$); }
    | expr IN expr { $$ = imhe_ast_bin(A, IN, $1, $3, @$); }
    | expr PLUS expr { $$ = imhe_ast_bin(A, PLUS, $1, $3, @$); }
    | expr MINUS expr { $$ = imhe_ast_bin(A, MINUS, $1, $3, @$); }
    | expr WHERE pred { $$ = imhe_ast_new(A, N_WHERE, @$); $$->a = $1; $$->b = $3; }
    | postfix { $$ = $1; }
    ;

/* A filter's condition: one comparison, or any condition in parentheses. */
pred: postfix %prec PRED { $$ = $1; }
    | postfix EQ postfix { $$ = imhe_ast_bin(A, EQ, $1, $3, @$); }
    | postfix NE postfix { $$ = imhe_ast_bin(A, NE, $1, $3, @$); }
    | postfix IN postfix { $$ = imhe_ast_bin(A, IN, $1, $3, @$); }
    | postfix GE postfix { $$ = imhe_ast_bin(A, GE, $1, $3, @$); }
    | postfix LE postfix { $$ = imhe_ast_bin(A, LE, $1, $3, @$); }
    | postfix GT postfix { $$ = imhe_ast_bin(A, GT, $1, $3, @$); }
    | postfix LT postfix { $$ = imhe_ast_bin(A, LT, $1, $3, @$); }
    | NOT postfix { $$ = imhe_ast_new(A, N_NOT, @$); $$->a = $2; }
    ;

postfix: primary { $$ = $1; }
       | postfix DOT name { $$ = imhe_ast_new(A, N_FIELD, @$); $$->a = $1; $$->s = $3; $$->loc2 = @3; }
       ;

primary: NUMBER { $$ = imhe_ast_new(A, N_NUM, @$); $$->num = $1; }
       | NUMBER name { $$ = imhe_ast_new(A, N_NUM, @$); $$->num = $1; $$->s = $2; $$->loc2 = @2; }
       | NUMBER YEAR { $$ = imhe_ast_new(A, N_NUM, @$); $$->num = $1; $$->s = "year"; $$->loc2 = @2; }
       | MONEY { $$ = imhe_ast_new(A, N_MONEY, @$); $$->num = $1; }
       | DATE { $$ = imhe_ast_new(A, N_DATE, @$); $$->num = $1; }
       | STRING { $$ = imhe_ast_new(A, N_STR, @$); $$->s = $1; }
       | name { $$ = name_node(ctx, $1, @1); }
       | name LPAREN args RPAREN { $$ = $3; $$->kind = N_CALL; $$->s = $1; $$->loc = @$; $$->loc2 = @1; }
       | name LPAREN RPAREN { $$ = imhe_ast_new(A, N_CALL, @$); $$->s = $1; $$->loc2 = @1; }
       | LPAREN expr_list RPAREN { $$ = $2->nkids == 1 ? $2->kids[0] : $2; if ($2->nkids != 1) $$->loc = @$; }
       | ALL OF branches END { $$ = $3; $$->kind = N_ALLOF; $$->loc = @$; }
       | ANY OF branches END { $$ = $3; $$->kind = N_ANYOF; $$->loc = @$; }
       ;

expr_list: expr { $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @1), $1); }
         | expr_list COMMA expr { $$ = imhe_ast_push(A, $1, $3); }
         ;
args: expr_list { $$ = $1; }
    ;

branches: branch { $$ = imhe_ast_push(A, imhe_ast_new(A, N_LIST, @1), $1); }
        | branches branch { $$ = imhe_ast_push(A, $1, $2); }
        ;
branch: STRING COLON expr { $$ = imhe_ast_new(A, N_BRANCH, @$); $$->s = $1; $$->a = $3; $$->loc2 = @1; }
      ;

%%

/* Keywords that begin an item. `renewal` and `reinstatement` also name record kinds and fee kinds
 * in a list (after 'for', ',', 'fee' or 'waives'), where they begin nothing. */
static int begins_item(int prev, int tok) {
  switch (tok) {
  case CALLED: case DEFINES: case OFFERS: case GROUP: case ACCEPTS: case FEE: case FEES:
  case COUPON: case DEADLINES: case LET: case DOMAIN: case RULE: case OVERRIDE: case REMOVE:
    return 1;
  case RENEWAL: case REINSTATEMENT:
    return prev != FOR && prev != COMMA && prev != FEE && prev != WAIVES;
  }
  return 0;
}

static int track_token(struct parse_ctx *ctx, int tok, const IMHE_YYLTYPE *l) {
  if (tok == OF && (ctx->tok == ALL || ctx->tok == ANY)) {
    if (ctx->nopen < 64) {
      ctx->open[ctx->nopen] = (struct loc){l->file, ctx->tok_loc.start, l->end};
      ctx->open_any[ctx->nopen] = ctx->tok == ANY;
    }
    ctx->nopen++;
  } else if (tok == END && ctx->nopen)
    ctx->nopen--;
  if (begins_item(ctx->tok, tok))
    ctx->item_tok = tok;
  ctx->tok = tok;
  ctx->tok_loc = *l;
  return tok;
}

/* An 'all of' or 'any of' still open when the next item (or the end of the file) comes: the
 * error is the missing 'end', reported where the block opened. */
static int unclosed_block(struct parse_ctx *ctx) {
  if (!ctx->nopen || ctx->nopen > 64 || (ctx->tok && !begins_item(0, ctx->tok)))
    return 0;
  uint32_t top = ctx->nopen - 1, line, col;
  const char *what = ctx->open_any[top] ? "any of" : "all of";
  const char *hint =
      "'all of' and 'any of' list \"label\": condition branches and close with 'end'";
  if (!ctx->tok)
    imhe_diag_error(ctx->diags, ctx->open[top], hint,
                    "'%s' is not closed: 'end' is missing before the end of the file", what);
  else {
    imhe_diag_linecol(ctx->diags, ctx->tok_loc.file, ctx->tok_loc.start, &line, &col);
    imhe_diag_error(ctx->diags, ctx->open[top], hint,
                    "'%s' is not closed: 'end' is missing before the next item (line %u)", what,
                    line);
  }
  return 1;
}

/* The form of the item an error is in, for a hint when nothing nearer is known. */
static const char *item_form(int tok) {
  switch (tok) {
  case COUPON:
    return "a coupon reads: coupon \"CODE\" waives KINDS for CATEGORIES [from DATE] "
           "[until DATE] [when CONDITION] [note \"TEXT\"]";
  case FEE:
    return "a fee reads: fee KIND $AMOUNT for CATEGORIES [from DATE] [until DATE] "
           "[note \"TEXT\"], or fee KIND not published for CATEGORIES";
  case OFFERS:
    return "offers names tracks, as the catalogue declares them (defines track): offers TRACK, "
           "TRACK";
  case DEFINES:
    return "write: defines CATEGORIES (a base's categories), defines track CODE \"NAME\" for "
           "AGES, defines category CODE \"NAME\" in TRACKS, defines fee KIND \"NAME\" for "
           "PROPERTIES, defines tab CODE \"TITLE\", or defines area WORD \"NAME\" in TAB";
  case ACCEPTS:
    return "write: accepts members of CODES, or accepts members of any";
  case CALLED:
    return "write: called \"FULL NAME\" (\"SHORT NAME\")";
  case DEADLINES:
    return "write: deadlines every year on Mar 15, Jun 15";
  case RENEWAL:
    return "write: renewal annual [due MONTH DAY [lapses MONTH DAY]] [from DATE] [until DATE], "
           "or renewal cycle N years [due MONTH DAY [lapses MONTH DAY]] from DATE";
  }
  return NULL;
}

static void imhe_yyerror(IMHE_YYLTYPE *loc, void *scanner, struct parse_ctx *ctx,
                         const char *msg) {
  (void)scanner;
  ctx->errors++;
  /* Recovery skips to the next item: whatever was open is abandoned. */
  int unclosed = unclosed_block(ctx), deep = ctx->nopen > 64 && begins_item(0, ctx->tok);
  ctx->nopen = 0;
  /* The scanner has already explained an invalid token. */
  if (unclosed || strstr(msg, "unexpected invalid character"))
    return;
  const char *hint = NULL;
  if (deep)
    hint = "an 'all of' or 'any of' above is not closed with 'end'";
  else if (ctx->item_tok == COUPON && ctx->tok == BEFORE)
    hint = "a coupon's last day is written 'until DATE' (or 'to DATE'); it may also take "
           "'from DATE', 'when CONDITION' and 'note \"TEXT\"'";
  else if (strstr(msg, "expected ':'"))
    hint = "a requirement reads: rule ID for CATEGORIES require AREA \"sentence\": CONDITION";
  else if (strstr(msg, "unexpected end of file"))
    hint = "the file ends inside an item: is a condition, a closing ')' or an 'end' missing?";
  else if (strstr(msg, "'end'"))
    hint = "'all of' and 'any of' list \"label\": condition branches and close with 'end'";
  else
    hint = item_form(ctx->item_tok);
  imhe_diag_error(ctx->diags, *loc, hint, "%s", msg);
}
