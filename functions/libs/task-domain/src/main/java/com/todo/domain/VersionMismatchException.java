package com.todo.domain;

/** A change's {@link VersionPrecondition} failed: the task changed since the client read it; nothing was written. */
public class VersionMismatchException extends RuntimeException {

    private final long currentVersion;

    public VersionMismatchException(long currentVersion) {
        super("The task has changed since that version was read: read it again, then repeat the change");
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
