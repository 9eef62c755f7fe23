package org.lvsha.vrrp.codec;

/** Either a packet or the reason it was refused; never both. */
public record DecodeResult(VrrpPacket packet, RejectReason rejection) {
    public static DecodeResult ok(VrrpPacket p) {
        return new DecodeResult(p, null);
    }

    public static DecodeResult reject(RejectReason r) {
        return new DecodeResult(null, r);
    }

    public boolean isOk() {
        return packet != null;
    }
}
