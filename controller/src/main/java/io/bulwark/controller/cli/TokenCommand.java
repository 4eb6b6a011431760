package io.bulwark.controller.cli;

import io.bulwark.controller.pki.PemFiles;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark token create}: a one-time enrollment token for one device. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Enrollment tokens.",
    subcommands = TokenCommand.Create.class)
final class TokenCommand extends CommandGroup {

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a one-time token that enrolls one device.",
        "The token file also carries the pin of the controller's CA, so the agent checks the",
        "controller before it sends anything."
      })
  static final class Create implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--device", required = true, paramLabel = "NAME", description = "The device it enrolls.")
    String device;

    @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "Scope tags for the device.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--ttl", defaultValue = "1h", paramLabel = "DURATION",
        description = "How long the token stays usable (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--target", defaultValue = "nftables", paramLabel = "KIND",
        description = "The device's rule-set kind (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the token file here (mode 0600) instead of standard output.")
    Path out;

    @Override
    public Integer call() {
      long ttlSeconds = Durations.parse("--ttl", ttl).toSeconds();
      CreateEnrollmentTokenResponse r;
      try (AdminClient client = dataDir.open()) {
        r = client.stub().createEnrollmentToken(
            CreateEnrollmentTokenRequest.newBuilder()
                .setDevice(device)
                .addAllTags(tags)
                .setTtlSeconds(ttlSeconds)
                .setTarget(target)
                .build());
      }
      String text = TokenFiles.text(r);
      if (out == null) {
        System.out.print(text);
      } else {
        PemFiles.writePrivate(out, text);
        System.err.println("token for " + r.getDevice() + " written to " + out + ", usable once until "
            + Instant.ofEpochMilli(r.getExpiresAtMillis()));
      }
      return 0;
    }
  }
}
