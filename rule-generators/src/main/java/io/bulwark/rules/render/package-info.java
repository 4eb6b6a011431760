/**
 * Pieces that several generators use in the same way while rendering: sorting the terms of a
 * countermeasure into what a target matches and what it leaves uncovered ({@link
 * io.bulwark.rules.render.NetworkTerms}, {@link io.bulwark.rules.render.FileHashes}), spelling
 * addresses for devices ({@link io.bulwark.rules.render.DeviceAddresses}), and, for targets that
 * render full configurations and deltas from one plan, the plan outcome and list differences
 * ({@link io.bulwark.rules.render.PlanOutcome}, {@link io.bulwark.rules.render.ListDifference}).
 * Nothing here knows a target's syntax.
 */
package io.bulwark.rules.render;
