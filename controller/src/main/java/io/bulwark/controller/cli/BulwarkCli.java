package io.bulwark.controller.cli;

import io.bulwark.controller.domain.BulwarkException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bulwark} command: the controller and the admin commands that talk to it. */
@Command(
    name = "bulwark",
    mixinStandardHelpOptions = true,
    versionProvider = BulwarkCli.Version.class,
    description = "Turns CSIRT-approved STIX 2.1 indicators into device rules and tracks them on every device.",
    subcommands = {
      DemoCommand.class,
      ControllerCommand.class,
      TokenCommand.class,
      DeviceCommand.class,
      AgentPackageCommand.class,
      IngestCommand.class,
      IndicatorsCommand.class,
      ApproveCommand.class,
      CountermeasureCommand.class,
      ExceptionCommand.class,
      StatusCommand.class,
      UserCommand.class,
      AuditCommand.class,
      ReportCommand.class,
      RolloutCommand.class,
      ChaseCommand.class,
      StixCommand.class,
      RulesCommand.class,
      BenchCommand.class,
      FeedCommand.class,
      GuardCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "The agent is its own program: ./bulwark agent --help",
      "Admin commands find the controller through --data-dir (default: $BULWARK_HOME or ./bulwark-data).",
      "Exit codes: 0 ok, 1 the operation failed, 2 bad usage."
    })
public final class BulwarkCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, with Bulwark's exit codes and error messages. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new BulwarkCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("bulwark: " + describe(e));
          return e instanceof BulwarkException.Usage ? 2 : 1;
        });
    return cli;
  }

  /** A one-line description of a failure, fit for an operator. */
  static String describe(Throwable e) {
    if (e instanceof StatusRuntimeException s) {
      Status status = s.getStatus();
      String d = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
      if (status.getCode() == Status.Code.UNAVAILABLE) {
        return "cannot reach the controller: " + d;
      }
      return d;
    }
    if (e instanceof BulwarkException || e instanceof java.io.UncheckedIOException) {
      return e.getMessage();
    }
    return e.toString();
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BulwarkCli.class.getPackage().getImplementationVersion();
      return new String[] {"bulwark " + (v == null ? "development build" : v)};
    }
  }
}
