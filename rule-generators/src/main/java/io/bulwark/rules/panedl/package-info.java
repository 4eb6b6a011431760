/**
 * The Palo Alto Networks target: {@link io.bulwark.rules.panedl.PanEdlGenerator} writes External
 * Dynamic List text files of addresses, domains and URLs.
 */
package io.bulwark.rules.panedl;
