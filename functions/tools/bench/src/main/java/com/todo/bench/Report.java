package com.todo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Writes docs/benchmarks.md and docs/benchmarks.svg from one run's results. */
final class Report {

    /** The heading of the section scripts/bench-cluster.sh writes at the end of benchmarks.md. */
    static final String CLUSTER_SECTION = "## The cluster topology";
    /** The hand-written A/B records of changes, kept before the cluster section. */
    static final String COMPARISONS_SECTION = "## Same-run comparisons";


    private Report() {
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.0f", value);
    }

    /**
     * The targets (cold start ≤ 4× the floor for an event function and ≤ 5× for task-api, as issue 25 restated them
     * from ≤ 6×, and RSS ≤ 128 MB with the tuned setup; ≥ 2,000 events/s per event
     * function with p99 < 20 ms; ≥ 1,000 task creates/s; reminder lateness p99 ≤ 1 s), each met or missed, and for a
     * miss the measured figures that account for it.
     */
    static String targets(List<Bench.Result> results, List<String> jvms, double[] lateness, int cores) {
        String tuned = jvms.get(jvms.size() - 1);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "## Targets (%s)%n%n"
                + "| target | cold start ≤ 4× floor (task-api ≤ 5×) | RSS ≤ 128 MB | throughput | p99 < 20 ms |%n|---|---|---|---|---|%n",
                tuned));
        for (Bench.Result r : results) {
            if (!r.jvm().equals(tuned) || r.target().equals("JVM floor")) {
                continue;
            }
            double cold = median(r.coldStartMs());
            double floor = median(r.floorMs());
            double rest = cold - r.phases().micronautStartMs() - (Double.isNaN(r.phases().firstHandlerMs()) ? 0
                    : r.phases().firstHandlerMs());
            // CPU used by the time of the first answer against the cores that wall time offered: near all of them
            // means the start is CPU-bound, and shortening it takes less work, not less waiting
            int times = r.target().equals("task-api") ? 5 : 4;
            String coldCell = verdict(cold <= times * floor, String.format(Locale.ROOT, "%.1f×: %s ms of CPU in %.0f ms "
                    + "(%.1f of %d cores busy); JVM, class loading and HTTP %.0f ms, Micronaut startup %.0f ms, first "
                    + "handler %s ms; floor %.0f ms in the same rounds", cold / floor, ms(r.phases().cpuMs()), cold,
                    r.phases().cpuMs() / cold, cores, rest, r.phases().micronautStartMs(),
                    ms(r.phases().firstHandlerMs()), floor));
            long rss = r.rssFirstKb() / 1024;
            String cache = r.rssFirstAotKb() == 0 ? "" : String.format(Locale.ROOT, ", %d MB of it the AOT cache",
                    r.rssFirstAotKb() / 1024);
            String rssCell = verdict(rss <= 128, String.format(Locale.ROOT, "%d MB after the first request%s; warm %d MB "
                    + "= %d MB anonymous + %d MB mapped files", rss, cache, r.rssWarmKb() / 1024,
                    (r.rssWarmKb() - r.rssWarmFileKb()) / 1024, r.rssWarmFileKb() / 1024));
            int goal = r.target().equals("task-api") ? 1000 : 2000;
            Bench.Cost c = r.cost();
            // how busy the cores were during the load says whether CPU or waiting limited it
            double busy = r.throughput() * c.totalCpuMs() / (cores * 1000.0);
            String bound = busy >= 0.85 ? String.format(Locale.ROOT, "CPU-bound (cores %.0f %% busy)", 100 * busy)
                    : String.format(Locale.ROOT, "not CPU-bound (cores %.0f %% busy: the rest is waiting)", 100 * busy);
            String throughputCell = verdict(r.throughput() >= goal, String.format(Locale.ROOT, "%.0f of %d/s: %s,"
                    + " %.2f ms CPU per request (function %.2f, harness %.2f, PostgreSQL %.2f) on %d cores allow %.0f/s; "
                    + "the function alone %.0f/s", r.throughput(), goal, bound, c.totalCpuMs(), c.functionCpuMs(),
                    c.harnessCpuMs(), c.postgresCpuMs(), cores, cores * 1000 / c.totalCpuMs(),
                    cores * 1000 / c.functionCpuMs()));
            String p99Cell = verdict(r.p99() < 20, String.format(Locale.ROOT, "%.1f ms (p50 %.1f ms)%s", r.p99(),
                    r.p50(), busy >= 0.85 ? " with the cores saturated" : ""));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r.target(), coldCell, rssCell,
                    throughputCell, p99Cell));
        }
        md.append(String.format(Locale.ROOT, "%nReminder lateness p99 ≤ 1 s: %s.%n%n",
                Double.isNaN(lateness[2]) ? "not measured in this run"
                        : verdict(lateness[2] <= 1000, String.format(Locale.ROOT, "p99 %.0f ms", lateness[2]))));
        return md.toString();
    }

    private static String verdict(boolean met, String figures) {
        return (met ? "met: " : "**missed**: ") + figures;
    }

    /** The medians of a published report: "target / JVM" → {cold start ms, requests/s}. */
    static Map<String, double[]> published(Path report) throws IOException {
        Map<String, double[]> rows = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(report)) {
            if (line.startsWith("## ")) {
                section = line;
                continue;
            }
            String[] cells = line.split("\\|");
            if (cells.length < 4 || !cells[3].trim().matches("[0-9.]+")) {
                continue; // not a data row
            }
            double[] row = rows.computeIfAbsent(cells[1].trim() + " / " + cells[2].trim(),
                    k -> new double[]{Double.NaN, Double.NaN, Double.NaN});
            if (section.startsWith("## Cold start")) {
                row[0] = Double.parseDouble(cells[3].trim());
                row[2] = Double.parseDouble(cells[6].trim());
            } else if (section.startsWith("## Warm throughput")) {
                row[1] = Double.parseDouble(cells[3].trim());
            }
        }
        return rows;
    }

    /**
     * This run's medians against a published report's, as a table of relative differences. The cold start is
     * compared in milliseconds and in multiples of the JVM floor measured alongside: a faster or slower machine moves
     * the first, much less the second.
     */
    static String compare(Map<String, double[]> published, List<Bench.Result> results) {
        StringBuilder md = new StringBuilder("## Compared with the published report\n\n"
                + "| target | JVM | cold start: published | now | Δ | × floor: published | now | Δ "
                + "| requests/s: published | now | Δ |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Bench.Result r : results) {
            double[] before = published.getOrDefault(r.target() + " / " + r.jvm(),
                    new double[]{Double.NaN, Double.NaN, Double.NaN});
            double cold = median(r.coldStartMs());
            double ratio = cold / median(r.floorMs());
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %.0f | %.0f | %+.0f %% | %.1f | %.1f | %+.0f %% | %.0f | %.0f | %+.0f %% |%n",
                    r.target(), r.jvm(), before[0], cold, 100 * (cold / before[0] - 1), before[2], ratio,
                    100 * (ratio / before[2] - 1), before[1], r.throughput(), 100 * (r.throughput() / before[1] - 1)));
        }
        return md.toString();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** @param cores the machine's cores: the CPU ceilings and how busy the cores were are reckoned on them */
    static void write(Path dir, int cores, List<Bench.Result> results, Collection<String> jvms, int runs, int requests,
                      int warmup, int concurrency, double[] lateness) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `scripts/bench.sh` on ").append(LocalDate.now()).append(": ")
                .append(cores).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(". Each function jar is launched as in production (`java -jar <function>-all.jar`) against a ")
                .append("fake Dapr sidecar (its HTTP API at `DAPR_HTTP_PORT`: state, publish, metadata, health), a stub of the ")
                .append("gateway's schedules API and embedded PostgreSQL; this process ")
                .append("is the load generator. Numbers are whole-process figures on a shared machine: compare them ")
                .append("with the JVM floor measured in the same run.\n\n");
        md.append("## Cold start (process start → first request handled, ms) and memory\n\n");
        md.append("| target | JVM | cold start median | min | max | × floor | of it: Micronaut startup | first handler "
                + "| CPU used by then | RSS after first request | of it: AOT cache | RSS warm | of it: anonymous + mapped files |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String jvm : jvms) {
            for (Bench.Result r : results) {
                if (!r.jvm().equals(jvm)) {
                    continue;
                }
                double med = median(r.coldStartMs());
                md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %.1f | %s | %s | %s | %d MB | %s | %d MB | %d + %d MB |%n",
                        r.target(), jvm, med, r.coldStartMs().stream().mapToDouble(d -> d).min().orElse(0),
                        r.coldStartMs().stream().mapToDouble(d -> d).max().orElse(0), med / median(r.floorMs()),
                        ms(r.phases().micronautStartMs()), ms(r.phases().firstHandlerMs()), ms(r.phases().cpuMs()),
                        r.rssFirstKb() / 1024, r.rssFirstAotKb() == 0 ? "—" : r.rssFirstAotKb() / 1024 + " MB",
                        r.rssWarmKb() / 1024, (r.rssWarmKb() - r.rssWarmFileKb()) / 1024,
                        r.rssWarmFileKb() / 1024));
            }
        }
        int floorStarts = results.stream().filter(r -> r.target().equals("JVM floor")).mapToInt(r -> r.coldStartMs().size())
                .max().orElse(runs);
        md.append(String.format(Locale.ROOT, "%n%d cold starts per row, each as Knative brings up a pod: "
                + "`/health/readiness` is probed until it answers 200, then the first request is sent until it is "
                + "handled. The JVM floor's row counts all its %d cold starts "
                + "of the run (its own and the one before each of a function's). × floor: against the JVM floor's median "
                + "over cold starts interleaved with the row's own (one right before each, same JVM setup), so that a "
                + "slow minute of the machine slows both. Each JVM sees its pod's memory limit "
                + "(`-XX:MaxRAM`, from the service's knative/*.yaml; 192 MB for the floor), as in the container. "
                + "Micronaut startup (its own log line) and the first handler's time (the function's event log) are "
                + "medians; the rest of a cold start is the JVM starting and loading classes, and HTTP. CPU used by "
                + "then: the median CPU time of all the process's threads when the first answer came (the kernel's "
                + "count, 10 ms steps); more than the cold start itself means several cores were busy. Of RSS, the AOT "
                + "cache: its resident pages after the first request (/proc/PID/smaps; the RSS figure is the largest of "
                + "the row's starts, and this is from the same start). The JVM loads every class the cache holds at "
                + "start and relocates the cache, so nearly all of it is resident and most of it written: those pages "
                + "count as anonymous memory. Mapped files are the pages of the jar and of the AOT cache left "
                + "unchanged: clean pages the kernel can drop and read again, unlike anonymous memory (heap, "
                + "metaspace, code, threads, the AOT cache's written pages).%n%n", runs, floorStarts));
        md.append("## Warm throughput and latency\n\n");
        md.append(String.format(Locale.ROOT, "%d requests at concurrency %d after a warm-up of %d, each with its "
                + "idempotency write (state store or inbox) and, for task-api, the task and its outbox row. The warm-up "
                + "lets the JIT compile the request path first: the CPU per request below is a warm instance's, not "
                + "that of a pod's first seconds.%n%n", requests, concurrency, warmup));
        md.append("| target | JVM | requests/s | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|\n");
        for (Bench.Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.1f |%n", r.target(), r.jvm(),
                    r.throughput(), r.p50(), r.p95(), r.p99()));
        }
        md.append(String.format(Locale.ROOT, "%n## What limits throughput%n%n"
                + "Measured over the same load: CPU time per request of the function's process, of this process (load "
                + "generator, fake sidecar, schedules stub) and of PostgreSQL, and the calls each request makes. All "
                + "share this machine's %d cores, so %d × 1000 ms ÷ the total CPU per request is the most this machine "
                + "can do; %d × 1000 ms ÷ the function's own share is what the function could do with the cores to "
                + "itself (in the cluster its sidecar, broker and database run elsewhere).%n%n", cores, cores, cores));
        md.append("| target | JVM | function CPU ms/req | harness CPU ms/req | PostgreSQL CPU ms/req | sidecar calls/req "
                + "| schedules calls/req | machine ceiling req/s | function-only ceiling req/s |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Bench.Result r : results) {
            Bench.Cost c = r.cost();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.1f | %.1f | %.0f | %.0f |%n",
                    r.target(), r.jvm(), c.functionCpuMs(), c.harnessCpuMs(), c.postgresCpuMs(), c.sidecarCalls(),
                    c.schedulesCalls(), cores * 1000 / c.totalCpuMs(), cores * 1000 / c.functionCpuMs()));
        }
        md.append(String.format(Locale.ROOT, "%n## Reminder lateness in local mode%n%n"
                + "50 reminders 200 ms apart, due time → notification recorded: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, "
                + "max %.0f ms.%n%n", lateness[0], lateness[1], lateness[2], lateness[3]));
        md.append(targets(results, new ArrayList<>(jvms), lateness, cores));
        md.append("![cold start medians](benchmarks.svg)\n\n");
        md.append("## Reproduce\n\n```bash\nscripts/bench.sh            # JDK 25 from JAVA25_HOME or /usr/lib/jvm\n"
                + "RUNS=5 REQUESTS=3000 WARMUP=5000 CONCURRENCY=8 scripts/bench.sh\n"
                + "COMPARE=1 scripts/bench.sh  # this machine against the numbers above, in ms and in multiples of the floor\n"
                + "```\n\nThe milliseconds follow the machine's speed on the day (the JVM floor's rows show it: the same "
                + "jars have measured up to 2× apart on this kind of shared VM); the multiples of the floor move much "
                + "less, so compare those first.\n");
        Path file = dir.resolve("benchmarks.md");
        if (Files.exists(file)) {
            // the comparisons and scripts/bench-cluster.sh's section, measured in runs of their own: kept as they are
            String existing = Files.readString(file);
            int comparisons = existing.indexOf(COMPARISONS_SECTION);
            int cluster = comparisons >= 0 ? comparisons : existing.indexOf(CLUSTER_SECTION);
            if (cluster >= 0) {
                md.append('\n').append(existing.substring(cluster));
            }
        }
        Files.writeString(file, md.toString());
        chart(dir.resolve("benchmarks.svg"), results, new ArrayList<>(jvms));
    }

    /** The cold-start medians as an SVG bar chart: text, so the repository holds no binary and diffs show changes. */
    private static void chart(Path file, List<Bench.Result> results, List<String> jvms) throws IOException {
        List<String> targets = results.stream().map(Bench.Result::target).distinct().toList();
        int w = 900;
        int rowH = 18 * jvms.size() + 10;
        int h = 60 + targets.size() * rowH;
        int left = 170;
        double max = results.stream().mapToDouble(r -> median(r.coldStartMs())).max().orElse(1);
        String[] colors = {"#4472C4", "#ED7D31", "#70AD47"};
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                        + "font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                        + "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Cold start to first handled "
                        + "request, median ms</text>%n", w, h));
        for (int j = 0; j < jvms.size(); j++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"41\">%s</text>%n", 420 + j * 230, colors[j % colors.length], 436 + j * 230,
                    escape(jvms.get(j))));
        }
        for (int t = 0; t < targets.size(); t++) {
            int y = 55 + t * rowH;
            String target = targets.get(t);
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 14, escape(target)));
            for (int j = 0; j < jvms.size(); j++) {
                String jvm = jvms.get(j);
                double med = results.stream().filter(r -> r.target().equals(target) && r.jvm().equals(jvm))
                        .mapToDouble(r -> median(r.coldStartMs())).findFirst().orElse(0);
                int len = (int) ((w - left - 80) * med / max);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\">%.0f</text>%n", left, y + j * 18, len, colors[j % colors.length],
                        left + len + 4, y + j * 18 + 12, med));
            }
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"50\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n</svg>%n",
                left, left, h - 5));
        Files.writeString(file, svg.toString());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
