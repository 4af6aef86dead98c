package com.todo.gateway;

import io.micronaut.runtime.Micronaut;

public class EventGatewayApplication {

    public static void main(String[] args) {
        Micronaut.run(EventGatewayApplication.class, args);
    }
}
