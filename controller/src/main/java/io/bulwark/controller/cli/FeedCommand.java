package io.bulwark.controller.cli;

import com.google.protobuf.ByteString;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.proto.admin.v1.AddFeedRequest;
import io.bulwark.proto.admin.v1.ListFeedsRequest;
import io.bulwark.proto.admin.v1.PollFeedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark feed add|list|poll}: TAXII 2.1 feeds the controller polls. */
@Command(name = "feed", mixinStandardHelpOptions = true, description = "TAXII 2.1 feeds polled by the controller.",
    subcommands = {FeedCommand.Add.class, FeedCommand.ListFeeds.class, FeedCommand.Poll.class, FeedCommand.Set.class})
final class FeedCommand extends CommandGroup {

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Adds a TAXII 2.1 feed. URL is the API root (or the server's /taxii2/ discovery URL).",
          "Secret files are read by the controller at each poll, on its host; their content is never stored.",
          "A client certificate's key is read here, sent to the controller, sealed at rest and never shown again."})
  static final class Add implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--taxii", required = true, paramLabel = "URL") String url;

    @Option(names = "--collection", required = true, paramLabel = "ID") String collection;

    @Option(names = "--every", paramLabel = "DURATION", description = "Poll interval (15m, 1h); none: only on demand.")
    String every;

    @ArgGroup(exclusive = true) Auth auth;

    @Option(names = "--trust", paramLabel = "LEVEL", defaultValue = "medium",
        description = "high, medium or low (default: ${DEFAULT-VALUE}): weighs the feed's reports in the priority.")
    String trust;

    @Option(names = "--severity", paramLabel = "SEVERITY",
        description = "critical, high, medium or low: the severity suggested for what the feed reports.")
    String severity;

    @Option(names = "--client-cert", paramLabel = "FILE",
        description = "Mutual TLS: the client certificate chain (PEM, leaf first); needs --client-key.")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE",
        description = "Mutual TLS: the client's private key (PEM: PKCS#8, RSA or EC, without passphrase).")
    Path clientKey;

    @Option(names = "--ca", paramLabel = "FILE",
        description = "CA certificates (PEM) the server's certificate must chain to, instead of the JDK trust store.")
    Path ca;

    static final class Auth {
      @ArgGroup(exclusive = false) Basic basic;

      @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token file.") Path tokenFile;
    }

    static final class Basic {
      @Option(names = "--user", required = true, paramLabel = "USER") String user;

      @Option(names = "--password-file", required = true, paramLabel = "FILE") Path passwordFile;
    }

    @Override
    public Integer call() {
      var request = AddFeedRequest.newBuilder().setName(name).setUrl(url).setCollection(collection).setAuthKind("none")
          .setTrust(trust).setDefaultSeverity(severity == null ? "" : severity);
      if ((clientCert == null) != (clientKey == null)) {
        throw new BulwarkException.Usage("--client-cert and --client-key go together");
      }
      byte[] key = clientKey == null ? new byte[0] : read("--client-key", clientKey);
      if (clientCert != null) {
        request.setClientCertPem(new String(read("--client-cert", clientCert), StandardCharsets.US_ASCII))
            .setClientKeyPem(ByteString.copyFrom(key));
        Arrays.fill(key, (byte) 0);
      }
      if (ca != null) {
        request.setServerCaPem(new String(read("--ca", ca), StandardCharsets.US_ASCII));
      }
      if (every != null) {
        request.setIntervalSeconds(Durations.parse("--every", every).toSeconds());
      }
      if (auth != null && auth.basic != null) {
        request.setAuthKind("basic").setUser(auth.basic.user)
            .setSecretFile(auth.basic.passwordFile.toAbsolutePath().normalize().toString());
      } else if (auth != null && auth.tokenFile != null) {
        request.setAuthKind("bearer").setSecretFile(auth.tokenFile.toAbsolutePath().normalize().toString());
      }
      try (AdminClient client = dataDir.open()) {
        var f = client.stub().addFeed(request.build());
        System.out.println("feed " + f.getName() + " added: " + f.getUrl() + " collection " + f.getCollection()
            + (f.getIntervalSeconds() == 0 ? ", polled on demand" : ", polled every " + f.getIntervalSeconds() + "s")
            + ", trust " + f.getTrust() + (f.getDefaultSeverity().isEmpty() ? "" : ", severity " + f.getDefaultSeverity())
            + (f.getTls().isEmpty() ? "" : "; " + f.getTls()));
      }
      return 0;
    }

    private static byte[] read(String option, Path file) {
      try {
        byte[] b = Files.readAllBytes(file);
        if (b.length == 0) {
          throw new BulwarkException.Usage(option + " " + file + " is empty");
        }
        return b;
      } catch (IOException e) {
        throw new BulwarkException.Usage("cannot read " + option + " " + file + ": " + e.getClass().getSimpleName());
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists feeds with their last poll and error.")
  static final class ListFeeds implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json")
    Output.Format output;

    @Override
    public Integer call() {
      try (AdminClient client = dataDir.open()) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var f : client.stub().listFeeds(ListFeedsRequest.getDefaultInstance()).getFeedsList()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("name", f.getName());
          row.put("url", f.getUrl());
          row.put("collection", f.getCollection());
          row.put("every", f.getIntervalSeconds() == 0 ? "on demand" : f.getIntervalSeconds() + "s");
          row.put("trust", f.getTrust());
          row.put("severity", f.getDefaultSeverity());
          row.put("tls", f.getTls());
          row.put("cursor", f.getCursor());
          row.put("last_polled", f.getLastPolledAtMillis() == 0 ? "never"
              : Instant.ofEpochMilli(f.getLastPolledAtMillis()).toString());
          row.put("last_error", f.getLastError());
          rows.add(row);
        }
        Output.print(System.out, output, rows,
            List.of("name", "trust", "url", "collection", "every", "last_polled", "cursor", "last_error"));
      }
      return 0;
    }
  }

  @Command(name = "poll", mixinStandardHelpOptions = true, description = "Polls a feed now; exits 1 when the poll fails.")
  static final class Poll implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      try (AdminClient client = dataDir.open()) {
        var r = client.stub().pollFeed(PollFeedRequest.newBuilder().setName(name).build());
        String counts = r.getPages() + " pages, " + r.getStored() + " stored, " + r.getUnchanged() + " unchanged, "
            + r.getRejected() + " rejected, " + r.getAllowlisted() + " allowlisted; cursor " + (r.getCursor().isEmpty() ? "(start)" : r.getCursor());
        if (!r.getCompleted()) {
          throw new BulwarkException("feed " + name + " failed: " + r.getError().replaceAll("\\p{Cntrl}", " ")
              + " (" + counts + "; committed pages are kept)");
        }
        System.out.println("feed " + name + ": " + counts);
      }
      return 0;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Changes a feed's trust or the severity it suggests; what it reported before is weighed anew.")
  static final class Set implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @picocli.CommandLine.Parameters(paramLabel = "NAME") String name;

    @Option(names = "--trust", paramLabel = "LEVEL", description = "high, medium or low.")
    String trust = "";

    @Option(names = "--severity", paramLabel = "SEVERITY", description = "critical, high, medium, low, or none.")
    String severity = "";

    @Override
    public Integer call() {
      if (trust.isBlank() && severity.isBlank()) {
        throw new io.bulwark.controller.domain.BulwarkException.Usage("give --trust, --severity or both");
      }
      try (AdminClient client = dataDir.open()) {
        var f = client.stub().setFeedTrust(io.bulwark.proto.admin.v1.SetFeedTrustRequest.newBuilder().setName(name)
            .setTrust(trust).setDefaultSeverity(severity).build());
        System.out.println("feed " + f.getName() + ": trust " + f.getTrust() + ", suggested severity "
            + (f.getDefaultSeverity().isEmpty() ? "none" : f.getDefaultSeverity()));
      }
      return 0;
    }
  }
}
