package com.todo.local;

import com.todo.events.EventType;
import com.todo.function.EventHandler;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layer rules of the production code (docs/architecture.md, "The layout"), held over every production module: this
 * module depends on them all. The catalog knows nothing else; the function kit only the catalog; the libraries are
 * used by deployables; no deployable uses another; only local mode composes them. And a function's name is spelled by
 * the catalog and its own module only: everything else derives it from {@link EventType}.
 */
class ArchitectureTest {

    static final String CATALOG = "com.todo.events..";
    static final String KIT = "com.todo.function..";
    static final String[] LIBRARIES = {"com.todo.dapr..", "com.todo.domain..", "com.todo.reminders..",
            "com.todo.embedded.."};
    static final String COMPOSITION = "com.todo.local..";

    /** Each catalog function's name → its module's package (functions/task-created holds com.todo.taskcreated). */
    static final Map<String, String> FUNCTIONS = new TreeMap<>();

    static {
        Arrays.stream(EventType.values()).flatMap(t -> t.handler().stream())
                .forEach(f -> FUNCTIONS.put(f, "com.todo." + f.replace("-", "")));
    }

    static final String[] DEPLOYABLES = Stream.concat(Stream.of("com.todo.taskapi", "com.todo.gateway"),
            FUNCTIONS.values().stream()).map(p -> p + "..").toArray(String[]::new);

    static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.todo");
    }

    @Test
    void theLayersDependDownwardOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Catalog").definedBy(CATALOG)
                .layer("Kit").definedBy(KIT)
                .layer("Libraries").definedBy(LIBRARIES)
                .layer("Deployables").definedBy(DEPLOYABLES)
                .layer("Composition").definedBy(COMPOSITION)
                .whereLayer("Catalog").mayNotAccessAnyLayer()
                .whereLayer("Kit").mayOnlyAccessLayers("Catalog")
                .whereLayer("Libraries").mayOnlyAccessLayers("Catalog", "Kit")
                .whereLayer("Deployables").mayOnlyBeAccessedByLayers("Composition")
                .whereLayer("Composition").mayNotBeAccessedByAnyLayer()
                .check(production);
    }

    @Test
    void noDeployableUsesAnother() {
        for (String deployable : DEPLOYABLES) {
            String[] others = Arrays.stream(DEPLOYABLES).filter(d -> !d.equals(deployable)).toArray(String[]::new);
            noClasses().that().resideInAPackage(deployable).should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(production);
        }
    }

    /**
     * What every scale from zero would pay for (docs/benchmarks.md, "Same-run comparisons"): the JDK's HttpClient (a
     * client initializes the JDK's TLS and a selector thread, ~450 classes), the Dapr SDK's client and Reactor (a
     * second layer over the generated gRPC stubs). Only the always-on gateway and local mode use the HttpClient.
     */
    @Test
    void noFunctionStartsTheJdkHttpClientOrTheDaprSdkClient() {
        String[] functionCode = Stream.concat(Stream.of(KIT, "com.todo.taskapi.."),
                Stream.concat(Arrays.stream(LIBRARIES), FUNCTIONS.values().stream().map(p -> p + "..")))
                .toArray(String[]::new);
        noClasses().that().resideInAnyPackage(functionCode).should().dependOnClassesThat()
                .resideInAnyPackage("java.net.http..", "io.dapr.client..", "reactor..")
                .check(production);
    }

    @Test
    void eachCatalogFunctionIsOneHandlerInItsOwnModule() {
        for (Map.Entry<String, String> function : FUNCTIONS.entrySet()) {
            List<String> handlers = production.stream()
                    .filter(c -> c.isAssignableTo(EventHandler.class) && !c.isInterface())
                    .filter(c -> c.getPackageName().equals(function.getValue()))
                    .filter(c -> !c.getName().contains("$")) // Micronaut's generated definitions and proxies
                    .map(JavaClass::getSimpleName).toList();
            assertEquals(1, handlers.size(), function.getKey() + " (" + function.getValue() + "): " + handlers);
        }
    }

    @Test
    void onlyTheCatalogAndAFunctionsOwnModuleNameTheFunction() {
        classes().that().resideOutsideOfPackage(CATALOG).should(notSpellAnotherModulesFunction()).check(production);
    }

    /**
     * No function's name as a whole word in any constant of the class file — a string, an annotation's value, a route
     * — but the one of the class's own module. A class file's constants are modified UTF-8, which spells an ASCII name
     * as its ASCII bytes.
     */
    static ArchCondition<JavaClass> notSpellAnotherModulesFunction() {
        return new ArchCondition<>("not spell the name of a function other than their module's own") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                byte[] bytes = classFile(type);
                for (Map.Entry<String, String> function : FUNCTIONS.entrySet()) {
                    if (type.getPackageName().startsWith(function.getValue())) {
                        continue;
                    }
                    byte[] word = function.getKey().getBytes(StandardCharsets.US_ASCII);
                    for (int i = indexOf(bytes, word, 0); i >= 0; i = indexOf(bytes, word, i + 1)) {
                        if (!wordChar(bytes, i - 1) && !wordChar(bytes, i + word.length)) {
                            events.add(SimpleConditionEvent.violated(type, type.getName() + " spells \""
                                    + function.getKey() + "\": derive it from the catalog (EventType)"));
                            break;
                        }
                    }
                }
            }
        };
    }

    private static byte[] classFile(JavaClass type) {
        try (InputStream in = type.getSource().orElseThrow().getUri().toURL().openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean wordChar(byte[] bytes, int at) {
        if (at < 0 || at >= bytes.length) {
            return false;
        }
        byte b = bytes[at];
        return b == '-' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    }

    private static int indexOf(byte[] bytes, byte[] word, int from) {
        outer:
        for (int i = from; i <= bytes.length - word.length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (bytes[i + j] != word[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
