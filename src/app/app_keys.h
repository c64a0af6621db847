/* app_keys — the one key table: every key the app answers, with its
 * modifiers, its action and the line the help overlay shows for it.
 * app_input.c's key handling and the HUD's help overlay both read it, so
 * a key is added, changed or explained in one row. The number keys come
 * from the strategy list (1 .. the number of strategies, at most 9).
 *
 * Keys act on the focused pane; while a node id is being typed only the
 * field's editing keys (Enter, Backspace, Delete, Esc, Tab) and the
 * Ctrl/Cmd keys act. Shift is passed to the action, which decides (V adds,
 * Shift+V removes); other modifiers are ignored except where a row asks
 * for Ctrl or Cmd.
 *
 * Static tables, no allocation; the help texts that name the strategies
 * are made once, on first use.
 */
#ifndef RINGSCOPE_APP_KEYS_H
#define RINGSCOPE_APP_KEYS_H

#include <SDL.h>
#include <stddef.h>

#include "app.h"

/* What a row of the table does (the legend names the key of some). */
typedef enum keys_action {
    KEYS_ADD, KEYS_REMOVE, KEYS_FIELD, KEYS_VNODES, KEYS_VECTORS, KEYS_STRATEGY, KEYS_COMPARE, KEYS_WEIGHT,
    KEYS_REPLICAS, KEYS_CRASH, KEYS_HEAL, KEYS_REALTIME, KEYS_SELECT, KEYS_PAUSE, KEYS_SCREENSHOT, KEYS_SESSION,
    KEYS_RECORD, KEYS_VIEW, KEYS_LEGEND, KEYS_HELP, KEYS_ESCAPE, KEYS_FIELD_LEAVE, KEYS_FIELD_BACKSPACE,
} keys_action_t;

/* Runs what the key (with modifiers mod) does on the focused pane p; 1 if
 * it did something, 0 if the key means nothing here. */
int app_keys_press(app_t *a, pane_t *p, SDL_Keycode key, Uint16 mod);

/* The help overlay's key lines, in the table's order: how many, and line i
 * (its keys, e.g. "V  /  Shift+V", and what they do). */
size_t app_keys_help_count(void);
void app_keys_help(size_t i, const char **keys, const char **help);
/* The keys of the first help line that does action (e.g. "E" for
 * KEYS_HEAL); "" if none. */
const char *app_keys_of(keys_action_t action);

#endif
