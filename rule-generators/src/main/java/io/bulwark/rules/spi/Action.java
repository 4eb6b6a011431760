package io.bulwark.rules.spi;

/** What a device does with traffic that matches a countermeasure's terms. */
public enum Action {
  /** Drop the traffic. */
  BLOCK,
  /** Let the traffic pass, but log and count it. */
  ALERT
}
