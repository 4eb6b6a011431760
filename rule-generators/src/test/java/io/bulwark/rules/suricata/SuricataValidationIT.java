package io.bulwark.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.testing.ExternalTool;
import io.bulwark.rules.testing.GoldenCase;
import io.bulwark.rules.testing.NetnsFixture.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parses every golden rule set with {@code suricata-update}'s rule parser (Debian package
 * suricata-update): each line must parse as an enabled rule with the sid, rev, action and message
 * the generator wrote. Suricata itself is not in Debian 12; {@link SuricataRuleChecker} checks the
 * options strictly.
 */
class SuricataValidationIT {

  private static final String PYTHON = "/usr/bin/python3";

  private static final String PARSE =
      "import sys\n"
          + "import suricata.update.rule as r\n"
          + "rules = r.parse_file(sys.argv[1])\n"
          + "for x in rules:\n"
          + "    print('%s %s %s %s %s' % (x['enabled'], x['action'], x['proto'], x['sid'],"
          + " x['rev']))\n";

  @TempDir Path directory;

  @BeforeEach
  void requireParser() {
    ExternalTool.require("suricata-update", PYTHON, "-c", "import suricata.update.rule");
  }

  static Stream<GoldenCase> cases() {
    return GoldenCase.all(SuricataGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void suricataUpdateParser_goldenRules_parseWithTheirSids(GoldenCase golden) throws IOException {
    GenerationResult.Rules rules =
        (GenerationResult.Rules) new SuricataGenerator().generate(golden.input());
    String text = rules.files().get(SuricataGenerator.FILE);
    Path file = Files.writeString(directory.resolve(SuricataGenerator.FILE), text);

    CommandResult parsed = ExternalTool.run(null, PYTHON, "-c", PARSE, file.toString());

    assertTrue(parsed.ok(), parsed.stderr());
    StringBuilder expected = new StringBuilder();
    for (String line : text.split("\n")) {
      String[] words = line.split(" ", 3);
      String sid = line.replaceFirst(".* sid:([0-9]+); rev:1;\\)$", "$1");
      expected.append("True ").append(words[0]).append(' ').append(words[1]);
      expected.append(' ').append(sid).append(" 1\n");
    }
    assertEquals(expected.toString(), parsed.stdout());
  }
}
