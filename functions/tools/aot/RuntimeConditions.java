import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.AnnotationMetadataProvider;
import io.micronaut.core.annotation.AnnotationValue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Writes the Micronaut AOT configuration of one deployable's runnable jar: functions/tools/aot/aot.properties plus the
 * services whose bean conditions only the running process can decide.
 *
 * <p>AOT's static service list evaluates every {@code @Requires} at build time, against the build machine's
 * configuration, and leaves out the beans that fail there: a bean that needs {@code dapr.http.port}, a datasource, an
 * environment, a JDK version or the absence of another bean would be missing from the jar whatever the pod's
 * environment says. Such services are forced into the list ({@code serviceloading.force.include.impls}); Micronaut
 * then evaluates their conditions at start, as it does without AOT. Only conditions on the classpath alone
 * ({@code classes}, {@code missingClasses}), which the jar fixes, stay decided at build time.
 *
 * <p>Run in source-file mode with the deployable's runtime classpath:
 * {@code java -cp <classpath> RuntimeConditions.java <base properties> <output properties>}.
 */
public final class RuntimeConditions {

    /** Requirement members whose answer the jar's own classpath fixes. */
    private static final Set<String> CLASSPATH_ONLY = Set.of("classes", "missingClasses", "missing");
    private static final String SERVICE_TYPES = "service.types=";
    private static final String FORCE_INCLUDE = "serviceloading.force.include.impls";

    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0]);
        Path output = Path.of(args[1]);
        List<String> lines = Files.readAllLines(base, StandardCharsets.UTF_8);
        if (lines.stream().anyMatch(l -> l.startsWith(FORCE_INCLUDE))) {
            throw new IllegalArgumentException(base + " must not set " + FORCE_INCLUDE + ": it is computed");
        }
        List<String> serviceTypes = lines.stream().filter(l -> l.startsWith(SERVICE_TYPES)).findFirst()
                .map(l -> Arrays.asList(l.substring(SERVICE_TYPES.length()).split(",")))
                .orElseThrow(() -> new IllegalArgumentException(base + " lists no " + SERVICE_TYPES));
        List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        TreeSet<String> runtime = new TreeSet<>();
        int services = 0;
        for (String type : serviceTypes) {
            for (String implementation : implementations(classpath, type.trim())) {
                services++;
                if (decidedAtRunTime(implementation)) {
                    runtime.add(implementation);
                }
            }
        }
        List<String> out = new ArrayList<>(lines);
        out.add("# computed by functions/tools/aot/RuntimeConditions.java: services whose conditions the running process decides");
        out.add(FORCE_INCLUDE + "=" + String.join(",", runtime));
        Files.createDirectories(output.getParent());
        Files.write(output, out, StandardCharsets.UTF_8);
        System.out.printf("AOT: %d of %d services have conditions decided at run time (%s)%n", runtime.size(),
                services, output);
    }

    /** @return whether any of the class's requirements depends on more than the classpath */
    static boolean decidedAtRunTime(String implementation) {
        Object instance;
        try {
            Class<?> type = Class.forName(implementation, false, RuntimeConditions.class.getClassLoader());
            if (!AnnotationMetadataProvider.class.isAssignableFrom(type)) {
                return false; // AOT checks no condition on it
            }
            instance = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return false; // cannot load here, so AOT leaves it out, as Micronaut would at run time
        }
        for (AnnotationValue<Requires> requires : ((AnnotationMetadataProvider) instance).getAnnotationMetadata()
                .getAnnotationValuesByType(Requires.class)) {
            if (!CLASSPATH_ONLY.containsAll(requires.getValues().keySet().stream().map(Object::toString).toList())) {
                return true;
            }
        }
        return false;
    }

    /** What Micronaut's service loader would find: META-INF/micronaut/type/name entries and META-INF/services/type. */
    static List<String> implementations(List<String> classpath, String type) throws IOException {
        String folder = "META-INF/micronaut/" + type + "/";
        String listing = "META-INF/services/" + type;
        List<String> names = new ArrayList<>();
        for (String element : classpath) {
            Path path = Path.of(element);
            if (Files.isDirectory(path)) {
                Path dir = path.resolve(folder);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.map(f -> f.getFileName().toString()).forEach(names::add);
                    }
                }
                Path services = path.resolve(listing);
                if (Files.isRegularFile(services)) {
                    names.addAll(listed(Files.readString(services, StandardCharsets.UTF_8)));
                }
            } else if (Files.isRegularFile(path) && element.endsWith(".jar")) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    jar.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith(folder) && n.length() > folder.length() && !n.endsWith("/"))
                            .map(n -> n.substring(folder.length())).forEach(names::add);
                    var services = jar.getJarEntry(listing);
                    if (services != null) {
                        try (InputStream in = jar.getInputStream(services)) {
                            names.addAll(listed(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                        }
                    }
                }
            }
        }
        return names;
    }

    private static List<String> listed(String servicesFile) {
        return servicesFile.lines().map(l -> l.replaceFirst("#.*", "").trim()).filter(l -> !l.isEmpty()).toList();
    }
}
