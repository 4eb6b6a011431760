package io.bulwark.controller.cli;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.pki.PemFiles;
import io.bulwark.proto.admin.v1.ComplianceReportRequest;
import io.bulwark.proto.admin.v1.ComplianceReportResponse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark report compliance}: the auditor's per-device evidence. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Compliance reports.",
    subcommands = ReportCommand.Compliance.class)
final class ReportCommand extends CommandGroup {

  @Command(name = "compliance", mixinStandardHelpOptions = true,
      description = {"Per device, each countermeasure in scope: state, when first applied, time to apply,",
          "the generation and digest applied; per countermeasure: coverage and time to fully applied;",
          "and the audit chain head the report was made at."})
  static final class Compliance implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "FORMAT",
        description = "csv, json, html or pdf (default: ${DEFAULT-VALUE}; pdf needs --out).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--since", paramLabel = "DATE",
        description = "Leave out countermeasures that expired before DATE (2026-12-01, or 2026-12-01T08:00:00Z).")
    String since;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "Only the devices in this scope: all, or tag:NAME.")
    String scope;

    @Override
    public Integer call() {
      if (!format.matches("csv|json|html|pdf")) {
        throw new BulwarkException.Usage("--format '" + format + "' is not supported; use csv, json, html or pdf");
      }
      if (format.equals("pdf") && out == null) {
        throw new BulwarkException.Usage("--format pdf needs --out FILE");
      }
      ComplianceReportResponse r;
      try (AdminClient client = dataDir.open()) {
        var request = ComplianceReportRequest.newBuilder();
        if (since != null) {
          request.setSinceMillis(parseSince(since).toEpochMilli());
        }
        if (scope != null) {
          request.setScope(scope);
        }
        r = client.stub().complianceReport(request.build());
      }
      if (format.equals("pdf")) {
        PemFiles.writePrivate(out, ReportRenderer.pdf(r));
        System.err.println("compliance report (" + r.getDevicesCount() + " rows) written to " + out);
        return 0;
      }
      String text = switch (format) {
        case "json" -> ReportRenderer.json(r);
        case "html" -> ReportRenderer.html(r);
        default -> ReportRenderer.csv(r);
      };
      if (out == null) {
        System.out.print(text);
      } else {
        PemFiles.writePrivate(out, text);
        System.err.println("compliance report (" + r.getDevicesCount() + " rows) written to " + out);
      }
      return 0;
    }

    private static java.time.Instant parseSince(String text) {
      try {
        return text.contains("T") ? java.time.Instant.parse(text)
            : java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      } catch (java.time.format.DateTimeParseException e) {
        throw new BulwarkException.Usage("--since '" + text + "' must be a date (2026-12-01) or a UTC time"
            + " (2026-12-01T08:00:00Z)");
      }
    }
  }
}
