/**
 * Outputs of notify streams, one JSON object per line: a file appended to, and a unix socket that every
 * connected client reads. They know lines, not events: the VRRP node's transitions and the director's
 * combined stream of VRRP and health events both write through them.
 */
package org.lvsha.core.notify;
