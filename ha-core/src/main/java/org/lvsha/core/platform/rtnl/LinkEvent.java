package org.lvsha.core.platform.rtnl;

/**
 * A change to a link: RTM_NEWLINK (created or changed: flags, carrier, name, MTU…) or RTM_DELLINK.
 * The kernel sends RTM_NEWLINK for many changes; compare {@link Link#isRunning()} with what you knew.
 */
public record LinkEvent(boolean deleted, Link link) {
}
