package io.bulwark.rules.spi;

import io.bulwark.rules.Digests;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a {@link RuleGenerator} made of a {@link RuleInput}. */
public sealed interface GenerationResult {

  /**
   * A rule set to deliver, possibly leaving out some terms.
   *
   * <p>A target writes one or more files with fixed names ({@code bulwark.nft}, or {@code
   * bulwark.ipset}, {@code bulwark.iptables} and {@code bulwark.ip6tables}, ...), listed in {@link
   * #files()} in the order they must be applied. {@link #text()} is the content of the only file
   * for a single-file target; for several files it is each file in order, preceded by a line {@code
   * ==> name <==}, so that it still identifies the whole rule set. Rules built with the
   * two-argument constructor have no named files (older callers and tests).
   *
   * @param text the complete rule set in the target's syntax, never null
   * @param uncovered the terms left out, each with its countermeasure and reason; never null
   * @param files file name to content, in application order; empty, or consistent with {@code text}
   *     as described above
   */
  record Rules(String text, List<Uncovered> uncovered, Map<String, String> files)
      implements GenerationResult {

    private static final java.util.regex.Pattern FILE_NAME =
        java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    public Rules {
      Objects.requireNonNull(text, "text");
      uncovered = List.copyOf(uncovered);
      Map<String, String> copy = new LinkedHashMap<>();
      for (Map.Entry<String, String> file : files.entrySet()) {
        if (!FILE_NAME.matcher(file.getKey()).matches()) {
          throw new IllegalArgumentException("not a plain file name: " + file.getKey());
        }
        copy.put(file.getKey(), Objects.requireNonNull(file.getValue(), "content"));
      }
      files = Collections.unmodifiableMap(copy);
      if (!files.isEmpty() && !text.equals(textOf(files))) {
        throw new IllegalArgumentException("text does not match the files");
      }
    }

    /** A rule set without named files. */
    public Rules(String text, List<Uncovered> uncovered) {
      this(text, uncovered, Map.of());
    }

    /**
     * A rule set of one file.
     *
     * @param name the file's fixed name, such as {@code bulwark.nft}
     * @param content the file's content, which is also {@link #text()}
     * @param uncovered the terms left out
     */
    public static Rules ofFile(String name, String content, List<Uncovered> uncovered) {
      return new Rules(content, uncovered, Map.of(name, content));
    }

    /**
     * A rule set of one or more files.
     *
     * @param files name to content in application order (use a {@link LinkedHashMap}); empty when
     *     the target has nothing to install, which gives an empty {@link #text()}
     * @param uncovered the terms left out
     */
    public static Rules ofFiles(Map<String, String> files, List<Uncovered> uncovered) {
      return new Rules(textOf(files), uncovered, files);
    }

    private static String textOf(Map<String, String> files) {
      if (files.isEmpty()) {
        return "";
      }
      if (files.size() == 1) {
        return files.values().iterator().next();
      }
      StringBuilder text = new StringBuilder();
      for (Map.Entry<String, String> file : files.entrySet()) {
        text.append("==> ").append(file.getKey()).append(" <==\n").append(file.getValue());
      }
      return text.toString();
    }

    /** Returns {@link Digests#sha256Hex} of the text: the identity of this rule set. */
    public String digest() {
      return Digests.sha256Hex(text);
    }
  }

  /**
   * The target cannot take this input at all, for example a size it cannot hold.
   *
   * @param reason what the target lacks, never null
   */
  record Unsupported(String reason) implements GenerationResult {
    public Unsupported {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The input breaks the contract of {@link RuleInput}, for example two countermeasures with one
   * id. Points at a bug in the caller, not in the intelligence.
   *
   * @param reason what is wrong with the input, never null
   */
  record Invalid(String reason) implements GenerationResult {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
