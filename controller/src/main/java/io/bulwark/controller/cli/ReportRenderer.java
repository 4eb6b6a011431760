package io.bulwark.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.bulwark.proto.admin.v1.ComplianceReportResponse;
import io.bulwark.proto.admin.v1.CountermeasureCompliance;
import io.bulwark.proto.admin.v1.DeviceCompliance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a compliance report as CSV, JSON or a self-contained HTML page. Every value is
 * escaped for its format; CSV cells that a spreadsheet would read as a formula are quoted
 * with a leading apostrophe.
 */
public final class ReportRenderer {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final List<String> DEVICE_COLUMNS = List.of("device", "countermeasure", "state", "first_applied",
      "time_to_apply_s", "applied_generation", "applied_digest", "error", "exception", "owner");

  private ReportRenderer() {}

  /**
   * The report in one format: {@code csv}, {@code json}, {@code html} or {@code pdf}.
   *
   * @throws IllegalArgumentException for any other format
   */
  public static byte[] render(String format, ComplianceReportResponse r) {
    return switch (format) {
      case "csv" -> csv(r).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case "json" -> json(r).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case "html" -> html(r).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case "pdf" -> pdf(r);
      default -> throw new IllegalArgumentException("no report format '" + format + "': use csv, json, html or pdf");
    };
  }

  static List<Map<String, Object>> deviceRows(ComplianceReportResponse r) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DeviceCompliance d : r.getDevicesList()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("device", d.getDevice());
      row.put("countermeasure", d.getCountermeasureId());
      row.put("state", d.getState());
      row.put("first_applied", d.getFirstAppliedAtMillis() == 0 ? null : Instant.ofEpochMilli(d.getFirstAppliedAtMillis()).toString());
      row.put("time_to_apply_s", d.getTimeToApplyMillis() < 0 ? null : d.getTimeToApplyMillis() / 1000.0);
      row.put("applied_generation", d.getAppliedGeneration());
      row.put("applied_digest", d.getAppliedDigest());
      // Device errors can quote rule values, which come from feeds: defanged like them.
      row.put("error", io.bulwark.controller.correlate.Defang.text(d.getError()));
      row.put("exception", d.getException());
      row.put("owner", d.getOwner());
      rows.add(row);
    }
    return rows;
  }

  static List<Map<String, Object>> countermeasureRows(ComplianceReportResponse r) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (CountermeasureCompliance c : r.getCountermeasuresList()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("countermeasure", c.getCountermeasureId());
      row.put("status", c.getStatus());
      row.put("severity", c.getSeverity());
      row.put("scope", c.getScope());
      row.put("devices_in_scope", c.getDevicesInScope());
      row.put("devices_compliant", c.getDevicesCompliant());
      for (String state : List.of("pending", "failed", "drifted", "offline", "excepted")) {
        row.put("devices_" + state, c.getDevicesByStateOrDefault(state, 0));
      }
      row.put("time_to_fully_applied_s", c.getTimeToFullyAppliedMillis() < 0 ? null : c.getTimeToFullyAppliedMillis() / 1000.0);
      row.put("approved_by", c.getApprovedBy());
      row.put("second_approver", c.getSecondApprover().isEmpty() ? null : c.getSecondApprover());
      row.put("approved_at", Instant.ofEpochMilli(c.getApprovedAtMillis()).toString());
      row.put("starts_at", c.getStartsAtMillis() == 0 ? null : Instant.ofEpochMilli(c.getStartsAtMillis()).toString());
      row.put("action", c.getAction());
      // Defanged like feed values: a report is read by people who should not resolve it by accident.
      row.put("sinkhole", c.getSinkhole().isEmpty() ? null : io.bulwark.controller.correlate.Defang.text(c.getSinkhole()));
      row.put("indicators", c.getIndicators());
      row.put("indicators_tlp_red", c.getIndicatorsTlpRed());
      row.put("reason", io.bulwark.controller.correlate.Defang.text(c.getReason()));
      rows.add(row);
    }
    return rows;
  }

  static String json(ComplianceReportResponse r) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("generated_at", Instant.ofEpochMilli(r.getGeneratedAtMillis()).toString());
    doc.put("audit_head", Map.of("sequence", r.getAuditHeadSequence(), "hash", r.getAuditHeadHash()));
    doc.put("countermeasures", countermeasureRows(r));
    doc.put("devices", deviceRows(r));
    try {
      return JSON.writeValueAsString(doc) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String csv(ComplianceReportResponse r) {
    StringBuilder sb = new StringBuilder("# generated_at=" + Instant.ofEpochMilli(r.getGeneratedAtMillis())
        + " audit_head=" + r.getAuditHeadSequence() + ":" + r.getAuditHeadHash() + "\n");
    sb.append(String.join(",", DEVICE_COLUMNS)).append('\n');
    for (Map<String, Object> row : deviceRows(r)) {
      List<String> cells = new ArrayList<>();
      for (String c : DEVICE_COLUMNS) {
        cells.add(csvCell(row.get(c)));
      }
      sb.append(String.join(",", cells)).append('\n');
    }
    // The per-countermeasure summary follows as a second table, after a blank line.
    List<Map<String, Object>> summary = countermeasureRows(r);
    if (!summary.isEmpty()) {
      List<String> columns = List.copyOf(summary.get(0).keySet());
      sb.append('\n').append(String.join(",", columns)).append('\n');
      for (Map<String, Object> row : summary) {
        List<String> cells = new ArrayList<>();
        for (String c : columns) {
          cells.add(csvCell(row.get(c)));
        }
        sb.append(String.join(",", cells)).append('\n');
      }
    }
    return sb.toString();
  }

  static String csvCell(Object value) {
    String s = value == null ? "" : value.toString();
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") || s.startsWith("'")) {
      s = "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  static String html(ComplianceReportResponse r) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>Bulwark compliance report</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:2em}")
        .append("th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;font-size:13px}th{background:#eee}")
        .append(".compliant{background:#e3f6e3}.excepted{background:#e6ecf8}.failed{background:#fbe0e0}.offline,.pending,.applying,.enrolled{background:#fff4d6}")
        .append("code{font-size:12px}")
        .append("@page{size:A4 landscape;margin:10mm}@media print{th,td{font-size:7px;padding:2px 3px;word-wrap:break-word}")
        .append("td{max-width:60mm}}</style></head><body>\n<h1>Compliance report</h1>\n<p>Generated ")
        .append(esc(Instant.ofEpochMilli(r.getGeneratedAtMillis()).toString())).append(" at audit entry ")
        .append(r.getAuditHeadSequence()).append(" (<code>").append(esc(r.getAuditHeadHash())).append("</code>)</p>\n");
    table(sb, "Countermeasures", countermeasureRows(r), null);
    table(sb, "Devices", deviceRows(r), "state");
    return sb.append("</body></html>\n").toString();
  }

  private static void table(StringBuilder sb, String title, List<Map<String, Object>> rows, String classColumn) {
    sb.append("<h2>").append(esc(title)).append("</h2>\n<table>\n");
    if (rows.isEmpty()) {
      sb.append("<tr><td>none</td></tr>\n</table>\n");
      return;
    }
    sb.append("<tr>");
    rows.get(0).keySet().forEach(k -> sb.append("<th>").append(esc(k)).append("</th>"));
    sb.append("</tr>\n");
    for (Map<String, Object> row : rows) {
      String cls = classColumn == null ? "" : " class=\"" + esc(String.valueOf(row.get(classColumn))) + "\"";
      sb.append("<tr").append(cls).append(">");
      row.values().forEach(v -> sb.append("<td>").append(esc(v == null ? "" : v.toString())).append("</td>"));
      sb.append("</tr>\n");
    }
    sb.append("</table>\n");
  }

  /** The HTML report as a PDF, laid out by an HTML renderer in this process. */
  static byte[] pdf(ComplianceReportResponse r) {
    var out = new java.io.ByteArrayOutputStream();
    try {
      com.openhtmltopdf.util.XRLog.setLoggingEnabled(false);
      var builder = new com.openhtmltopdf.pdfboxout.PdfRendererBuilder();
      builder.useFastMode();
      builder.withHtmlContent(html(r), null);
      builder.toStream(out);
      builder.run();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot make the PDF report: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(Character.isISOControl(c) && c != '\n' ? ' ' : c);
      }
    }
    return out.toString();
  }
}
