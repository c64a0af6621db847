/* num — numbers as the screen shows them: whole numbers with thousands
 * separators ("1,000,000"), the one form every HUD line, label and overlay
 * uses, including text made elsewhere (a strategy's legend from the core).
 *
 * Pure functions over the caller's buffers: output always terminated and
 * cut to its size; nothing allocated, nothing fails. No GL, no SDL.
 */
#ifndef RINGSCOPE_NUM_H
#define RINGSCOPE_NUM_H

#include <stddef.h>
#include <stdint.h>

/* n with a comma every three digits: "999", "1,000", "18,446,744,073,709,551,615". */
void num_int(uint64_t n, char *out, size_t size);

/* Puts the separators into every whole number of four digits or more in
 * text s (in place, cut to size): "table of 65537 cells" becomes "table of
 * 65,537 cells". A run of digits that is part of a word (vec_000042,
 * node1234, 0x1f2e3d4c), follows a decimal point or a comma, or runs into
 * a letter is left alone. */
void num_group(char *s, size_t size);

#endif
