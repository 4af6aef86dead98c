package com.todo.bench;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The JVM floor: a plain JDK HTTP server that answers 200, started and measured like a function. */
public final class Floor {

    private Floor() {
    }

    public static void main(String[] args) throws IOException {
        // without it the JDK server's replies wait on Nagle + delayed ACK (~40 ms per request)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(System.getenv("PORT"))), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"status\":\"SUCCESS\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
