package io.bulwark.controller.correlate;

import java.util.List;

/**
 * Another indicator linked to the one asked about.
 *
 * @param indicatorId the other indicator
 * @param level the closest level among everything shared
 * @param shared what is shared, as read from the feed (not defanged), closest first
 */
public record Link(String indicatorId, Level level, List<String> shared) {
  public Link {
    shared = List.copyOf(shared);
  }
}
