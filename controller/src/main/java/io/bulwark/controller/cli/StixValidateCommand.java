package io.bulwark.controller.cli;

import io.bulwark.rules.stix.StixBundleReader;
import io.bulwark.rules.stix.StixFormatException;
import io.bulwark.rules.stix.StixObjectResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bulwark stix validate FILE...}: checks STIX 2.1 bundle files object by object, with the
 * same rules as ingest (including the full pattern grammar), streaming so a file of any size fits.
 *
 * <p>Prints each invalid object as {@code FILE: objects[i] ID: reason} and one summary line per
 * file. Exits 0 when every object of every file is valid, 1 when some are not, 2 when a file cannot
 * be read, is not JSON or is not a STIX bundle (the other files are still checked).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks STIX 2.1 bundle files as ingest would, without storing anything.",
      "Lists every invalid object with its position, id and reason.",
      "Exit 0 all valid, 1 some objects invalid, 2 a file unreadable, not JSON or not a bundle."
    })
final class StixValidateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "STIX bundle files (JSON).")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StixBundleReader reader = new StixBundleReader();
    int exit = 0;
    for (Path file : files) {
      exit = Math.max(exit, validate(reader, file, out, err));
    }
    out.flush();
    err.flush();
    return exit;
  }

  private static int validate(
      StixBundleReader reader, Path file, PrintWriter out, PrintWriter err) {
    int[] counts = new int[2];
    try (InputStream in = Files.newInputStream(file)) {
      reader.read(
          in,
          result -> {
            if (result instanceof StixObjectResult.Rejected rejected) {
              counts[1]++;
              String id = rejected.objectId() == null ? "(no valid id)" : rejected.objectId();
              out.printf("%s: objects[%d] %s: %s%n", file, rejected.index(), id, rejected.reason());
            } else {
              counts[0]++;
            }
          });
    } catch (StixFormatException e) {
      err.printf("%s: not a STIX bundle: %s%n", file, e.getMessage());
      return 2;
    } catch (IOException | UncheckedIOException e) {
      String why = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
      err.printf("%s: cannot read: %s%n", file, why);
      return 2;
    }
    out.printf("%s: %d objects valid, %d invalid%n", file, counts[0], counts[1]);
    return counts[1] == 0 ? 0 : 1;
  }
}
