package io.bulwark.controller.api;

import io.bulwark.controller.domain.PermissionDeniedException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which roles may make which admin call. Least privilege: operators manage devices and
 * enrollment, CSIRT members ingest and approve, auditors read, admins manage users and nothing
 * else. The controller host's own credentials ({@link Role#LOCAL}, written to its data directory at
 * start, readable by whoever already controls the host, its database and its CA key) may make
 * every call: they are how the host's operator bootstraps users.
 */
public final class AdminAccess {
  /** The admin calls, one per RPC. */
  public enum Call {
    CREATE_ENROLLMENT_TOKEN,
    INGEST,
    LIST_INDICATORS,
    APPROVE,
    LIST_DEVICE_STATUS,
    ADD_USER,
    REVOKE_USER,
    LIST_USERS,
    LIST_AUDIT,
    VERIFY_AUDIT,
    ARCHIVE_AUDIT,
    CONFIRM_COUNTERMEASURE,
    WITHDRAW_COUNTERMEASURE,
    LIST_COUNTERMEASURES,
    COMPLIANCE_REPORT,
    ADD_EXCEPTION,
    LIST_EXCEPTIONS,
    CHASE,
    ADD_SSH_DEVICE,
    REVOKE_DEVICE,
    ADD_FEED,
    LIST_FEEDS,
    POLL_FEED,
    RELATED_INDICATORS,
    SEARCH_INDICATORS,
    PREVIEW_APPROVAL,
    SET_DEVICE_OWNER,
    SHOW_INDICATOR,
    LIST_GUARD,
    PUT_GUARD,
    REMOVE_GUARD,
    SET_FEED_TRUST
  }

  /** Who may make each call besides {@link Role#LOCAL}, which may make every call. */
  private static final Map<Call, Set<Role>> ALLOWED =
      Map.ofEntries(
          Map.entry(Call.CREATE_ENROLLMENT_TOKEN, EnumSet.of(Role.OPERATOR)),
          Map.entry(Call.INGEST, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.LIST_INDICATORS, EnumSet.of(Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.APPROVE, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.LIST_DEVICE_STATUS, EnumSet.of(Role.OPERATOR, Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.ADD_USER, EnumSet.of(Role.ADMIN)),
          Map.entry(Call.REVOKE_USER, EnumSet.of(Role.ADMIN)),
          Map.entry(Call.LIST_USERS, EnumSet.of(Role.AUDITOR, Role.ADMIN)),
          Map.entry(Call.LIST_AUDIT, EnumSet.of(Role.AUDITOR)),
          Map.entry(Call.VERIFY_AUDIT, EnumSet.of(Role.AUDITOR)),
          // Removes entries from the database (once in a file): the controller host's own, no user role.
          Map.entry(Call.ARCHIVE_AUDIT, EnumSet.noneOf(Role.class)),
          Map.entry(Call.CONFIRM_COUNTERMEASURE, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.WITHDRAW_COUNTERMEASURE, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.LIST_COUNTERMEASURES, EnumSet.of(Role.OPERATOR, Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.COMPLIANCE_REPORT, EnumSet.of(Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.ADD_EXCEPTION, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.LIST_EXCEPTIONS, EnumSet.of(Role.OPERATOR, Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.CHASE, EnumSet.of(Role.OPERATOR, Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.ADD_SSH_DEVICE, EnumSet.of(Role.OPERATOR)),
          Map.entry(Call.REVOKE_DEVICE, EnumSet.of(Role.OPERATOR, Role.CSIRT)),
          Map.entry(Call.ADD_FEED, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.LIST_FEEDS, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.POLL_FEED, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.RELATED_INDICATORS, EnumSet.of(Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.SEARCH_INDICATORS, EnumSet.of(Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.PREVIEW_APPROVAL, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.SET_DEVICE_OWNER, EnumSet.of(Role.OPERATOR)),
          Map.entry(Call.SHOW_INDICATOR, EnumSet.of(Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.LIST_GUARD, EnumSet.of(Role.OPERATOR, Role.CSIRT, Role.AUDITOR)),
          Map.entry(Call.PUT_GUARD, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.REMOVE_GUARD, EnumSet.of(Role.CSIRT)),
          Map.entry(Call.SET_FEED_TRUST, EnumSet.of(Role.CSIRT)));

  /** The roles that may make {@code call}: those the table names, and the controller host's own. */
  public static Set<Role> allowed(Call call) {
    Set<Role> roles = EnumSet.copyOf(ALLOWED.get(call));
    roles.add(Role.LOCAL);
    return roles;
  }

  private AdminAccess() {}

  /** {@code then}'s answer, if the calling user's role allows {@code call} (see {@link #check}). */
  public static <T> T checked(Call call, java.util.function.Supplier<T> then) {
    check(call);
    return then.get();
  }

  /**
   * Returns the calling user if their role allows {@code call}.
   *
   * @throws PermissionDeniedException naming the role and the call
   */
  public static Caller.User check(Call call) {
    Caller caller = Caller.current();
    if (!(caller instanceof Caller.User user)) {
      throw new PermissionDeniedException("admin calls need a user certificate");
    }
    if (!allowed(call).contains(user.role())) {
      throw new PermissionDeniedException(
          "role " + user.role().label() + " may not call " + call.name().toLowerCase(java.util.Locale.ROOT));
    }
    return user;
  }
}
