package org.lvsha.dist.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.lvsha.core.lab.Shell;

/**
 * Debian's {@code chromium} in headless mode, to check that a report really renders: the DOM after
 * parsing, and a screenshot. Each call uses a fresh profile directory (deleted after) and no
 * network features.
 */
final class HeadlessChromium {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private HeadlessChromium() {
    }

    static boolean available() {
        return Shell.tryRun("sh", "-c", "command -v chromium").ok();
    }

    static String dumpDom(Path html) throws IOException {
        return run(html, List.of("--dump-dom")).stdout();
    }

    static void screenshot(Path html, Path png, int width, int height) throws IOException {
        run(html, List.of("--screenshot=" + png, "--window-size=" + width + "," + height, "--hide-scrollbars"));
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot " + png);
        }
    }

    private static Shell.Result run(Path html, List<String> mode) throws IOException {
        Path profile = Files.createTempDirectory("lvsha-chromium-");
        try {
            List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile));
            cmd.addAll(mode);
            cmd.add(html.toUri().toString());
            Shell.Result r = Shell.exec(TIMEOUT, cmd);
            if (!r.ok()) {
                throw new IOException("chromium failed (" + r.exitCode() + "): " + r.stderr());
            }
            return r;
        } finally {
            Shell.tryRun("rm", "-rf", profile.toString());
        }
    }
}
