package com.todo.local;

import java.nio.file.Path;

/**
 * {@code scripts/run-local.sh}: starts local mode from the environment ({@code PORT}, {@code TODO_DATA_DIR},
 * {@code JDBC_URL}, {@code JDBC_USER}, {@code JDBC_PASSWORD}, {@code TODO_JWT_SECRET}) and says where things are.
 */
public final class LocalMain {

    private LocalMain() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        Path dataDir = Path.of(env("TODO_DATA_DIR", ".local"));
        LocalSystem system = LocalSystem.start(dataDir, Integer.parseInt(env("PORT", "8080")), System.getenv("JDBC_URL"),
                env("JDBC_USER", "postgres"), env("JDBC_PASSWORD", ""), System.getenv("TODO_JWT_SECRET"));
        Runtime.getRuntime().addShutdownHook(new Thread(system::close, "local-shutdown"));
        String url = "http://localhost:" + system.port();
        System.out.printf("""

                todo-functions is running (local mode), ready in %.1f s
                  API        %s/api/v1/tasks
                  API docs   %s/swagger-ui/index.html
                  health     %s/health
                  data       %s
                  database   %s
                  token      TOKEN=$(scripts/dev-token.sh alice)   then   curl -H "Authorization: Bearer $TOKEN" %s/api/v1/tasks
                Stop with Ctrl-C.
                %n""", (System.nanoTime() - started) / 1e9, url, url, url, system.dataLocation(),
                system.databaseLocation(), url);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
