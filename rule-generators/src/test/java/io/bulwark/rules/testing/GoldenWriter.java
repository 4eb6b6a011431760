package io.bulwark.rules.testing;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints what a target renders for each of its golden cases, for a person to review before saving
 * it as a new {@code .expected} file. Never run by the build: {@code java -cp ... GoldenWriter ID}.
 */
public final class GoldenWriter {

  private GoldenWriter() {}

  public static void main(String[] args) throws IOException {
    RuleGenerator generator = GeneratorRegistry.load().find(args[0]).orElseThrow();
    Path out = Path.of(args.length > 1 ? args[1] : "/tmp");
    for (GoldenCase golden : GoldenCase.all(args[0]).toList()) {
      GenerationResult result = generator.generate(golden.input());
      String text =
          result instanceof GenerationResult.Rules rules
              ? rules.text()
              : "NOT RULES: " + result + "\n";
      if (result instanceof GenerationResult.Rules rules) {
        rules
            .uncovered()
            .forEach(u -> System.out.println(golden + " uncovered " + GoldenCase.describe(u)));
      }
      Files.writeString(out.resolve(golden.name() + ".expected"), text, StandardCharsets.UTF_8);
    }
  }
}
