/**
 * The YARA target: {@link io.bulwark.rules.yara.YaraGenerator} matches files by MD5, SHA-1 and
 * SHA-256 with the {@code hash} module.
 */
package io.bulwark.rules.yara;
