package io.bulwark.controller.ingest.taxii;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * How a TAXII client authenticates. Secrets stay in their files and are read at each request, so
 * a rotated file takes effect at the next poll; they never appear in messages or logs.
 */
public sealed interface TaxiiAuth {
  /** The value of the {@code Authorization} header, if any. */
  Optional<String> header();

  /** The kind as stored: {@code none}, {@code basic} or {@code bearer}. */
  String kind();

  /** No authentication. */
  record None() implements TaxiiAuth {
    @Override
    public Optional<String> header() {
      return Optional.empty();
    }

    @Override
    public String kind() {
      return "none";
    }
  }

  /** HTTP basic with the password read from {@code passwordFile}. */
  record Basic(String user, Path passwordFile) implements TaxiiAuth {
    public Basic {
      if (user == null || user.isEmpty() || user.contains(":")) {
        throw new IllegalArgumentException("a basic-auth user name must be non-empty and contain no ':'");
      }
    }

    @Override
    public Optional<String> header() {
      String pair = user + ":" + readSecret(passwordFile);
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String kind() {
      return "basic";
    }
  }

  /** A bearer token read from {@code tokenFile}. */
  record Bearer(Path tokenFile) implements TaxiiAuth {
    @Override
    public Optional<String> header() {
      return Optional.of("Bearer " + readSecret(tokenFile));
    }

    @Override
    public String kind() {
      return "bearer";
    }
  }

  /** Builds the auth from its stored parts. */
  static TaxiiAuth of(String kind, String user, String secretFile) {
    return switch (kind) {
      case "none" -> new None();
      case "basic" -> new Basic(user, Path.of(secretFile));
      case "bearer" -> new Bearer(Path.of(secretFile));
      default -> throw new IllegalArgumentException("unknown TAXII auth kind '" + kind + "'");
    };
  }

  private static String readSecret(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (s.isEmpty() || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new TaxiiException("secret file " + file + " is empty or holds control characters", false);
      }
      return s;
    } catch (IOException e) {
      throw new TaxiiException("cannot read secret file " + file + ": " + e.getClass().getSimpleName(), false);
    }
  }
}
