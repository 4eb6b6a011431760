/**
 * Pieces that several generators use in the same way while rendering: sorting the terms of a
 * countermeasure into what a target matches and what it leaves uncovered, spelling addresses for
 * devices, and list differences for deltas. Nothing here knows a target's syntax.
 */
package io.bulwark.rules.render;
