package io.bulwark.controller.e2e;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real nftables generator, with a switch that makes its output reference a set that does
 * not exist: a rule set that passes the agent's own checks and that real nft then refuses; and
 * one that makes the rules drop a source address, to cut the agent off from its controller.
 */
final class BreakableGenerator implements RuleGenerator {
  private final RuleGenerator real;
  final AtomicBoolean broken = new AtomicBoolean();
  /** When set, the rules also drop everything from this IPv4 address (the controller's, say). */
  final AtomicReference<String> dropSource = new AtomicReference<>();

  BreakableGenerator(RuleGenerator real) {
    this.real = real;
  }

  @Override
  public String id() {
    return real.id();
  }

  @Override
  public GenerationResult generate(RuleInput input) {
    GenerationResult result = real.generate(input);
    if (broken.get() && result instanceof GenerationResult.Rules rules) {
      String text = rules.text().replaceFirst("(chain input \\{\\n[^\\n]*\\n)", "$1\t\tip saddr @no_such_set drop\n");
      return new GenerationResult.Rules(text, rules.uncovered());
    }
    String drop = dropSource.get();
    if (drop != null && result instanceof GenerationResult.Rules rules) {
      String text = rules.text().replaceFirst("(chain input \\{\\n[^\\n]*\\n)", "$1\t\tip saddr " + drop + " drop\n");
      return new GenerationResult.Rules(text, rules.uncovered());
    }
    return result;
  }
}
