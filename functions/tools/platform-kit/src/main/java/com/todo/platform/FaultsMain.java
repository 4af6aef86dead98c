package com.todo.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/faults.sh}: the production topology on this machine, every part killed once under load
 * ({@link FaultDriver}), and the table written into docs/reliability.md between its markers. {@code FAULTS=short}
 * runs the version {@code mvn verify} runs; {@code FAULTS_PARTS=kafka,postgres} only those parts' rounds (a row
 * reproduced alone), without touching the document.
 */
public final class FaultsMain {

    private static final String BEGIN = "<!-- faults:begin -->";
    private static final String END = "<!-- faults:end -->";

    private FaultsMain() {
    }

    public static void main(String[] args) throws Exception {
        Platform platform = Platform.locate();
        boolean brief = "short".equals(System.getenv("FAULTS"));
        FaultDriver.Settings settings = brief ? FaultDriver.Settings.SHORT : FaultDriver.Settings.LONG;
        String parts = System.getenv("FAULTS_PARTS");
        List<String> chosen = parts == null || parts.isBlank() ? List.of() : List.of(parts.strip().split("\\s*,\\s*"));
        Path target = Files.createDirectories(platform.repository().resolve("target"));
        Path dir = Files.createTempDirectory(target, "faults-");
        String secret = ClusterTopology.secret(dir.resolve("jwt-secret"));
        System.out.println("data and logs: " + dir);
        List<FaultDriver.Row> rows;
        try (ClusterTopology cluster = ClusterTopology.start(platform, new ClusterTopology.Settings(dir.resolve("data"),
                dir.resolve("logs"), ChildProcess.freePort(), secret, ClusterMain.appJava(), ClusterMain.IMAGE_FLAGS,
                null, null, null), line -> System.out.println("  " + line))) {
            FaultDriver driver = new FaultDriver(cluster, secret, settings, line -> System.out.println("  " + line));
            rows = chosen.isEmpty() ? driver.run() : driver.run(chosen);
        }
        String table = FaultDriver.table(rows);
        System.out.println(table);
        if (!chosen.isEmpty()) {
            System.out.println("FAULTS_PARTS chose some parts: docs/reliability.md is left as it is");
            System.exit(rows.stream().allMatch(FaultDriver.Row::whole) ? 0 : 1);
        }
        Path report = platform.repository().resolve("docs/reliability.md");
        String doc = Files.readString(report);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(report + " has no " + BEGIN + " … " + END + " markers");
        }
        String generated = String.format(Locale.ROOT, "%s%nWritten by `scripts/faults.sh`%s on %s: %d cores. Each round: "
                        + "%d s of load at %d operations/s, the part killed after %d s and started again %d s later; "
                        + "reminders %d s ahead; judged until everything due had happened (at most %d s).%n%n%s",
                BEGIN, brief ? " (FAULTS=short)" : "", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Runtime.getRuntime().availableProcessors(), settings.load().toSeconds(), settings.operationsPerSecond(),
                settings.killAfter().toSeconds(), settings.down().toSeconds(), settings.reminderLead().toSeconds(),
                settings.settle().toSeconds(), table);
        Files.writeString(report, doc.substring(0, begin) + generated + doc.substring(end));
        System.out.println("written: " + report);
        if (rows.stream().anyMatch(r -> !r.whole())) {
            System.out.println("SOME ROUNDS LOST, WRONGLY MADE OR LEFT BEHIND EFFECTS: see the table");
            System.exit(1);
        }
    }
}
