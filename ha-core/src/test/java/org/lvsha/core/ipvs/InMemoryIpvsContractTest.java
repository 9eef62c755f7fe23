package org.lvsha.core.ipvs;

/** The in-memory adapter honours the {@link IpvsContract}. */
class InMemoryIpvsContractTest extends IpvsContract {
    @Override
    protected Ipvs newIpvs() {
        return new InMemoryIpvs();
    }
}
