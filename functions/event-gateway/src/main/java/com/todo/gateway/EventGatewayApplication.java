package com.todo.gateway;

import com.todo.function.FunctionMain;

public class EventGatewayApplication {

    public static void main(String[] args) {
        FunctionMain.start(EventGatewayApplication.class, "event-gateway", args);
    }
}
