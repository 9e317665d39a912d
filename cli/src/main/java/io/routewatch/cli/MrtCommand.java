package io.routewatch.cli;

import picocli.CommandLine.Command;

/** Offline MRT tools over the codec (no service needed). */
@Command(
    name = "mrt",
    description = "Read MRT archives (RFC 6396) offline.",
    mixinStandardHelpOptions = true,
    subcommands = {MrtDumpCommand.class})
final class MrtCommand {}
