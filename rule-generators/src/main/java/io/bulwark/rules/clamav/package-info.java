/**
 * The ClamAV target: {@link io.bulwark.rules.clamav.ClamavGenerator} writes {@code .hdb} and {@code
 * .hsb} hash signature databases.
 */
package io.bulwark.rules.clamav;
