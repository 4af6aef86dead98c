package com.todo.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cluster's own Subscription files (dapr-components/subscriptions/*.yaml), read and compiled with CEL as daprd
 * does: rules in order, first match wins, else the default route, else none (dead letter). An expression CEL cannot
 * compile is an error at startup, never a silently skipped rule.
 */
public final class LocalSubscriptions {

    /** One compiled rule. */
    private record Rule(String expression, CelRuntime.Program program, String path) {
    }

    /** One topic's routing. */
    private record Routing(String pubsub, List<Rule> rules, String defaultPath, String deadLetterTopic) {
    }

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("event", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final Map<String, Routing> byTopic;

    private LocalSubscriptions(Map<String, Routing> byTopic) {
        this.byTopic = byTopic;
    }

    /** @throws IllegalStateException naming the file and expression that cannot be used */
    public static LocalSubscriptions load(Path dir) {
        Map<String, Routing> byTopic = new HashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode s = yaml.readTree(file.toFile());
                if (!"Subscription".equals(s.path("kind").asText())) {
                    continue;
                }
                JsonNode spec = s.path("spec");
                List<Rule> rules = new ArrayList<>();
                for (JsonNode rule : spec.path("routes").path("rules")) {
                    String expression = rule.path("match").asText();
                    rules.add(new Rule(expression, compile(file, expression), rule.path("path").asText()));
                }
                String defaultPath = spec.path("routes").path("default").asText(null);
                byTopic.put(spec.path("topic").asText(), new Routing(spec.path("pubsubname").asText(), rules,
                        defaultPath, spec.path("deadLetterTopic").asText(null)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the subscriptions in " + dir, e);
        }
        if (byTopic.isEmpty()) {
            throw new IllegalStateException("no Subscription in " + dir);
        }
        return new LocalSubscriptions(byTopic);
    }

    private static CelRuntime.Program compile(Path file, String expression) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return RUNTIME.createProgram(ast);
        } catch (dev.cel.common.CelException e) {
            throw new IllegalStateException(file.getFileName() + ": cannot evaluate the rule '" + expression + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param envelope the delivered envelope as a map (CEL's {@code event})
     * @return the route path, or empty when nothing matches and there is no default (the message is dead-lettered)
     */
    public Optional<String> route(String topic, Map<String, Object> envelope) {
        Routing routing = byTopic.get(topic);
        if (routing == null) {
            return Optional.empty();
        }
        for (Rule rule : routing.rules()) {
            try {
                if (Boolean.TRUE.equals(rule.program().eval(Map.of("event", envelope)))) {
                    return Optional.of(rule.path());
                }
            } catch (CelEvaluationException e) {
                // daprd treats a rule that fails on this event as not matching
            }
        }
        return Optional.ofNullable(routing.defaultPath());
    }

    /** The topic's dead-letter topic, if its Subscription names one. */
    public Optional<String> deadLetterTopic(String topic) {
        return Optional.ofNullable(byTopic.get(topic)).map(Routing::deadLetterTopic);
    }

    public boolean subscribed(String topic) {
        return byTopic.containsKey(topic);
    }
}
