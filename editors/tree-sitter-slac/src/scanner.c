/*
 * External scanner for tree-sitter-slac.
 *
 * slac.pest guards numbers, durations, dates, currencies and quantiles with a
 * `!id_char` lookahead: `12000EUR` or `1hclock` are errors, not two tokens.
 * Tree-sitter regexes have no lookahead, so the grammar follows each of those
 * literals with `_word_boundary`, a zero-width token produced here only when
 * the next character could not continue an identifier.
 *
 * pest's COMMENT is `!"///" ~ "//" ~ (!"\n" ~ ANY)*`. The grammar's regex
 * covers `//` followed by a character other than `/`; a bare `//` is a
 * comment only when the line (or the file) ends right after it, which needs
 * a lookahead: `_empty_comment` is lexed here. Without it `////` would lex as
 * two comments where pest sees an error.
 *
 * This file is written by hand (unlike the rest of src/, which
 * `tree-sitter generate` produces) and is kept in git.
 */

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>

enum TokenType {
  WORD_BOUNDARY,
  EMPTY_COMMENT,
  ERROR_SENTINEL,
};

void *tree_sitter_slac_external_scanner_create(void) { return NULL; }

void tree_sitter_slac_external_scanner_destroy(void *payload) { (void)payload; }

unsigned tree_sitter_slac_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}

void tree_sitter_slac_external_scanner_deserialize(void *payload, const char *buffer,
                                                   unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

/* pest's `id_char`: ASCII_ALPHANUMERIC | "_" */
static bool is_id_char(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_';
}

static bool is_whitespace(int32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xFEFF;
}

bool tree_sitter_slac_external_scanner_scan(void *payload, TSLexer *lexer,
                                            const bool *valid_symbols) {
  (void)payload;
  bool recovering = valid_symbols[ERROR_SENTINEL];

  /* Zero-width, never invented during error recovery. */
  if (!recovering && valid_symbols[WORD_BOUNDARY] && !is_id_char(lexer->lookahead)) {
    lexer->mark_end(lexer);
    lexer->result_symbol = WORD_BOUNDARY;
    return true;
  }

  if (valid_symbols[EMPTY_COMMENT]) {
    while (is_whitespace(lexer->lookahead)) {
      lexer->advance(lexer, true);
    }
    if (lexer->lookahead != '/') return false;
    lexer->advance(lexer, false);
    if (lexer->lookahead != '/') return false;
    lexer->advance(lexer, false);
    if (lexer->lookahead == '\n' || lexer->eof(lexer)) {
      lexer->mark_end(lexer);
      lexer->result_symbol = EMPTY_COMMENT;
      return true;
    }
  }
  return false;
}
