package io.bulwark.controller.cli;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.proto.admin.v1.Action;
import io.bulwark.proto.admin.v1.ApproveRequest;
import io.bulwark.proto.admin.v1.ApproveResponse;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bulwark approve ID... --action block|alert|sinkhole [--sinkhole HOST|ADDRESS] --scope all|tag:NAME
 * [--expires 30d] [--preview]}.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
    description = {"Approves indicators as one countermeasure; the devices in scope get a new generation.",
        "With --preview, shows what the approval would touch (devices and terms per target, what each target",
        "cannot enforce, collisions with the guard rails, whether a second approver is needed) and changes nothing."})
final class ApproveCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Parameters(arity = "1..*", paramLabel = "ID", description = {"STIX ids of indicators, or of courses of action: a",
      "course-of-action--... id stands for the stored indicators linked to it or to what it mitigates or remediates."})
  List<String> ids;

  @Option(names = "--action", required = true, paramLabel = "ACTION",
      description = {"block (drop matching traffic), alert (let it pass, log and count it) or sinkhole (answer DNS",
          "queries for the domains with --sinkhole; DNS targets only, other kinds of terms are not enforced)"})
  String action;

  @Option(names = "--sinkhole", paramLabel = "HOST|ADDRESS",
      description = {"With --action sinkhole (and only then): where the names go, a host name (answered as a CNAME)",
          "or one IPv4 or IPv6 address (answered as A or AAAA), e.g. sinkhole.example.net or 192.0.2.10."})
  String sinkhole = "";

  @Option(names = "--scope", required = true, paramLabel = "SCOPE", description = {"all, tag:NAME, device:NAME, or several joined by commas; -tag:NAME and",
      "-device:NAME leave devices out, e.g. all,-tag:lab,-device:db-1"})
  String scope;

  @Option(names = "--expires", paramLabel = "DURATION", description = "Expiry, for example 30d (default: none).")
  String expires;

  @Option(names = "--starts", paramLabel = "DURATION",
      description = "Comes into force this long from now, for example 2h (default: at once); --expires counts from then.")
  String starts;

  @Option(names = "--reason", paramLabel = "TEXT", description = "A reason or ticket reference.")
  String reason = "";

  @Option(names = "--canary", paramLabel = "SCOPE",
      description = "tag:NAME or device:NAME (or several): these devices get it first; the rest once they all applied it, none if one fails.")
  String canary = "";

  @Option(names = "--severity", paramLabel = "SEVERITY", defaultValue = "medium",
      description = {"critical, high, medium or low (default: ${DEFAULT-VALUE}): the chase list holds devices",
          "to the controller's deadline for it (bulwark controller --sla)."})
  String severity;

  @Option(names = "--preview", description = "Show the impact and approve nothing.")
  boolean preview;

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "With --preview: table or json.")
  Output.Format output;

  @Option(names = "--override-guard", paramLabel = "REASON",
      description = "Approve even though an indicator hits a protected address (recorded with the reason).")
  String guardOverride = "";

  @Override
  public Integer call() {
    Action protoAction = switch (action) {
      case "block" -> Action.ACTION_BLOCK;
      case "alert" -> Action.ACTION_ALERT;
      case "sinkhole" -> Action.ACTION_SINKHOLE;
      default -> throw new BulwarkException.Usage("--action '" + action + "' is not supported; use block, alert or sinkhole");
    };
    if (protoAction == Action.ACTION_SINKHOLE && sinkhole.isBlank()) {
      throw new BulwarkException.Usage("--action sinkhole needs --sinkhole HOST|ADDRESS, for example --sinkhole 192.0.2.10");
    }
    if (protoAction != Action.ACTION_SINKHOLE && !sinkhole.isBlank()) {
      throw new BulwarkException.Usage("--sinkhole goes with --action sinkhole only, not with --action " + action);
    }
    if (!severity.matches("critical|high|medium|low")) {
      throw new BulwarkException.Usage("--severity '" + severity + "' is not known; use critical, high, medium or low");
    }
    long expiresIn = expires == null ? 0 : Durations.parse("--expires", expires).toSeconds();
    ApproveRequest request = ApproveRequest.newBuilder().addAllIndicatorIds(ids).setAction(protoAction)
        .setScope(scope).setExpiresInSeconds(expiresIn).setReason(reason).setGuardOverride(guardOverride)
        .setCanaryScope(canary).setSeverity(severity).setSinkhole(sinkhole)
        .setStartsInSeconds(starts == null ? 0 : Durations.parse("--starts", starts).toSeconds()).build();
    ApproveResponse r;
    try (AdminClient client = dataDir.open()) {
      if (preview) {
        ImpactOutput.print(System.out, output, client.stub().previewApproval(request));
        return 0;
      }
      r = client.stub().approve(request);
    }
    CountermeasureCommand.print("approved", r);
    return 0;
  }
}
