package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.cli.demo.HostCommand;
import io.bulwark.controller.testing.StrictTests;
import io.bulwark.proto.admin.v1.ComplianceReportResponse;
import io.bulwark.proto.admin.v1.CountermeasureCompliance;
import io.bulwark.proto.admin.v1.DeviceCompliance;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report rendered by a real browser: parsed as expected, and drawn with its colours. */
class ComplianceReportHtmlIT {
  @TempDir Path dir;

  @Test
  void htmlReport_rendersInHeadlessChromium_withATableRowPerDevice() throws Exception {
    String browser = HostCommand.available("chromium") ? "chromium" : null;
    if (browser == null) {
      StrictTests.skipOrFail("needs Debian's chromium (apt-get install -y chromium)");
    }
    var report = ComplianceReportResponse.newBuilder().setGeneratedAtMillis(1_765_000_000_000L)
        .setAuditHeadSequence(12).setAuditHeadHash("0f".repeat(32))
        .addCountermeasures(CountermeasureCompliance.newBuilder().setCountermeasureId(1).setStatus("active")
            .setScope("all").setDevicesInScope(2).setDevicesCompliant(1).setTimeToFullyAppliedMillis(-1)
            .setApprovedBy("alice").setApprovedAtMillis(1_765_000_000_000L))
        .addDevices(DeviceCompliance.newBuilder().setDevice("edge-1").setCountermeasureId(1).setState("compliant")
            .setFirstAppliedAtMillis(1_765_000_042_000L).setTimeToApplyMillis(42_000).setAppliedGeneration(2)
            .setAppliedDigest("ab".repeat(32)))
        .addDevices(DeviceCompliance.newBuilder().setDevice("edge-2").setCountermeasureId(1).setState("failed")
            .setTimeToApplyMillis(-1).setError("Error: <b>set</b> full"))
        .build();
    Path html = dir.resolve("report.html");
    Files.writeString(html, ReportRenderer.html(report));
    Path png = dir.resolve("report.png");
    List<String> common = List.of(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"));
    var dom = HostCommand.run(concat(common, "--dump-dom", html.toUri().toString()));
    assertEquals(0, dom.exitCode(), dom.stderr());
    assertEquals(2, count(dom.stdout(), "<tr class="), "one coloured row per device: " + dom.stdout());
    assertTrue(dom.stdout().contains("Error: &lt;b&gt;set&lt;/b&gt; full"), "the device error stays text");
    var shot = HostCommand.run(concat(common, "--window-size=1200,800", "--screenshot=" + png, html.toUri().toString()));
    assertEquals(0, shot.exitCode(), shot.stderr());
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1200, image.getWidth());
    assertTrue(containsColour(image, 0xe3f6e3) && containsColour(image, 0xfbe0e0), "compliant and failed rows are coloured");
  }

  private static List<String> concat(List<String> a, String... more) {
    var out = new java.util.ArrayList<>(a);
    out.addAll(List.of(more));
    return out;
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static boolean containsColour(BufferedImage image, int rgb) {
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          return true;
        }
      }
    }
    return false;
  }
}
