package org.lvsha.health.check;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/** Maps what the network threw to a {@link FailureReason}. */
final class FailureClassifier {
    private FailureClassifier() {
    }

    static CheckResult classify(Throwable t) {
        Throwable c = t;
        while (c instanceof DecoderException && c.getCause() != null) {
            c = c.getCause();
        }
        String msg = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        if (c instanceof ConnectTimeoutException) {
            return CheckResult.down(FailureReason.TIMEOUT, msg);
        }
        if (c instanceof PortUnreachableException) {
            return CheckResult.down(FailureReason.PORT_UNREACHABLE, msg);
        }
        if (c instanceof ConnectException) {
            return CheckResult.down(msg.contains("refused") ? FailureReason.CONNECT_REFUSED : FailureReason.CONNECT_ERROR, msg);
        }
        if (c instanceof SSLException) {
            return CheckResult.down(FailureReason.TLS_ERROR, msg);
        }
        if (c instanceof ClosedChannelException) {
            return CheckResult.down(FailureReason.CLOSED_EARLY, "connection closed");
        }
        if (c instanceof java.io.IOException) {
            return CheckResult.down(FailureReason.CONNECT_ERROR, msg);
        }
        return CheckResult.down(FailureReason.CHECKER_ERROR, c.getClass().getSimpleName() + ": " + msg);
    }
}
