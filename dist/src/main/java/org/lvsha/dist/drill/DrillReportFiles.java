package org.lvsha.dist.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Writes a drill's report as {@code DIR/drill-LABEL-TIME.txt}, {@code .html} and {@code .json}. */
public final class DrillReportFiles {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private DrillReportFiles() {
    }

    public record Written(Path text, Path html, Path json) {
    }

    public static Written write(Path dir, String label, List<DrillResult> results) throws IOException {
        Files.createDirectories(dir);
        String base = "drill-" + label.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
        Path text = dir.resolve(base + ".txt");
        Path html = dir.resolve(base + ".html");
        Files.writeString(text, TextReport.render(results), StandardCharsets.UTF_8);
        Path json = dir.resolve(base + ".json");
        Files.writeString(html, HtmlReport.render("lvsha drill: " + label, results), StandardCharsets.UTF_8);
        Files.writeString(json, DrillResultJson.render(results), StandardCharsets.UTF_8);
        return new Written(text, html, json);
    }
}
