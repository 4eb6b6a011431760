package io.bulwark.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bulwark stix}: offline checks of STIX content, with no controller. {@code check-pattern}
 * checks patterns, {@code validate} checks bundle files.
 */
@Command(
    name = "stix",
    mixinStandardHelpOptions = true,
    description = "Checks STIX 2.1 patterns and bundles offline (no controller needed).",
    subcommands = {StixCheckPatternCommand.class, StixValidateCommand.class})
final class StixCommand extends CommandGroup {}
