/* ringscope — entry point: picks the command; only this file knows about
 * the process (argv, exit codes). The headless commands (sim, locate,
 * bench) link no window system: the visualizer and `record` live in the
 * front-end module beside the executable (app_main.h), loaded only when a
 * command needs it, so starting `ringscope sim` costs about what starting
 * any small program does. */
#define _GNU_SOURCE /* memrchr */

#include "cli/cmd.h"
#ifdef RINGSCOPE_APP_MODULE
#include "app/app_main.h"

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>
#endif

#include <stdio.h>
#include <string.h>

#ifdef RINGSCOPE_APP_MODULE
/* The front end's entry points, from RINGSCOPE_APP_MODULE in the
 * executable's own directory; NULL (with why in why) when it cannot load. */
static const app_entry_t *app_load(char *why, size_t why_size)
{
    char path[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", path, PATH_MAX);
    char *slash = n > 0 ? memrchr(path, '/', (size_t)n) : NULL;
    if (!slash) {
        snprintf(why, why_size, "cannot find the executable's directory");
        return NULL;
    }
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", RINGSCOPE_APP_MODULE);
    void *module = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!module) {
        snprintf(why, why_size, "%s", dlerror());
        return NULL;
    }
    const app_entry_t *entry = dlsym(module, APP_ENTRY_SYMBOL);
    if (!entry || entry->version != APP_ENTRY_VERSION) {
        snprintf(why, why_size, "%s is not this version's front end", path);
        return NULL;
    }
    return entry;
}
#endif

static void usage(FILE *f)
{
    sim_config_t d;
    sim_config_default(&d);
    fprintf(f,
            "Ringscope " RS_VERSION " — see consistent hashing shard an elastic vector database.\n"
            "\n"
            "usage:\n"
            "  ringscope [options]                the visualizer (%zu nodes, %llu vectors, %u vnodes)\n",
            d.node_count, (unsigned long long)d.vectors, d.vnodes);
    fputs("  ringscope sim [options] [--json]   run a scenario headless, print each step\n"
          "  ringscope locate [options] KEY...  where keys live after the setup, any strategy\n"
          "  ringscope record --out FILE.png    render a scenario headless to an image\n"
          "  ringscope bench [--json] [--quick] performance figures against naive baselines\n"
          "  ringscope --help | --version\n"
          "\n"
          "Run `ringscope COMMAND --help` for a command's options.\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return cmd_flush_stdout();
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("ringscope " RS_VERSION "\n");
        return cmd_flush_stdout();
    }
    if (argc >= 2 && strcmp(argv[1], "sim") == 0)
        return cmd_sim(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "locate") == 0)
        return cmd_locate(argc, argv);
#ifdef RINGSCOPE_APP_MODULE
    char why[PATH_MAX + 256];
    if (argc >= 2 && strcmp(argv[1], "bench") == 0) {
        /* The renderer figures need the front end; the rest do not. */
        const app_entry_t *app = app_load(why, sizeof why);
        if (app)
            bench_render_hook = app->bench_render;
        else
            cmd_error("bench: the renderer figures need the front end, which did not load: %s", why);
        return cmd_bench(argc, argv);
    }
    int record = argc >= 2 && strcmp(argv[1], "record") == 0;
    /* No command, or only options: the visualizer. */
    if (record || argc < 2 || argv[1][0] == '-') {
        const app_entry_t *app = app_load(why, sizeof why);
        if (!app) {
            cmd_error("the front end (%s) did not load: %s", RINGSCOPE_APP_MODULE, why);
            return CMD_FAIL;
        }
        return record ? app->cmd_record(argc, argv) : app->app_main(argc, argv);
    }
    cmd_error("unknown command \"%s\" (see ringscope --help)", argv[1]);
    return CMD_USAGE;
#else
    if (argc >= 2 && strcmp(argv[1], "bench") == 0)
        return cmd_bench(argc, argv);
    cmd_error("the visualizer is not part of this build; try `ringscope sim`");
    return CMD_FAIL;
#endif
}
