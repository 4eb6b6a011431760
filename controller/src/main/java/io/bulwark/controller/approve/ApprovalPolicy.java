package io.bulwark.controller.approve;

import io.bulwark.controller.domain.Scope;

/**
 * When a countermeasure needs a second, different approver before anything is pushed: when its
 * scope is {@code all} (if so configured) or covers more than a number of devices.
 *
 * @param secondApproverForAll whether scope {@code all} always needs a second approver
 * @param secondApproverOverDevices a scope covering more devices than this needs one; negative
 *     means never
 */
public record ApprovalPolicy(boolean secondApproverForAll, int secondApproverOverDevices) {
  /** One approver always suffices. */
  public static final ApprovalPolicy SINGLE = new ApprovalPolicy(false, -1);

  public boolean needsSecondApprover(Scope scope, long devicesInScope) {
    return (secondApproverForAll && scope.startsFromAll())
        || (secondApproverOverDevices >= 0 && devicesInScope > secondApproverOverDevices);
  }
}
