package com.todo.domain;

import com.todo.events.TaskSnapshot;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

@Serdeable
public record TaskPage(List<TaskSnapshot> items, int page, int size, long total) {
}
