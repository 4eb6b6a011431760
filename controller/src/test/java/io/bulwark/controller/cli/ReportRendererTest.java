package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.proto.admin.v1.ComplianceReportResponse;
import io.bulwark.proto.admin.v1.DeviceCompliance;
import org.junit.jupiter.api.Test;

class ReportRendererTest {
  private static ComplianceReportResponse hostile() {
    return ComplianceReportResponse.newBuilder().setGeneratedAtMillis(0).setAuditHeadSequence(3).setAuditHeadHash("ab")
        .addDevices(DeviceCompliance.newBuilder().setDevice("edge-1").setCountermeasureId(1).setState("failed")
            .setTimeToApplyMillis(-1).setError("=HYPERLINK(\"http://x\")<script>alert(1)</script>,\nline"))
        .build();
  }

  @Test
  void csv_neutralisesFormulasAndQuotesSeparators() {
    String csv = ReportRenderer.csv(hostile());
    // Defanged too: a link in a device error is not clickable, a line break is shown, not taken.
    assertTrue(csv.contains("\"'=HYPERLINK(\"\"hxxp://x\"\")<script>alert(1)</script>,\\u000aline\""), csv);
    assertEquals("'-1", ReportRenderer.csvCell("-1").replace("\"", ""));
  }

  @Test
  void pdf_holdsTheReportsText() throws Exception {
    byte[] pdf = ReportRenderer.pdf(hostile());
    assertEquals("%PDF", new String(pdf, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
    try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
      assertTrue(text.contains("Compliance report") && text.contains("edge-1") && text.contains("<script>"), text);
    }
  }

  @Test
  void html_escapesEveryValue() {
    String html = ReportRenderer.html(hostile());
    assertFalse(html.contains("<script>"), html);
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("class=\"failed\""));
  }

  @Test
  void everyFormat_carriesThePerCountermeasureSummary_withSeverityAndDevicesPerState() {
    var r = ComplianceReportResponse.newBuilder().setGeneratedAtMillis(0).setAuditHeadSequence(3).setAuditHeadHash("ab")
        .addCountermeasures(io.bulwark.proto.admin.v1.CountermeasureCompliance.newBuilder().setCountermeasureId(7)
            .setStatus("active").setSeverity("critical").setScope("tag:perimeter").setDevicesInScope(4)
            .setDevicesCompliant(1).setTimeToFullyAppliedMillis(-1).setApprovedBy("alice")
            .putDevicesByState("compliant", 1).putDevicesByState("drifted", 2).putDevicesByState("offline", 1))
        .build();
    String csv = ReportRenderer.csv(r);
    String[] lines = csv.split("\n");
    int header = java.util.Arrays.asList(lines).indexOf(
        "countermeasure,status,severity,scope,devices_in_scope,devices_compliant,devices_pending,devices_failed,"
            + "devices_drifted,devices_offline,devices_excepted,time_to_fully_applied_s,approved_by,second_approver,"
            + "approved_at,starts_at,action,sinkhole,indicators,indicators_tlp_red,reason");
    assertTrue(header > 0, csv);
    assertEquals("7,active,critical,tag:perimeter,4,1,0,0,2,1,0,,alice,,1970-01-01T00:00:00Z,,,,0,0,", lines[header + 1]);
    assertTrue(ReportRenderer.json(r).contains("\"devices_drifted\" : 2"), ReportRenderer.json(r));
    String html = ReportRenderer.html(r);
    assertTrue(html.contains("devices_drifted") && html.contains("critical"), html);
  }

  @Test
  void everyFormat_showsTheActionAndTheSinkholeDefanged() throws Exception {
    var r = ComplianceReportResponse.newBuilder().setGeneratedAtMillis(0).setAuditHeadSequence(3).setAuditHeadHash("ab")
        .addCountermeasures(io.bulwark.proto.admin.v1.CountermeasureCompliance.newBuilder().setCountermeasureId(8)
            .setStatus("active").setSeverity("high").setScope("all").setApprovedBy("alice").setAction("sinkhole")
            .setSinkhole("sinkhole.example.net").setTimeToFullyAppliedMillis(-1))
        .addCountermeasures(io.bulwark.proto.admin.v1.CountermeasureCompliance.newBuilder().setCountermeasureId(9)
            .setStatus("active").setSeverity("high").setScope("all").setApprovedBy("alice").setAction("sinkhole")
            .setSinkhole("192.0.2.10").setTimeToFullyAppliedMillis(-1))
        .build();

    String csv = ReportRenderer.csv(r);
    assertTrue(csv.contains(",sinkhole,sinkhole.example[.]net,0,0,\n") && csv.contains(",sinkhole,192.0.2[.]10,0,0,\n"), csv);
    String json = ReportRenderer.json(r);
    assertTrue(json.contains("\"sinkhole\" : \"sinkhole.example[.]net\"") && json.contains("\"action\" : \"sinkhole\""),
        json);
    String html = ReportRenderer.html(r);
    assertTrue(html.contains("<td>sinkhole.example[.]net</td>") && !html.contains("sinkhole.example.net"), html);
    try (var doc = org.apache.pdfbox.Loader.loadPDF(ReportRenderer.pdf(r))) {
      String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
      assertTrue(text.contains("192.0.2[.]10"), text);
    }
  }
}
