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
    assertTrue(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")<script>alert(1)</script>,\nline\""), csv);
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
}
