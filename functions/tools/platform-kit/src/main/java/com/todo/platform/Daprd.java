package com.todo.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One app's sidecar: the real daprd in standalone mode, everything bound to 127.0.0.1, reading its resources
 * (components, subscriptions, resiliency) from folders and its Configuration from a file. The tokens are its
 * environment, as the injector sets them in a pod: {@code APP_API_TOKEN} goes to the app on every call,
 * {@code DAPR_API_TOKEN} is required on daprd's own API.
 */
public final class Daprd implements AutoCloseable {

    /**
     * What differs between sidecars. {@code appPort} 0: no app channel (daprd never calls the app); {@code scheduler}
     * may be null (no Jobs API); {@code config} too.
     */
    public record Options(String appId, int appPort, List<Path> resources, Path config, String scheduler,
                          String appApiToken, String daprApiToken, int maxConcurrency) {

        public Options {
            resources = List.copyOf(resources);
        }

        public static Options of(String appId, int appPort, List<Path> resources) {
            return new Options(appId, appPort, resources, null, null, null, null, -1);
        }

        public Options config(Path file) {
            return new Options(appId, appPort, resources, file, scheduler, appApiToken, daprApiToken, maxConcurrency);
        }

        public Options scheduler(String address) {
            return new Options(appId, appPort, resources, config, address, appApiToken, daprApiToken, maxConcurrency);
        }

        public Options appApiToken(String token) {
            return new Options(appId, appPort, resources, config, scheduler, token, daprApiToken, maxConcurrency);
        }

        public Options daprApiToken(String token) {
            return new Options(appId, appPort, resources, config, scheduler, appApiToken, token, maxConcurrency);
        }

        public Options maxConcurrency(int max) {
            return new Options(appId, appPort, resources, config, scheduler, appApiToken, daprApiToken, max);
        }
    }

    private final ChildProcess process;
    private final int httpPort;
    private final int grpcPort;

    private Daprd(ChildProcess process, int httpPort, int grpcPort) {
        this.process = process;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
    }

    /**
     * Starts daprd and waits until its outbound side is ready ({@code /v1.0/healthz/outbound} 204: components
     * initialised); the app need not be up yet.
     */
    public static Daprd start(Platform platform, Options options, Path log) {
        Daprd daprd = launch(platform, options, log);
        try {
            daprd.process.awaitHttp(daprd.httpUrl("/v1.0/healthz/outbound"), 204, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            daprd.close();
            throw e;
        }
        return daprd;
    }

    /** Starts daprd without waiting: for a sidecar expected to refuse its resources and exit. */
    public static Daprd launch(Platform platform, Options options, Path log) {
        int httpPort = ChildProcess.freePort();
        int grpcPort = ChildProcess.freePort();
        List<String> command = new ArrayList<>(List.of(platform.daprd().toString(),
                "--mode", "standalone", "--app-id", options.appId()));
        if (options.appPort() > 0) {
            command.addAll(List.of("--app-port", String.valueOf(options.appPort()),
                    "--app-protocol", "http", "--app-channel-address", "127.0.0.1",
                    "--app-max-concurrency", String.valueOf(options.maxConcurrency())));
        }
        command.addAll(List.of(
                "--dapr-listen-addresses", "127.0.0.1",
                "--dapr-http-port", String.valueOf(httpPort), "--dapr-grpc-port", String.valueOf(grpcPort),
                "--dapr-internal-grpc-listen-address", "127.0.0.1",
                "--dapr-internal-grpc-port", String.valueOf(ChildProcess.freePort()),
                "--dapr-public-listen-address", "127.0.0.1",
                "--dapr-public-port", String.valueOf(ChildProcess.freePort()),
                "--metrics-listen-address", "127.0.0.1", "--metrics-port", String.valueOf(ChildProcess.freePort()),
                "--log-level", "info"));
        for (Path resources : options.resources()) {
            command.addAll(List.of("--resources-path", resources.toString()));
        }
        if (options.config() != null) {
            command.addAll(List.of("--config", options.config().toString()));
        }
        if (options.scheduler() != null) {
            command.addAll(List.of("--scheduler-host-address", options.scheduler()));
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (options.appApiToken() != null) {
            env.put("APP_API_TOKEN", options.appApiToken());
        }
        if (options.daprApiToken() != null) {
            env.put("DAPR_API_TOKEN", options.daprApiToken());
        }
        return new Daprd(ChildProcess.start("daprd-" + options.appId(), command, env, log), httpPort, grpcPort);
    }

    /** Waits until daprd reports itself healthy, which needs the app's port to be open when it has one. */
    public Daprd awaitHealthy(Duration timeout) {
        process.awaitHttp(httpUrl("/v1.0/healthz"), 204, timeout);
        return this;
    }

    public int httpPort() {
        return httpPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public String httpUrl(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    /** What an app's pod gets from the injector: where its sidecar listens. */
    public Map<String, String> appEnvironment() {
        return Map.of("DAPR_HTTP_PORT", String.valueOf(httpPort), "DAPR_GRPC_PORT", String.valueOf(grpcPort));
    }

    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
