package com.todo.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image build's AOT training run (knative/Dockerfile): {@code java -cp bench.jar com.todo.bench.Train <function>
 * <function jar> <cache> [JVM flags]}. The function handles a few hundred requests against the benchmark's fakes, so
 * the cache holds the classes of a first event too, not only those of startup.
 */
public final class Train {

    private Train() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Train <function> <function jar> <AOT cache> [JVM flags...]");
            System.exit(2);
        }
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Bench bench = new Bench(Path.of("."), 0, 0, 0, 1, null);
        bench.jarOverride = args[1];
        List<String> jvm = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        jvm.addAll(List.of(args).subList(3, args.length));
        Path cache = Path.of(args[2]).toAbsolutePath();
        Optional<Target> target = bench.targets().stream().filter(t -> t.name().equals(args[0])).findFirst();
        try {
            if (target.isPresent()) {
                bench.train(target.get(), jvm, cache);
            } else {
                bench.trainStartup(args[0], jvm, cache); // the always-on gateway: its startup is what a deploy waits for
            }
        } catch (Exception e) {
            // the stand-ins' threads would keep this JVM, and the image build, waiting for ever
            System.err.println("AOT training of " + args[0] + " failed: " + e);
            System.exit(1);
        }
        System.out.println("AOT cache written: " + args[2]);
        System.exit(0);
    }
}
