package com.todo.wiring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The HTTP routes a runnable jar declares, read from its own classes' Micronaut annotations ({@code @Controller} and
 * its methods' {@code @Get}, {@code @Post} …), so that a route added later is tested without being listed.
 */
final class JarRoutes {

    /** One declared route: its method and its path template. */
    record Route(String method, String template) implements Comparable<Route> {
        /** The path with every {@code {variable}} filled in. */
        String path() {
            return template.replaceAll("\\{[^}]+}", "x");
        }

        @Override
        public int compareTo(Route other) {
            return toString().compareTo(other.toString());
        }
    }

    private static final List<String> METHODS = List.of("Get", "Post", "Put", "Patch", "Delete");

    private JarRoutes() {
    }

    static List<Route> of(Path jar) throws Exception {
        TreeSet<Route> routes = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile());
             URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()},
                     ClassLoader.getPlatformClassLoader())) {
            @SuppressWarnings("unchecked")
            Class<? extends Annotation> controller = (Class<? extends Annotation>)
                    loader.loadClass("io.micronaut.http.annotation.Controller");
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (!name.startsWith("com/todo/") || !name.endsWith(".class") || name.contains("$Definition")
                        || name.contains("$Introspection") || name.contains("$Exec")) {
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName(name.replace('/', '.').replace(".class", ""), false, loader);
                } catch (LinkageError | ClassNotFoundException notLoadable) {
                    continue;
                }
                Annotation declared = type.getAnnotation(controller);
                if (declared == null) {
                    continue;
                }
                String base = value(declared);
                for (Method method : type.getDeclaredMethods()) {
                    for (Annotation a : method.getAnnotations()) {
                        String kind = a.annotationType().getSimpleName();
                        if (METHODS.contains(kind) && a.annotationType().getPackageName()
                                .equals("io.micronaut.http.annotation")) {
                            routes.add(new Route(kind.toUpperCase(java.util.Locale.ROOT), join(base, value(a))));
                        }
                    }
                }
            }
        }
        return new ArrayList<>(routes);
    }

    /** An annotation's {@code value}, or its {@code uri} when value is the default "/". */
    private static String value(Annotation a) throws Exception {
        String value = (String) a.annotationType().getMethod("value").invoke(a);
        if (value.equals("/") || value.isEmpty()) {
            try {
                value = (String) a.annotationType().getMethod("uri").invoke(a);
            } catch (NoSuchMethodException none) {
                // @Controller has no uri
            }
        }
        return value;
    }

    private static String join(String base, String path) {
        String joined = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + (path.isEmpty() || path.equals("/") ? "" : path.startsWith("/") ? path : "/" + path);
        return joined.isEmpty() ? "/" : joined;
    }

    /** Spellings of a path that a router, a proxy or a filter may each read their own way. */
    static List<String> spellings(String path) {
        List<String> variants = new ArrayList<>(List.of(path, path + "/", "/" + path, path + "//", path + "?a=b",
                path + ";a=b", path + "/.", "/./" + path.substring(1), "/x/.." + path,
                path.toUpperCase(java.util.Locale.ROOT)));
        int letter = 1;
        while (letter < path.length() && !Character.isLetter(path.charAt(letter))) {
            letter++;
        }
        if (letter < path.length()) {
            variants.add(path.substring(0, letter) + String.format("%%%02X", (int) path.charAt(letter))
                    + path.substring(letter + 1));
        }
        int dash = path.indexOf('-');
        if (dash > 0) {
            variants.add(path.substring(0, dash) + "%2D" + path.substring(dash + 1));
        }
        return variants;
    }

    /** Sends the request line as written (java.net.http would normalise some spellings) and returns the status. */
    static int status(int port, String method, String path, String... headers) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            request.append("\r\n{}");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(64), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }
}
