package org.lvsha.sync.kernel;

/**
 * TCP sequence-number adjustment of a NAT connection whose payload an application helper resized
 * (ip_vs_seq: init_seq, delta, previous_delta for each direction). Carried by the v1 option
 * {@code IPVS_OPT_SEQ_DATA} (big-endian) or, in v0, as a raw host-order copy.
 */
public record SeqData(int inInitSeq, int inDelta, int inPreviousDelta,
                      int outInitSeq, int outDelta, int outPreviousDelta) {
}
