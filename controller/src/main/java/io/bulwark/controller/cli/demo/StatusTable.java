package io.bulwark.controller.cli.demo;

import io.bulwark.proto.admin.v1.DeviceStatus;
import java.util.List;

/** Renders device status rows the way the demo's live table shows them. */
final class StatusTable {
  private StatusTable() {}

  static String render(List<DeviceStatus> devices) {
    StringBuilder sb = new StringBuilder(String.format("    %-10s %-10s %-8s %-8s %s%n", "DEVICE", "STATE", "DESIRED", "APPLIED", "ERROR"));
    for (DeviceStatus d : devices) {
      sb.append(String.format("    %-10s %-10s %-8d %-8d %s%n", d.getDevice(), d.getState(), d.getDesiredGeneration(),
          d.getAppliedGeneration(), firstLine(d.getError())));
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).replaceAll("\\p{Cntrl}", " ");
  }
}
