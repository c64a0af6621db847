/* The front end as a module: its one exported symbol is the table of entry
 * points the headless executable looks up after loading it (app_main.h). */
#include "app_main.h"

#include "bench_render.h"

__attribute__((visibility("default"))) const app_entry_t ringscope_app_entry = {
    .version = APP_ENTRY_VERSION,
    .app_main = app_main,
    .cmd_record = cmd_record,
    .bench_render = app_bench_render,
};
