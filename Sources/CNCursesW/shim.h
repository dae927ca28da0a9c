#ifndef DETVIEW_CNCURSESW_SHIM_H
#define DETVIEW_CNCURSESW_SHIM_H
/* SwiftPM drops ncursesw's -D flags (no pkgConfig), so switch the wide API on here. */
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/curses.h>

/* Swift 6 rejects C mutable globals and function-like macros: accessors instead. */
static inline WINDOW *dv_stdscr(void) { return stdscr; }
static inline int dv_lines(void) { return LINES; }
static inline int dv_cols(void) { return COLS; }
static inline int dv_colors(void) { return COLORS; }
static inline int dv_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *dv_stdout(void) { return stdout; }
static inline FILE *dv_stdin(void) { return stdin; }
static inline attr_t dv_a_normal(void) { return A_NORMAL; }
static inline attr_t dv_a_bold(void) { return A_BOLD; }
static inline attr_t dv_a_dim(void) { return A_DIM; }
static inline attr_t dv_a_reverse(void) { return A_REVERSE; }
static inline attr_t dv_a_underline(void) { return A_UNDERLINE; }
static inline int dv_key_resize(void) { return KEY_RESIZE; }
#endif
