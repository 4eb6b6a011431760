package io.bulwark.agent.apply;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rule-file targets the {@link FileApplier} installs, and the file names each one uses.
 *
 * <p>A rule set of several files arrives with {@code ==> name <==} headers ({@link RuleFiles}); one
 * of a single file arrives as its bare content, named here: {@code bulwark.rules} (Suricata),
 * {@code bulwark.yar} (YARA), {@code bulwark.rpz.zone} (RPZ) and, for ClamAV, {@code bulwark.hdb}
 * when its signatures are MD5 (32 hex digits) or else {@code bulwark.hsb}. Every name must start with
 * {@code bulwark}: the agent writes nothing else into the rule directory, so a controller cannot
 * replace, say, {@code suricata.yaml} there.
 */
public enum FileTarget {
  SURICATA("bulwark.rules"),
  YARA("bulwark.yar"),
  RPZ("bulwark.rpz.zone"),
  CLAMAV(null);

  private final String singleFile;

  FileTarget(String singleFile) {
    this.singleFile = singleFile;
  }

  /** The target's id, as the controller names it: {@code suricata}, {@code yara}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The target with {@code id}, if any. */
  public static Optional<FileTarget> parse(String id) {
    for (FileTarget target : values()) {
      if (target.id().equals(id)) {
        return Optional.of(target);
      }
    }
    return Optional.empty();
  }

  /** Returns true when {@code name} is one this target may own in the rule directory. */
  public static boolean isOwnName(String name) {
    return name.startsWith("bulwark") && RuleFiles.isPlainName(name);
  }

  /**
   * The files of {@code text}, in order.
   *
   * @throws IllegalArgumentException naming what is wrong: a bad or foreign file name
   */
  public Map<String, String> files(String text) {
    Optional<Map<String, String>> named = RuleFiles.split(text);
    if (named.isPresent()) {
      for (String name : named.get().keySet()) {
        if (!isOwnName(name)) {
          throw new IllegalArgumentException("file name " + name + " does not start with 'bulwark'");
        }
      }
      return named.get();
    }
    Map<String, String> files = new LinkedHashMap<>();
    if (this == CLAMAV) {
      // An empty ClamAV rule set has no database at all; sigtool refuses an empty one.
      if (!text.isEmpty()) {
        String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        files.put(first.indexOf(':') == 32 ? "bulwark.hdb" : "bulwark.hsb", text);
      }
    } else {
      files.put(singleFile, text);
    }
    return files;
  }
}
