package io.bulwark.agent.apply;

import io.bulwark.delta.LineDelta;
import java.util.List;

/**
 * How the rules to apply were rebuilt from the rules applied before: the controller's line edits
 * against {@code base}. An applier may use them to change only what changed; the rules it is given
 * are the full result all the same, already checked against their signed digest.
 *
 * @param base the rules the edits apply to, the same object the applier was last given or told of
 * @param edits the edits with where their deleted lines lie in {@code base}
 */
public record LineChange(String base, List<LineDelta.Edit> edits) {}
