/* ringscope — entry point: picks the command; only this file knows about
 * the process (argv, exit codes). */
#include "cli/cmd.h"
#ifdef RINGSCOPE_HAVE_APP
#include "app/app_main.h"
#include "app/bench_render.h"
#endif

#include <stdio.h>
#include <string.h>

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
    if (argc >= 2 && strcmp(argv[1], "bench") == 0) {
#ifdef RINGSCOPE_HAVE_APP
        bench_render_hook = app_bench_render;
#endif
        return cmd_bench(argc, argv);
    }
#ifdef RINGSCOPE_HAVE_APP
    if (argc >= 2 && strcmp(argv[1], "record") == 0)
        return cmd_record(argc, argv);
    /* No command, or only options: the visualizer. */
    if (argc < 2 || argv[1][0] == '-')
        return app_main(argc, argv);
    cmd_error("unknown command \"%s\" (see ringscope --help)", argv[1]);
    return CMD_USAGE;
#else
    cmd_error("the visualizer is not part of this build; try `ringscope sim`");
    return CMD_FAIL;
#endif
}
