package com.todo.platform;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The built platform for a test, or a loud stop: under CI (CI=true, whose .ci/run builds it first) a missing piece
 * fails the test; on a developer's machine it aborts the test with what to run.
 */
public final class RealPlatform {

    private RealPlatform() {
    }

    public static Platform required() {
        Platform platform = Platform.locate();
        if (!platform.missing().isEmpty()) {
            String why = "REAL PLATFORM NOT BUILT, tests against real daprd/scheduler/Kafka NOT RUN: missing "
                    + String.join(", ", platform.missing()) + " (run scripts/build-platform.sh)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            System.err.println(why);
            assumeTrue(false, why);
        }
        return platform;
    }
}
