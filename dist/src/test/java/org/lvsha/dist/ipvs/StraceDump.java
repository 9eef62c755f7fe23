package org.lvsha.dist.ipvs;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the data dumps of {@code strace -e trace=sendmsg -e write=all}: each traced call is followed by lines
 * {@code " | 00010  0f 01 00 00 ...   ascii |"} (offset, up to 16 hex bytes in two groups of 8, then the bytes as
 * text). Returns the bytes of each call; libnl sends one netlink message per sendmsg.
 */
final class StraceDump {
    private static final int HEX_START = 10; // " | " + 5-digit offset + 2 spaces
    private static final int HEX_END = 58;   // 16 bytes as "xx " with one extra space between the groups

    private StraceDump() {
    }

    static List<byte[]> sentMessages(List<String> lines) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream current = null;
        for (String line : lines) {
            if (line.startsWith("sendmsg(")) {
                if (current != null) {
                    out.add(current.toByteArray());
                }
                current = new ByteArrayOutputStream();
            } else if (line.startsWith(" | ") && current != null && line.length() > HEX_START) {
                for (String token : line.substring(HEX_START, Math.min(line.length(), HEX_END)).trim().split("\\s+")) {
                    if (!token.isEmpty()) {
                        current.write(Integer.parseInt(token, 16));
                    }
                }
            }
        }
        if (current != null) {
            out.add(current.toByteArray());
        }
        return out;
    }
}
