package com.todo.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpServer;
import io.dapr.v1.DaprBindingsProtos;
import io.dapr.v1.DaprGrpc;
import io.dapr.v1.DaprJobsProtos;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for daprd's APIs as our adapters call them: gRPC (on the SDK's own service base) for jobs
 * and bindings, HTTP ({@link FakeSidecarHttp}) for state, publish, metadata and health. It records what a function publishes, the jobs it schedules (like daprd, refusing to
 * replace an existing job without {@code overwrite}) and its state (with ETags). It can be stopped and started
 * again on the same ports, like a sidecar that restarts.
 */
public class FakeDaprSidecar implements AutoCloseable {

    /** One publish as the sidecar received it. */
    public record Published(String pubsubName, String topic, byte[] data, String dataContentType,
                            Map<String, String> metadata) {
    }

    private final int port;
    private final int httpPort;
    private final AtomicInteger healthzStatus = new AtomicInteger(204);
    private final List<Published> published = new ArrayList<>();
    private final Map<String, DaprJobsProtos.ScheduleJobRequest> jobs = new java.util.LinkedHashMap<>();
    private final List<DaprJobsProtos.ScheduleJobRequest> scheduleRequests = new ArrayList<>();
    private final Map<String, StoredState> state = new java.util.HashMap<>();
    private final List<Binding> bindings = new ArrayList<>();
    private final AtomicInteger metadataCalls = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    /** One output binding call. */
    public record Binding(String name, String operation, byte[] data, Map<String, String> metadata) {
    }

    /** A value in the fake state store with its ETag. */
    public record StoredState(byte[] value, String etag) {
    }
    private Server server;
    private HttpServer http;

    private static final Metadata.Key<String> API_TOKEN =
            Metadata.Key.of("dapr-api-token", Metadata.ASCII_STRING_MARSHALLER);
    private final Set<String> apiTokens = ConcurrentHashMap.newKeySet();

    public FakeDaprSidecar() {
        try (ServerSocket grpc = new ServerSocket(0); ServerSocket http = new ServerSocket(0)) {
            this.port = grpc.getLocalPort();
            this.httpPort = http.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the gRPC API's port ({@code todo.dapr.grpc-port}, {@code DAPR_GRPC_PORT}) */
    public int port() {
        return port;
    }

    /** @return the HTTP API's port ({@code todo.dapr.http-port}, {@code DAPR_HTTP_PORT}) */
    public int httpPort() {
        return httpPort;
    }

    /** What {@code /v1.0/healthz/outbound} answers: 204 (ready) unless set otherwise. */
    public AtomicInteger healthzStatus() {
        return healthzStatus;
    }

    /** Starts listening; a no-op when already running. */
    public synchronized FakeDaprSidecar start() {
        if (server != null) {
            return this;
        }
        try {
            server = ServerBuilder.forPort(port).addService(ServerInterceptors.intercept(new DaprGrpc.DaprImplBase() {
                @Override
                public void scheduleJobAlpha1(DaprJobsProtos.ScheduleJobRequest request,
                                              StreamObserver<DaprJobsProtos.ScheduleJobResponse> response) {
                    // daprd's scheduler refuses a schedule or a due time it cannot parse (Go's RFC 3339 wants a
                    // four-digit year): INTERNAL, the cron library's words
                    String schedule = request.getJob().getSchedule();
                    String dueTime = request.getJob().getDueTime();
                    if (!schedule.isEmpty() && !schedule.startsWith("@") && schedule.trim().split("\\s+").length != 6
                            || !dueTime.isEmpty() && !dueTime.matches("\\d{4}-.*")) {
                        refused(request);
                        response.onError(Status.INTERNAL.withDescription("failed to schedule job "
                                + request.getJob().getName() + ": job failed validation").asRuntimeException());
                        return;
                    }
                    // daprd answers 409 / ALREADY_EXISTS when the job exists and overwrite is not set
                    if (!schedule(request)) {
                        response.onError(Status.ALREADY_EXISTS.withDescription("job exists").asRuntimeException());
                        return;
                    }
                    response.onNext(DaprJobsProtos.ScheduleJobResponse.getDefaultInstance());
                    response.onCompleted();
                }

                @Override
                public void invokeBinding(DaprBindingsProtos.InvokeBindingRequest request,
                                          StreamObserver<DaprBindingsProtos.InvokeBindingResponse> response) {
                    recordBinding(new Binding(request.getName(), request.getOperation(), request.getData().toByteArray(),
                            Map.copyOf(request.getMetadataMap())));
                    response.onNext(DaprBindingsProtos.InvokeBindingResponse.getDefaultInstance());
                    response.onCompleted();
                }

                @Override
                public void deleteJobAlpha1(DaprJobsProtos.DeleteJobRequest request,
                                            StreamObserver<DaprJobsProtos.DeleteJobResponse> response) {
                    deleteJob(request.getName());
                    response.onNext(DaprJobsProtos.DeleteJobResponse.getDefaultInstance());
                    response.onCompleted();
                }
            }, countCalls())).build().start();
            http = FakeSidecarHttp.start(httpPort, this);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("fake sidecar could not listen on " + port, e);
        }
    }

    /** The sidecar's HTTP health endpoint ({@code /v1.0/healthz/outbound}), answering {@code status}; started. */
    public static com.sun.net.httpserver.HttpServer healthz(AtomicInteger status) throws IOException {
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("localhost", 0), 0);
        http.createContext("/v1.0/healthz/outbound", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        http.start();
        return http;
    }

    /** @return how many calls of any kind, gRPC or HTTP, the sidecar has answered (the benchmark reports calls per event) */
    public long calls() {
        return calls.get();
    }

    /** Counts one call and the API token it came with, if any. */
    void called(String token) {
        calls.incrementAndGet();
        if (token != null) {
            apiTokens.add(token);
        }
    }

    private ServerInterceptor countCalls() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call,
                                                                      io.grpc.Metadata headers,
                                                                      io.grpc.ServerCallHandler<Q, R> next) {
                called(headers.get(API_TOKEN));
                return next.startCall(call, headers);
            }
        };
    }

    /** @return the {@code dapr-api-token} values callers sent ({@code DaprSidecar} sends {@code DAPR_API_TOKEN}) */
    public Set<String> apiTokens() {
        return Set.copyOf(apiTokens);
    }

    void metadataCalled() {
        metadataCalls.incrementAndGet();
    }

    /** @return how often the metadata API was called (a function's warm-up calls it once) */
    public int metadataCalls() {
        return metadataCalls.get();
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
        if (http != null) {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
            http = null;
        }
    }

    synchronized void published(Published p) {
        published.add(p);
    }

    public synchronized List<Published> published() {
        return List.copyOf(published);
    }

    private synchronized void recordBinding(Binding binding) {
        bindings.add(binding);
    }

    /** The output binding calls received, in order. */
    public synchronized List<Binding> bindings() {
        return List.copyOf(bindings);
    }

    synchronized StoredState stateOf(String key) {
        return state.get(key);
    }

    /** Why daprd refused a save: over HTTP 409 and 500. */
    enum SaveRefusal {
        ETAG_MISMATCH("possible etag mismatch"), KEY_EXISTS("key exists");

        final String description;

        SaveRefusal(String description) {
            this.description = description;
        }
    }

    /**
     * Dapr's first-write semantics (platform contracts §5): with an ETag, it must match; without one under
     * first-write, the key must be absent (else a generic error, as daprd's state.postgresql answers).
     *
     * @return null when saved
     */
    synchronized SaveRefusal save(String key, byte[] value, String etag, boolean firstWrite) {
        StoredState current = state.get(key);
        if (etag != null && !etag.isEmpty()) {
            if (current == null || !current.etag().equals(etag)) {
                return SaveRefusal.ETAG_MISMATCH;
            }
        } else if (firstWrite && current != null) {
            return SaveRefusal.KEY_EXISTS;
        }
        state.put(key, new StoredState(asDaprdStores(value), java.util.UUID.randomUUID().toString()));
        return null;
    }

    private static final ObjectMapper SORTED = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** daprd keeps a JSON value as JSON, not as our bytes: re-serialised, keys sorted (RealDaprdStateStoreTest). */
    static byte[] asDaprdStores(byte[] value) {
        try {
            return SORTED.writeValueAsBytes(SORTED.readValue(value, Object.class));
        } catch (IOException notJson) {
            return value;
        }
    }

    /** Stores a value as another writer would have left it (as daprd keeps it), with a new ETag. */
    public synchronized void putState(String key, byte[] value) {
        state.put(key, new StoredState(asDaprdStores(value), java.util.UUID.randomUUID().toString()));
    }

    /** The fake state store's content. */
    public synchronized Map<String, StoredState> state() {
        return Map.copyOf(state);
    }

    private synchronized boolean schedule(DaprJobsProtos.ScheduleJobRequest request) {
        String name = request.getJob().getName();
        if (jobs.containsKey(name) && !request.getOverwrite()) {
            return false;
        }
        scheduleRequests.add(request);
        jobs.put(name, request);
        return true;
    }

    private synchronized void refused(DaprJobsProtos.ScheduleJobRequest request) {
        scheduleRequests.add(request);
    }

    private synchronized void deleteJob(String name) {
        jobs.remove(name);
    }

    /** The jobs that exist now, by name (each as its last accepted schedule request). */
    public synchronized Map<String, DaprJobsProtos.ScheduleJobRequest> jobs() {
        return Map.copyOf(jobs);
    }

    /** Every accepted schedule request, in order. */
    public synchronized List<DaprJobsProtos.ScheduleJobRequest> scheduleRequests() {
        return List.copyOf(scheduleRequests);
    }

    @Override
    public void close() {
        stop();
    }
}
