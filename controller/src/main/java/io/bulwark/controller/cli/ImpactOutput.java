package io.bulwark.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.bulwark.controller.correlate.Defang;
import io.bulwark.proto.admin.v1.ApprovalImpact;
import io.bulwark.proto.admin.v1.IndicatorCoverage;
import io.bulwark.proto.admin.v1.TargetImpact;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints an approval preview: a summary, a table per target, and what each target cannot enforce. Values are defanged. */
final class ImpactOutput {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ImpactOutput() {}

  static void print(PrintStream out, Output.Format format, ApprovalImpact impact) {
    List<Map<String, Object>> targets = new ArrayList<>();
    for (TargetImpact t : impact.getTargetsList()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("target", t.getTarget());
      row.put("devices", t.getDevices());
      row.put("canary_devices", t.getCanaryDevices());
      row.put("terms_enforced", t.getTermsEnforced());
      row.put("terms_left_out", t.getTermsLeftOut());
      row.put("problem", Defang.text(t.getProblem()));
      List<Map<String, Object>> coverage = new ArrayList<>();
      for (IndicatorCoverage c : t.getCoverageList()) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("indicator", c.getIndicatorId());
        cell.put("coverage", c.getCoverage());
        cell.put("reason", Defang.text(c.getReason()));
        coverage.add(cell);
      }
      row.put("coverage", coverage);
      targets.add(row);
    }
    List<String> collisions = impact.getGuardCollisionsList().stream().map(Defang::text).toList();
    if (format == Output.Format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("devices_in_scope", impact.getDevicesInScope());
      doc.put("canary_devices", impact.getCanaryDevices());
      doc.put("terms", impact.getTerms());
      doc.put("needs_second_approver", impact.getNeedsSecondApprover());
      doc.put("sinkhole", impact.getSinkhole().isEmpty() ? null : Defang.text(impact.getSinkhole()));
      doc.put("courses_of_action", impact.getCoursesOfActionList().stream().map(Defang::text).toList());
      doc.put("guard_collisions", collisions);
      doc.put("unusable_indicators", impact.getUnusableIndicatorsList());
      doc.put("targets", targets);
      try {
        out.println(JSON.writeValueAsString(doc));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    out.println("devices in scope: " + impact.getDevicesInScope()
        + (impact.getCanaryDevices() > 0 ? " (" + impact.getCanaryDevices() + " in the canary)" : "")
        + "; terms: " + impact.getTerms()
        + (impact.getNeedsSecondApprover() ? "; needs a second, different approver" : "")
        + (impact.getSinkhole().isEmpty() ? "" : "; names go to the sinkhole " + Defang.text(impact.getSinkhole())));
    for (String course : impact.getCoursesOfActionList()) {
      out.println("stands for " + Defang.text(course));
    }
    out.print(Output.table(targets, List.of("target", "devices", "canary_devices", "terms_enforced", "terms_left_out",
        "problem")));
    for (Map<String, Object> t : targets) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> coverage = (List<Map<String, Object>>) t.get("coverage");
      for (Map<String, Object> c : coverage) {
        if (!"enforced".equals(c.get("coverage"))) {
          out.println(t.get("target") + " cannot fully enforce " + c.get("indicator") + " (" + c.get("coverage") + "): "
              + c.get("reason"));
        }
      }
    }
    for (String id : impact.getUnusableIndicatorsList()) {
      out.println("enforces nothing: " + id + " (revoked, expired or without enforceable terms)");
    }
    for (String c : collisions) {
      out.println("guard rails: " + c + " (approving needs --override-guard REASON)");
    }
  }
}
