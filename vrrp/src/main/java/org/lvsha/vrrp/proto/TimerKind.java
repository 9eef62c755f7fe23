package org.lvsha.vrrp.proto;

/** The deadlines an instance keeps. */
public enum TimerKind {
    /** RFC 5798 §6.2 Adver_Timer: the master's next ADVERTISEMENT. */
    ADVERT,
    /** RFC 5798 §6.2 Master_Down_Timer: a backup declares the master dead. */
    MASTER_DOWN,
    /** A master handing over (switchover) gives up waiting for the new master and resumes. */
    HANDOVER
}
