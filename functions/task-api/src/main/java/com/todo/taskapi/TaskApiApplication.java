package com.todo.taskapi;

import com.todo.function.FunctionMain;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

@OpenAPIDefinition(
        info = @Info(title = "todo-functions task API", version = "1",
                description = "Tasks with reminders and RFC 5545 recurrence, per user. Every change is published as a "
                        + "CloudEvent (com.todo.task.*). Errors are application/problem+json."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class TaskApiApplication {

    public static void main(String[] args) {
        FunctionMain.start(TaskApiApplication.class, "task-api", args);
    }
}
