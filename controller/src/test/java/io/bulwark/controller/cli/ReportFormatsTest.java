package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.proto.admin.v1.ComplianceReportResponse;
import io.bulwark.proto.admin.v1.CountermeasureCompliance;
import io.bulwark.proto.admin.v1.DeviceCompliance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One report with a compliant, a failed, an excepted and an offline device, read back from each
 * rendered format field by field: what the auditor gets is what the controller computed.
 */
class ReportFormatsTest {
  private static final long T = 1_780_000_000_000L;

  private static ComplianceReportResponse scenario() {
    return ComplianceReportResponse.newBuilder().setGeneratedAtMillis(T).setAuditHeadSequence(42)
        .setAuditHeadHash("9f2c")
        .addDevices(device("web-1", "compliant").setFirstAppliedAtMillis(T - 60_000).setTimeToApplyMillis(1_500)
            .setAppliedGeneration(7).setAppliedDigest("sha256:aa").setOwner("web team"))
        .addDevices(device("web-2", "failed").setAppliedGeneration(6).setAppliedDigest("sha256:bb")
            .setError("nft: Error: could not process rule: 198.51.100.7"))
        .addDevices(device("db-1", "excepted").setException("vendor appliance (by bob, until 2026-12-31T00:00:00Z)"))
        .addDevices(device("edge-1", "offline").setFirstAppliedAtMillis(T - 3_600_000).setTimeToApplyMillis(2_000)
            .setAppliedGeneration(5).setAppliedDigest("sha256:cc"))
        .addCountermeasures(CountermeasureCompliance.newBuilder().setCountermeasureId(3).setStatus("active")
            .setSeverity("critical").setScope("all").setDevicesInScope(4).setDevicesCompliant(1)
            .setTimeToFullyAppliedMillis(-1).setApprovedBy("alice").setSecondApprover("carol").setApprovedAtMillis(T - 7_200_000)
            .setStartsAtMillis(T - 7_200_000).setAction("block").setIndicators(5).setIndicatorsTlpRed(1)
            .setReason("INC-7 http://evil.example/x")
            .putAllDevicesByState(Map.of("compliant", 1, "failed", 1, "excepted", 1, "offline", 1)))
        .build();
  }

  private static DeviceCompliance.Builder device(String name, String state) {
    return DeviceCompliance.newBuilder().setDevice(name).setCountermeasureId(3).setState(state).setTimeToApplyMillis(-1);
  }

  private static final List<List<String>> DEVICE_ROWS = List.of(
      List.of("web-1", "3", "compliant", "2026-05-28T20:25:40Z", "1.5", "7", "sha256:aa", "", "", "web team"),
      List.of("web-2", "3", "failed", "", "", "6", "sha256:bb", "nft: Error: could not process rule: 198.51.100[.]7",
          "", ""),
      List.of("db-1", "3", "excepted", "", "", "0", "", "", "vendor appliance (by bob, until 2026-12-31T00:00:00Z)", ""),
      List.of("edge-1", "3", "offline", "2026-05-28T19:26:40Z", "2.0", "5", "sha256:cc", "", "", ""));

  private static final List<String> COUNTERMEASURE_ROW = List.of("3", "active", "critical", "all", "4", "1", "0", "1",
      "0", "1", "1", "", "alice", "carol", "2026-05-28T18:26:40Z", "2026-05-28T18:26:40Z", "block", "", "5", "1",
      "INC-7 hxxp://evil[.]example/x");

  @Test
  void csv_holdsEveryFieldOfEveryRow() {
    List<String> lines = Arrays.asList(ReportRenderer.csv(scenario()).split("\n"));

    assertEquals("# generated_at=2026-05-28T20:26:40Z audit_head=42:9f2c", lines.get(0));
    int devices = lines.indexOf(String.join(",", ReportRenderer.DEVICE_COLUMNS));
    for (int i = 0; i < DEVICE_ROWS.size(); i++) {
      assertEquals(DEVICE_ROWS.get(i), cells(lines.get(devices + 1 + i)), lines.get(devices + 1 + i));
    }
    int summary = lines.indexOf(lines.stream().filter(l -> l.startsWith("countermeasure,status,")).findFirst().orElseThrow());
    assertEquals(COUNTERMEASURE_ROW, cells(lines.get(summary + 1)));
  }

  @Test
  void json_holdsEveryFieldOfEveryRow_andTheAuditHead() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(ReportRenderer.json(scenario()));

    assertEquals("2026-05-28T20:26:40Z", doc.get("generated_at").asText());
    assertEquals(42, doc.get("audit_head").get("sequence").asLong());
    assertEquals("9f2c", doc.get("audit_head").get("hash").asText());
    for (int i = 0; i < DEVICE_ROWS.size(); i++) {
      JsonNode row = doc.get("devices").get(i);
      List<String> read = new ArrayList<>();
      ReportRenderer.DEVICE_COLUMNS.forEach(c -> read.add(text(row.get(c))));
      assertEquals(DEVICE_ROWS.get(i), read, row.toString());
    }
    JsonNode c = doc.get("countermeasures").get(0);
    List<String> read = new ArrayList<>();
    c.fieldNames().forEachRemaining(f -> read.add(text(c.get(f))));
    assertEquals(COUNTERMEASURE_ROW, read, c.toString());
  }

  @Test
  void html_holdsEveryFieldOfEveryRow_withTheStateAsItsClass() {
    String html = ReportRenderer.html(scenario());

    assertTrue(html.contains("42") && html.contains("9f2c"), "audit head");
    for (List<String> row : DEVICE_ROWS) {
      StringBuilder cellsHtml = new StringBuilder();
      row.forEach(v -> cellsHtml.append("<td>").append(v.replace("&", "&amp;").replace("<", "&lt;")).append("</td>"));
      assertTrue(html.contains("<tr class=\"" + row.get(2) + "\">" + cellsHtml + "</tr>"), row.toString());
    }
    assertTrue(html.contains("<td>INC-7 hxxp://evil[.]example/x</td>"), "reason defanged");
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull()) {
      return "";
    }
    return node.isDouble() ? String.valueOf(node.asDouble()) : node.asText();
  }

  /** Splits one CSV line (RFC 4180 quoting, no line breaks inside cells). */
  private static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        cell.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }
}
