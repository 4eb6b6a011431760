package io.bulwark.controller.cli;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.proto.admin.v1.IngestResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bulwark ingest FILE...}: sends STIX 2.1 bundles to the controller. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Ingests STIX 2.1 bundles.",
        "Objects that are refused are listed with their id and reason; nothing already stored is lost.",
        "Exit 1 when any object was refused."})
final class IngestCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "STIX 2.1 bundle files (JSON).")
  List<Path> files;

  @Override
  public Integer call() {
    for (Path f : files) {
      if (!Files.isReadable(f) || Files.isDirectory(f)) {
        throw new BulwarkException.Usage("cannot read " + f);
      }
    }
    int rejected = 0;
    try (AdminClient client = dataDir.open()) {
      for (Path f : files) {
        // Streamed in chunks: a bundle of any size, in bounded memory on both sides.
        IngestResponse r = BundleUpload.send(client, f, f.getFileName().toString());
        System.out.printf("%s: %d stored, %d unchanged, %d other objects (%d new), %d rejected, %d allowlisted%s%n",
            f, r.getStored(), r.getUnchanged(), r.getOtherObjects(), r.getOtherStored(), refused(r),
            r.getAllowlistedCount(), r.getStored() == 0 && r.getOtherStored() == 0 ? ": nothing new, nothing changed" : "");
        for (var rej : r.getRejectedList()) {
          System.out.printf("  rejected %s: %s%n", rej.getObjectId().isEmpty() ? "(no id)" : rej.getObjectId(), io.bulwark.controller.correlate.Defang.text(rej.getReason()));
        }
        for (var hit : r.getAllowlistedList()) {
          System.out.printf("  allowlisted %s: %s (approval will refuse it)%n", hit.getIndicatorId(),
              io.bulwark.controller.correlate.Defang.text(String.join("; ", hit.getCollisionsList())));
        }
        if (refused(r) > r.getRejectedList().size()) {
          System.out.printf("  ... and %d more rejected objects%n", refused(r) - r.getRejectedList().size());
        }
        rejected += refused(r);
      }
    }
    return rejected == 0 ? 0 : 1;
  }

  /** All the refused objects, also those beyond the listed ones. */
  private static int refused(IngestResponse r) {
    return Math.max(r.getRejectedTotal(), r.getRejectedList().size());
  }
}
