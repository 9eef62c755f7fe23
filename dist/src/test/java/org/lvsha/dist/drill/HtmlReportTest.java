package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.dist.drill.TimelineEvent.Marker;
import org.lvsha.dist.drill.TimelineEvent.SyncLag;
import org.lvsha.dist.drill.TimelineEvent.VrrpRole;
import org.lvsha.dist.drill.TimelineEvent.VrrpTransition;

class HtmlReportTest {
    @TempDir
    Path dir;

    /** A 3 s crash drill: requests every 5 ms, refused from 1000 to 1300 ms, dir2 takes over at 1290 ms. */
    static DrillResult crashDrill() {
        SyntheticLog s = new SyntheticLog(3000)
                .pattern(0, 5, "O".repeat(200) + "X".repeat(60) + "O".repeat(340));
        for (int c = 0; c < 4; c++) {
            s.event(1, c, StreamEvent.CONNECTED, null).event(20, c, StreamEvent.ECHO, "rs1");
        }
        s.event(1100, 0, StreamEvent.STALL, "rs1").event(2999, 1, StreamEvent.FINISHED, "rs1");
        List<TimelineEvent> events = List.of(
                new VrrpTransition(SyntheticLog.at(-100), "dir1", 51, VrrpRole.BACKUP, VrrpRole.MASTER),
                new Marker(SyntheticLog.at(995), "trigger: kill -9 dir1"),
                new SyncLag(SyntheticLog.at(900), "dir2", 1_500_000),
                new VrrpTransition(SyntheticLog.at(1290), "dir2", 51, VrrpRole.BACKUP, VrrpRole.MASTER),
                new Marker(SyntheticLog.at(2000), "recover: start dir1"),
                new VrrpTransition(SyntheticLog.at(2100), "dir1", 51, VrrpRole.MASTER, VrrpRole.BACKUP));
        return DrillMeasurements.analyze("crash", s.log, events, 51, 200,
                Expectation.gapWithin("master-down interval", java.time.Duration.ofMillis(300), java.time.Duration.ofMillis(5)));
    }

    @Test
    void thePageIsSelfContainedAndCarriesTheTableAndOneBarPerNonEmptyBucket() {
        DrillResult r = crashDrill();
        String html = HtmlReport.render("lvsha drill <test>", List.of(r));
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=").doesNotContain("@import")
                .doesNotContain("url(").contains("lvsha drill &lt;test&gt;");
        String timeline = svg(html, "timeline-0");
        long okBuckets = Arrays.stream(r.buckets().ok()).filter(n -> n > 0).count();
        long failBuckets = Arrays.stream(r.buckets().failed()).filter(n -> n > 0).count();
        assertThat(count(timeline, "class=\"ok\"")).isEqualTo(okBuckets);
        assertThat(count(timeline, "class=\"fail\"")).isEqualTo(failBuckets).isEqualTo(30);
        assertThat(count(timeline, "class=\"vrrp\"")).isEqualTo(2); // the one before the start is outside the plot
        assertThat(timeline).contains("VIP on dir1").contains("VIP on dir2").contains("trigger: kill -9 dir1");
        assertThat(html).contains("id=\"zoom-0\"");
        assertThat(html).contains("<td class=\"l\">crash</td><td>300.0 ms</td><td>305.0 ms</td><td>60/600</td>");
    }

    @Test
    void markerLabelsCloseInTimeAreDrawnOneBelowTheOther() {
        SyntheticLog s = new SyntheticLog(3000).pattern(0, 5, "O".repeat(600));
        List<TimelineEvent> events = List.of(
                new Marker(SyntheticLog.at(1000), "trigger: kill -9 dir1"),
                new Marker(SyntheticLog.at(1010), "weight 0: rs1"),
                new Marker(SyntheticLog.at(2990), "pair whole: dir2 master"));
        DrillResult r = DrillMeasurements.analyze("crash", s.log, events, 51, 200, Expectation.NONE);
        String timeline = svg(HtmlReport.render("t", List.of(r)), "timeline-0");
        Matcher m = Pattern.compile("<text x=\"([0-9.]+)\" y=\"([0-9]+)\"( text-anchor=\"end\")?>([^<]*)</text>").matcher(timeline);
        java.util.Map<String, String[]> at = new java.util.HashMap<>();
        while (m.find()) {
            at.put(m.group(4), new String[] {m.group(1), m.group(2), m.group(3) == null ? "" : "end"});
        }
        assertThat(at.get("trigger: kill -9 dir1")[1]).isNotEqualTo(at.get("weight 0: rs1")[1]);
        assertThat(at.get("pair whole: dir2 master")[2]).as("at the plot's right edge the label ends at its line").isEqualTo("end");
    }

    @Test
    void chromiumRendersThePlotWithGreenAndRedBars() throws Exception {
        assumeTrue(HeadlessChromium.available(), "skipped: chromium not installed (scripts/setup installs it)");
        DrillResult r = crashDrill();
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render("lvsha drill", List.of(r)), StandardCharsets.UTF_8);

        String dom = HeadlessChromium.dumpDom(html);
        String timeline = svg(dom, "timeline-0");
        assertThat(count(timeline, "class=\"fail\"")).isEqualTo(30);
        assertThat(count(timeline, "class=\"ok\"")).isEqualTo(Arrays.stream(r.buckets().ok()).filter(n -> n > 0).count());
        assertThat(dom).contains("<table id=\"summary\"");

        Path png = dir.resolve("report.png");
        HeadlessChromium.screenshot(html, png, 1200, 900);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(pixels(img, 0x2e9e4f)).as("green bar pixels").isGreaterThan(500);
        assertThat(pixels(img, 0xd62728)).as("red bar pixels").isGreaterThan(200);
        keep(html, png, "crash");
    }

    /** Leaves a copy under target/drill-reports for a person to look at (the build's output, not the source tree). */
    static void keep(Path html, Path png, String name) throws java.io.IOException {
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Path out = Files.createDirectories(target.resolve("drill-reports"));
            Files.copy(html, out.resolve(name + ".html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(png, out.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String svg(String html, String id) {
        int start = html.indexOf("<svg id=\"" + id + "\"");
        assertThat(start).as("svg " + id).isNotNegative();
        return html.substring(start, html.indexOf("</svg>", start));
    }

    static long count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Pixels within a small distance of {@code rgb} (anti-aliasing and scaling blur the edges). */
    static long pixels(BufferedImage img, int rgb) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int dr = ((p >> 16) & 0xff) - ((rgb >> 16) & 0xff);
                int dg = ((p >> 8) & 0xff) - ((rgb >> 8) & 0xff);
                int db = (p & 0xff) - (rgb & 0xff);
                if (Math.abs(dr) + Math.abs(dg) + Math.abs(db) < 40) {
                    n++;
                }
            }
        }
        return n;
    }
}
