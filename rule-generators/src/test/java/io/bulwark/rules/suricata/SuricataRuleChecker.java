package io.bulwark.rules.suricata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict check of the Suricata rules this project emits, option by option: a rule passes only
 * when its header and every option are of a shape the generator is meant to write, its sid is
 * unique and in range, and every list file it names is part of the rule set. Suricata itself is not
 * in Debian 12, so this checker stands in for its parser on the parts we rely on.
 */
public final class SuricataRuleChecker {

  private static final String ADDRESS = "(?:any|\\[[0-9a-f.:/]+(?:,[0-9a-f.:/]+)*\\])";
  private static final String PORT = "(?:any|[0-9]{1,5}|\\[[0-9]{1,5}(?:,[0-9]{1,5})*\\])";
  private static final Pattern RULE =
      Pattern.compile(
          "(alert|drop) (ip|tcp|udp|sctp|dns|tls|http|smtp|smb) "
              + ADDRESS
              + " "
              + PORT
              + " -> "
              + ADDRESS
              + " "
              + PORT
              + " \\((.*)\\)");
  private static final Pattern CONTENT =
      Pattern.compile("\"(?:[A-Za-z0-9/._~=&?-]|\\|[0-9A-F]{2}(?: [0-9A-F]{2})*\\|)+\"");
  private static final Pattern MSG = Pattern.compile("\"bulwark cm[0-9]+ [a-z0-9 .:\\[\\]-]+\"");
  private static final Pattern DATASET =
      Pattern.compile(
          "isset,(bulwark-cm[0-9]+-domain),type string,load (bulwark-cm[0-9]+-domain\\.lst)");
  private static final Pattern LIST_FILE =
      Pattern.compile("bulwark-cm[0-9]+-(md5|sha1|sha256)\\.txt");
  private static final Set<String> FLAGS =
      Set.of(
          "dns.query",
          "tls.sni",
          "http.host",
          "http.uri",
          "dotprefix",
          "endswith",
          "startswith",
          "nocase",
          "to_lowercase");

  /** The cut to the last labels that the dataset rules make, as the generator writes it. */
  private static final Pattern LAST_LABELS =
      Pattern.compile(
          "\"" + Pattern.quote("([^.]+(?:[.][^.]+){") + "[0-9]{1,3}" + Pattern.quote("})$") + "\"");

  private SuricataRuleChecker() {}

  /** Returns every problem found in {@code files}; empty when the rule set passes. */
  public static List<String> problems(Map<String, String> files, SuricataOptions options) {
    List<String> problems = new ArrayList<>();
    Set<Long> sids = new HashSet<>();
    String rules = files.get(SuricataGenerator.FILE);
    if (rules == null) {
      return List.of("no " + SuricataGenerator.FILE);
    }
    int number = 0;
    for (String line : rules.split("\n", -1)) {
      number++;
      if (line.isEmpty() && number == rules.split("\n", -1).length) {
        continue;
      }
      Matcher rule = RULE.matcher(line);
      if (!rule.matches()) {
        problems.add("line " + number + ": not a rule of the expected shape");
        continue;
      }
      checkOptions(rule.group(3), files, options, sids, "line " + number, problems);
    }
    return problems;
  }

  private static void checkOptions(
      String body,
      Map<String, String> files,
      SuricataOptions options,
      Set<Long> sids,
      String where,
      List<String> problems) {
    if (!body.endsWith(";")) {
      problems.add(where + ": options do not end with ';'");
      return;
    }
    // Values never contain ';' (content escapes it, messages and file names cannot hold it).
    String[] options0 = body.substring(0, body.length() - 1).split("; ", -1);
    boolean rev = false;
    boolean sid = false;
    for (String option : options0) {
      int colon = option.indexOf(':');
      String key = colon < 0 ? option : option.substring(0, colon);
      String value = colon < 0 ? null : option.substring(colon + 1);
      boolean ok =
          switch (key) {
            case "msg" -> value != null && MSG.matcher(value).matches();
            case "content" -> value != null && CONTENT.matcher(value).matches();
            case "rev" -> rev = "1".equals(value);
            case "sid" -> sid = checkSid(value, options, sids);
            case "dataset" -> value != null && checkDataset(value, files);
            case "pcrexform" -> value != null && LAST_LABELS.matcher(value).matches();
            case "filemd5", "filesha1", "filesha256" ->
                value != null && LIST_FILE.matcher(value).matches() && files.containsKey(value);
            default -> FLAGS.contains(key) && value == null;
          };
      if (!ok) {
        problems.add(where + ": unexpected or malformed option '" + key + "'");
      }
    }
    if (!rev || !sid) {
      problems.add(where + ": sid and rev:1 are required");
    }
  }

  private static boolean checkSid(String value, SuricataOptions options, Set<Long> sids) {
    if (value == null || !value.matches("[0-9]{1,10}")) {
      return false;
    }
    long sid = Long.parseLong(value);
    boolean inRange = sid >= options.sidBase() && sid < options.sidBase() + options.sidCount();
    return inRange && sids.add(sid);
  }

  private static boolean checkDataset(String value, Map<String, String> files) {
    Matcher dataset = DATASET.matcher(value);
    return dataset.matches()
        && (dataset.group(1) + ".lst").equals(dataset.group(2))
        && files.containsKey(dataset.group(2))
        && files.get(dataset.group(2)).lines().allMatch(line -> line.matches("[A-Za-z0-9+/]+=*"));
  }
}
