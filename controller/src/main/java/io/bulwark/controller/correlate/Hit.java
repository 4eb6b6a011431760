package io.bulwark.controller.correlate;

/**
 * An indicator found by a search.
 *
 * @param indicatorId the indicator
 * @param name its name as read from the feed (not defanged)
 * @param why what matched, for example {@code 198.51.100.0/24 contains 198.51.100.7}
 */
public record Hit(String indicatorId, String name, String why) {}
