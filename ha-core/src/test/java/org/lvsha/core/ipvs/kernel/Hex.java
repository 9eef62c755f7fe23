package org.lvsha.core.ipvs.kernel;

/** Hex dumps as written in the reference notes: offsets ending in two spaces are ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] parse(String dump) {
        StringBuilder digits = new StringBuilder();
        for (String line : dump.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            // "0000  01 01 ..." → drop the offset column
            if (l.matches("^[0-9a-fA-F]{4}  .*")) {
                l = l.substring(6);
            }
            digits.append(l.replaceAll("\\s+", ""));
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String of(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                sb.append(i % 16 == 0 ? '\n' : ' ');
            }
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
