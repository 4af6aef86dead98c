package com.todo.cluster;

import com.todo.platform.ChildProcess;
import com.todo.platform.ClusterMain;
import com.todo.platform.ClusterTopology;
import com.todo.platform.FaultDriver;
import com.todo.platform.Platform;
import com.todo.platform.RealPlatform;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short version of {@code scripts/faults.sh}: the production topology on this machine, every part killed once
 * under load and restarted, and nothing lost, wrong or left behind. The table is written to
 * target/faults/faults.md; every process's log is kept in target/faults/logs.
 */
class ClusterFaultsTest {

    private static final String SECRET = "cluster-faults-secret-cluster-faults-secret";

    @Test
    void killingAnyPartUnderLoadLosesNothingAndDuplicatesNothing() throws Exception {
        Platform platform = RealPlatform.required();
        Path dir = Path.of("target/faults").toAbsolutePath();
        ClusterEndToEndTest.deleteRecursively(dir);
        try (ClusterTopology cluster = ClusterTopology.start(platform, new ClusterTopology.Settings(dir.resolve("data"),
                dir.resolve("logs"), ChildProcess.freePort(), SECRET, ClusterMain.appJava(), ClusterMain.IMAGE_FLAGS,
                null, null, null), line -> System.out.println("[faults] " + line))) {
            List<String> parts = cluster.parts().stream().map(ClusterTopology.Part::name).toList();
            List<FaultDriver.Row> rows = new FaultDriver(cluster, SECRET, FaultDriver.Settings.SHORT,
                    line -> System.out.println("[faults] " + line)).run(parts);
            String table = FaultDriver.table(rows);
            Files.writeString(dir.resolve("faults.md"), table);
            System.out.println(table);

            assertEquals(parts.size() + 1, rows.size(), "a round per part and the baseline:\n" + table);
            assertTrue(parts.containsAll(List.of("task-api", "event-gateway", "daprd-event-gateway", "scheduler",
                    "kafka", "postgres")), "every kind of part: " + parts);
            for (FaultDriver.Row row : rows) {
                assertTrue(row.whole(), row.part() + " lost, wrongly made or left behind effects:\n" + table);
                assertTrue(row.remindersDue() > 0, row.part() + ": the round's reminders came due:\n" + table);
                assertTrue(row.seriesCompleted() > 0, row.part() + ": the round completed occurrences:\n" + table);
            }
            rows.stream().skip(1).forEach(row -> assertNotNull(row.readyAfter(), row.part() + " was restarted"));
        }
    }
}
