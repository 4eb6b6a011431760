package io.bulwark.controller.cli;

import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.pki.PemFiles;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.Coverage;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.stix.Indicator;
import io.bulwark.rules.stix.StixBundleReader;
import io.bulwark.rules.stix.StixFormatException;
import io.bulwark.rules.stix.StixObjectResult;
import io.bulwark.rules.term.Extraction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark rules targets|generate|coverage}: the rule generators, offline. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "The rule generators, offline (no controller).",
    subcommands = {RulesCommand.Targets.class, RulesCommand.Generate.class, RulesCommand.CoverageTable.class})
final class RulesCommand extends CommandGroup {

  /** An indicator read from a bundle with its terms. */
  record Read(Indicator indicator, Extraction extraction) {}

  static List<Read> read(List<Path> files) {
    List<Read> out = new ArrayList<>();
    StixBundleReader reader = new StixBundleReader();
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        reader.read(in, r -> {
          if (r instanceof StixObjectResult.Accepted a && a.indicator().isPresent()) {
            Indicator i = a.indicator().get();
            out.add(new Read(i, "stix".equals(i.patternType()) ? IndicatorTerms.extract(i.pattern(), i.specVersion()) : new Extraction(List.of(),
                List.of(new io.bulwark.rules.term.Unenforceable("pattern_type '" + i.patternType() + "' is not enforced")))));
          } else if (r instanceof StixObjectResult.Rejected rej) {
            System.err.println(f + ": " + (rej.objectId() == null ? "" : rej.objectId() + ": ") + rej.reason());
          }
        });
      } catch (IOException e) {
        throw new BulwarkException.Usage("cannot read " + f + ": " + e.getMessage());
      } catch (StixFormatException e) {
        throw new BulwarkException.Usage(f + ": not a STIX bundle: " + e.getMessage());
      }
    }
    return out;
  }

  /** One countermeasure per indicator, numbered from 1 in reading order, as if approved as block. */
  static RuleInput asBlock(List<Read> indicators) {
    List<CountermeasureTerms> cms = new ArrayList<>();
    for (int i = 0; i < indicators.size(); i++) {
      cms.add(new CountermeasureTerms(i + 1, Action.BLOCK, indicators.get(i).extraction().terms()));
    }
    return new RuleInput(1, cms);
  }

  static RuleGenerator generator(String id) {
    GeneratorRegistry registry = GeneratorRegistry.load();
    return registry.find(id).orElseThrow(() -> new BulwarkException.Usage(
        "no target '" + id + "'; the targets are: " + String.join(", ", registry.ids())));
  }

  @Command(name = "targets", mixinStandardHelpOptions = true, description = "Lists the rule-set targets.")
  static final class Targets implements Callable<Integer> {
    @Override
    public Integer call() {
      GeneratorRegistry.load().ids().forEach(System.out::println);
      return 0;
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = {"Makes one target's rule set for every indicator in the bundles, as if approved as block.",
          "Coverage problems go to standard error. Without --out, a single-file target prints to standard output."})
  static final class Generate implements Callable<Integer> {
    @Option(names = "--target", required = true, paramLabel = "ID") String target;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the target's files here, under their fixed names.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "FILE") List<Path> files;

    @Override
    public Integer call() throws IOException {
      RuleGenerator generator = generator(target);
      List<Read> indicators = read(files);
      GenerationResult result = generator.generate(asBlock(indicators));
      if (!(result instanceof GenerationResult.Rules rules)) {
        System.err.println("bulwark: " + target + " cannot make this rule set: " + result);
        return 1;
      }
      rules.uncovered().forEach(u -> System.err.println("not enforced by " + target + ": "
          + indicators.get((int) u.countermeasureId() - 1).indicator().id() + " " + u.term() + ": " + u.reason()));
      if (out == null) {
        if (rules.files().size() > 1) {
          throw new BulwarkException.Usage(target + " makes " + rules.files().size() + " files " + rules.files().keySet()
              + "; give --out DIR");
        }
        System.out.print(rules.files().isEmpty() ? rules.text() : rules.files().values().iterator().next());
        return 0;
      }
      Files.createDirectories(out);
      for (var file : rules.files().entrySet()) {
        PemFiles.writePrivate(out.resolve(file.getKey()), file.getValue());
        System.err.println("wrote " + out.resolve(file.getKey()));
      }
      return 0;
    }
  }

  @Command(name = "coverage", mixinStandardHelpOptions = true,
      description = "Shows, per indicator and target, whether it is enforced, partly enforced or unsupported, and why.")
  static final class CoverageTable implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE") List<Path> files;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
    Output.Format output;

    @Option(names = "--action", defaultValue = "block", paramLabel = "ACTION",
        description = "The action to assess: block (default), alert or sinkhole.")
    String action;

    @Option(names = "--sinkhole", paramLabel = "HOST|ADDRESS", description = "With --action sinkhole: its destination.")
    String sinkhole;

    @Override
    public Integer call() {
      Action assessed = switch (action) {
        case "block" -> Action.BLOCK;
        case "alert" -> Action.ALERT;
        case "sinkhole" -> Action.SINKHOLE;
        default -> throw new BulwarkException.Usage("--action '" + action + "' is not supported; use block, alert or sinkhole");
      };
      io.bulwark.rules.spi.Sinkhole destination = null;
      if (assessed == Action.SINKHOLE) {
        if (sinkhole == null || sinkhole.isBlank()) {
          throw new BulwarkException.Usage("--action sinkhole needs --sinkhole HOST|ADDRESS");
        }
        try {
          destination = io.bulwark.rules.spi.Sinkhole.parse(sinkhole.trim());
        } catch (IllegalArgumentException e) {
          throw new BulwarkException.Usage("--sinkhole: " + e.getMessage());
        }
      } else if (sinkhole != null) {
        throw new BulwarkException.Usage("--sinkhole goes with --action sinkhole only");
      }
      List<Read> indicators = read(files);
      GeneratorRegistry registry = GeneratorRegistry.load();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Read r : indicators) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("indicator", r.indicator().id());
        row.put("name", r.indicator().name());
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String id : registry.ids()) {
          Coverage c = Coverage.assess(registry.find(id).orElseThrow(), r.extraction(), assessed, destination);
          row.put(id, c.label());
          if (c instanceof Coverage.Partial p) {
            reasons.put(id, p.reason());
          } else if (c instanceof Coverage.Unsupported u) {
            reasons.put(id, u.reason());
          }
        }
        row.put("reasons", reasons);
        rows.add(row);
      }
      List<String> columns = new ArrayList<>(List.of("indicator"));
      columns.addAll(registry.ids());
      Output.print(System.out, output, rows, columns);
      return 0;
    }
  }
}
