package org.lvsha.vrrp.proto;

/** RFC 5798 §6.4 states, plus FAULT (keepalived's: a tracked object failed, the instance stays silent). */
public enum State {
    INITIALIZE, BACKUP, MASTER, FAULT
}
