package org.lvsha.vrrp.node;

import java.util.ArrayList;
import java.util.List;
import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.proto.VrrpStateMachine;

/**
 * Instances that change state together (keepalived's vrrp_sync_group): a member in FAULT puts the
 * others in FAULT; a member that loses mastership to a better router takes the others to BACKUP;
 * members go MASTER only together, when each either is master or wants to be. Pure: it reads the
 * members' machines and says which group events each should get.
 */
final class SyncGroup {
    final String name;
    final List<VrrpStateMachine> members = new ArrayList<>();
    final List<String> memberNames = new ArrayList<>();
    State reported = State.INITIALIZE;

    SyncGroup(String name) {
        this.name = name;
    }

    /** Whether member {@code i} should be held in FAULT for a sibling's fault. */
    boolean siblingFaulty(int i) {
        for (int j = 0; j < members.size(); j++) {
            if (j != i && members.get(j).ownFault()) {
                return true;
            }
        }
        return false;
    }

    /** All members are master or want to be. */
    boolean allReadyForMaster() {
        for (VrrpStateMachine m : members) {
            if (!(m.state() == State.MASTER || m.state() == State.BACKUP && m.wantsMaster())) {
                return false;
            }
        }
        return true;
    }

    /** FAULT if any member is, MASTER or INITIALIZE if all are, else BACKUP. */
    State state() {
        boolean allMaster = true;
        boolean allInit = true;
        for (VrrpStateMachine m : members) {
            if (m.state() == State.FAULT) {
                return State.FAULT;
            }
            allMaster &= m.state() == State.MASTER;
            allInit &= m.state() == State.INITIALIZE;
        }
        return allMaster ? State.MASTER : allInit ? State.INITIALIZE : State.BACKUP;
    }
}
