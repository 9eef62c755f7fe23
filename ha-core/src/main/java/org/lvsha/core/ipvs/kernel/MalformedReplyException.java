package org.lvsha.core.ipvs.kernel;

/** A kernel reply that does not parse as the §2 layouts say it must. */
public final class MalformedReplyException extends RuntimeException {
    public MalformedReplyException(String message) {
        super(message);
    }
}
