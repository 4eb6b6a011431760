package io.bulwark.controller.cli;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.proto.admin.v1.AddFeedRequest;
import io.bulwark.proto.admin.v1.ListFeedsRequest;
import io.bulwark.proto.admin.v1.PollFeedRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
    subcommands = {FeedCommand.Add.class, FeedCommand.ListFeeds.class, FeedCommand.Poll.class})
final class FeedCommand extends CommandGroup {

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Adds a TAXII 2.1 feed. URL is the API root (or the server's /taxii2/ discovery URL).",
          "Secret files are read by the controller at each poll, on its host; their content is never stored."})
  static final class Add implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--taxii", required = true, paramLabel = "URL") String url;

    @Option(names = "--collection", required = true, paramLabel = "ID") String collection;

    @Option(names = "--every", paramLabel = "DURATION", description = "Poll interval (15m, 1h); none: only on demand.")
    String every;

    @ArgGroup(exclusive = true) Auth auth;

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
      var request = AddFeedRequest.newBuilder().setName(name).setUrl(url).setCollection(collection).setAuthKind("none");
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
            + (f.getIntervalSeconds() == 0 ? ", polled on demand" : ", polled every " + f.getIntervalSeconds() + "s"));
      }
      return 0;
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
          row.put("cursor", f.getCursor());
          row.put("last_polled", f.getLastPolledAtMillis() == 0 ? "never"
              : Instant.ofEpochMilli(f.getLastPolledAtMillis()).toString());
          row.put("last_error", f.getLastError());
          rows.add(row);
        }
        Output.print(System.out, output, rows,
            List.of("name", "url", "collection", "every", "last_polled", "cursor", "last_error"));
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
            + r.getRejected() + " rejected; cursor " + (r.getCursor().isEmpty() ? "(start)" : r.getCursor());
        if (!r.getCompleted()) {
          throw new BulwarkException("feed " + name + " failed: " + r.getError().replaceAll("\\p{Cntrl}", " ")
              + " (" + counts + "; committed pages are kept)");
        }
        System.out.println("feed " + name + ": " + counts);
      }
      return 0;
    }
  }
}
