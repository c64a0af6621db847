/* place — where a key sits on its strategy's structure, as a display draws
 * it, and the structures' cells.
 *
 * Every strategy's structure is drawn around the same circle (ring
 * positions, view.h): the rings (ring, bounded, ketama, multiprobe) by their
 * points at their positions; the strategies made of cells in order (maglev's
 * table of M slots, jump's n buckets, modulo's n residues) as C equal cells,
 * cell c covering positions [c·2^64/C, (c+1)·2^64/C); rendezvous has no
 * place (it ranks every node per key). A flight goes old node -> the key's
 * place -> new node, and the picture of a cell strategy shows whose each
 * cell is.
 *
 * Pure functions over a built strat_t and its node set: no allocation, no
 * errors (a strategy with no nodes has no place and no cells).
 */
#ifndef RINGSCOPE_PLACE_H
#define RINGSCOPE_PLACE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "strat.h"

typedef enum place_kind {
    PLACE_NONE,   /* rendezvous, or no nodes */
    PLACE_RING,   /* pos: a ring position */
    PLACE_CELL    /* cell of cells; pos: the cell's centre */
} place_kind_t;

typedef struct place {
    place_kind_t kind;
    uint64_t pos;
    uint64_t cell, cells;
} place_t;

/* Cells of the strategy's structure (strat_ops_t.cells): M for maglev, n
 * for jump and modulo; 0 for the others, and with no nodes. */
uint64_t place_cells(const strat_t *s, const strat_nodes_t *nodes);
/* Node slot of cell c (c < place_cells). */
uint16_t place_cell_owner(const strat_t *s, const strat_nodes_t *nodes, uint64_t c);
/* The cell under ring position pos: floor(pos · cells / 2^64), exact. */
uint64_t place_cell_at(uint64_t pos, uint64_t cells);
/* Ring position of cell c's centre. */
uint64_t place_cell_mid(uint64_t c, uint64_t cells);

/* The key's place, from where it landed (w, from strat_locate), as its
 * strategy says (strat_ops_t.place): ring and bounded: the key's position
 * (its point is the next one clockwise); ketama: its 32-bit hash on
 * ketama's ring; multiprobe: the winning probe; maglev: its table slot;
 * jump: its bucket; modulo: its residue. */
void place_of(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
              place_t *out);

/* The places strategies share, for their place hooks: the key's own
 * position on the ring (its khash, or its own key hash at the top of 64
 * bits, strat_own_pos);
 * the cell it landed in (w->at of place_cells). */
void place_at_key(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                  place_t *out);
void place_at_cell(const strat_t *s, const strat_nodes_t *nodes, const strat_key_t *key, const strat_where_t *w,
                   place_t *out);
/* Cells that are the preference walk in order (cell c: candidate c from
 * cell 0): maglev, jump, modulo. */
uint64_t place_walk_cells(const strat_t *s, const strat_nodes_t *nodes);
uint16_t place_walk_cell_owner(const strat_t *s, const strat_nodes_t *nodes, uint64_t c);

/* The key a display means by ring position pos (hovering the ring): the
 * key whose place_at_key is pos, an id of no embedding. */
void place_key_at(const strat_t *s, uint64_t pos, strat_key_t *key);

/* The keys placed past their first choice (bounded: the successor point's
 * node was full), in store order. Writes the hashes of the first cap of
 * them to out (NULL with cap 0: count only) and returns how many there
 * are; 0 for strategies that never do (strat_ops_t.overflow). */
size_t place_overflow(const strat_t *s, const strat_nodes_t *nodes, const store_t *st, uint64_t *out, size_t cap);

/* The strategy's own points (ketama, multiprobe), or NULL. */
const strat_points_t *place_points(const strat_t *s);

#endif
