package com.todo.platform;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), started as
 * bin/kafka-server-start.sh starts it, with the cluster's security: one SASL_PLAINTEXT listener with SCRAM-SHA-512
 * users (docs/deploy.md). Its log and the users' passwords stay in {@code dataDir}, so a restart keeps topics and
 * offsets.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The apps' user (the {@code kafka} secret's username); {@code admin} is the broker's own. */
    public static final String APP_USER = "todo";

    private final ChildProcess process;
    private final int port;
    private final Properties passwords;

    private KafkaBroker(ChildProcess process, int port, Properties passwords) {
        this.process = process;
        this.port = port;
        this.passwords = passwords;
    }

    public static KafkaBroker start(Platform platform, Path dataDir, Path log) {
        try {
            ClusterTopology.mkdirs(dataDir); // its config holds the admin password
            Properties passwords = passwords(dataDir.resolve("users.properties"));
            int port = ChildProcess.freePort();
            int controller = ChildProcess.freePort();
            Path config = dataDir.resolve("server.properties");
            Files.writeString(config, serverProperties(dataDir.resolve("log"), port, controller, passwords));
            Path logging = dataDir.resolve("log4j2.properties");
            Files.writeString(logging, LOGGING);
            String classpath = platform.kafkaLib() + "/*";
            if (!Files.exists(dataDir.resolve("log/meta.properties"))) {
                format(classpath, config, logging, passwords, log.resolveSibling("kafka-format.log"));
            }
            ChildProcess process = ChildProcess.start("kafka", List.of(java(), "-Xms128m", "-Xmx512m",
                    "-Dlog4j2.configurationFile=" + logging, "-cp", classpath, "kafka.Kafka", config.toString()),
                    Map.of(), log);
            KafkaBroker broker = new KafkaBroker(process, port, passwords);
            broker.awaitListening(Duration.ofSeconds(90));
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The passwords of admin and the apps' user: generated once per data folder, readable by its owner only. */
    private static Properties passwords(Path file) throws IOException {
        Properties passwords = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                passwords.load(in);
            }
            return passwords;
        }
        SecureRandom random = new SecureRandom();
        for (String user : List.of("admin", APP_USER)) {
            byte[] bytes = new byte[18];
            random.nextBytes(bytes);
            passwords.setProperty(user, HexFormat.of().formatHex(bytes));
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newOutputStream(file)) {
            passwords.store(out, "SCRAM-SHA-512 users of the local broker");
        }
        return passwords;
    }

    private static String serverProperties(Path logDir, int port, int controller, Properties passwords) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "security.inter.broker.protocol=SASL_PLAINTEXT",
                "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + jaas("admin", passwords),
                "log.dirs=" + logDir,
                "num.partitions=1",
                // topics are provisioned (dapr-components/topics.md), as in the cluster
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0", "");
    }

    private static String jaas(String user, Properties passwords) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + passwords.getProperty(user) + "\";";
    }

    private static void format(String classpath, Path config, Path logging, Properties passwords, Path log) {
        List<String> command = new ArrayList<>(List.of(java(), "-Dlog4j2.configurationFile=" + logging, "-cp", classpath,
                "kafka.tools.StorageTool", "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()));
        for (String user : passwords.stringPropertyNames()) {
            command.addAll(List.of("--add-scram",
                    "SCRAM-SHA-512=[name=" + user + ",password=" + passwords.getProperty(user) + "]"));
        }
        ChildProcess storage = ChildProcess.start("kafka-storage-format", command, Map.of(), log);
        int exit = storage.awaitExit(Duration.ofSeconds(60));
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed (" + exit + "):\n" + storage.tail(20));
        }
    }

    /** Waits until the broker answers its admin user (after a start or a restart). */
    public void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kafka exited with " + process.awaitExit(Duration.ZERO) + ":\n"
                        + process.tail(40));
            }
            try (Admin admin = Admin.create(clientProperties("admin"))) {
                admin.describeCluster().nodes().get();
                return;
            } catch (ExecutionException | RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("kafka did not answer within " + timeout + ":\n" + process.tail(40));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            ChildProcess.sleep(250);
        }
    }

    /** Creates the topics that do not exist yet, with their partition counts. */
    public void createTopics(Map<String, Integer> partitions) {
        try (Admin admin = Admin.create(clientProperties("admin"))) {
            var existing = admin.listTopics().names().get();
            List<NewTopic> topics = partitions.entrySet().stream().filter(t -> !existing.contains(t.getKey()))
                    .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1)).toList();
            admin.createTopics(topics).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topics " + partitions.keySet(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A consumer group as its coordinator sees it: its state and, for each member, the partitions it holds. */
    public record Group(String state, Map<String, Set<TopicPartition>> members) {

        public int partitionsHeld() {
            return members.values().stream().mapToInt(Set::size).sum();
        }
    }

    public Group describeGroup(String groupId) {
        try (Admin admin = Admin.create(clientProperties("admin"))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
            Map<String, Set<TopicPartition>> members = new TreeMap<>();
            group.members().forEach(m -> members.put(m.consumerId(), Set.copyOf(m.assignment().topicPartitions())));
            return new Group(group.groupState().toString(), members);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not describe the consumer group " + groupId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Client settings for a user of this broker (SASL/SCRAM over plaintext). */
    public Properties clientProperties(String user) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap());
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", "SCRAM-SHA-512");
        properties.put("sasl.jaas.config", jaas(user, passwords));
        properties.put("request.timeout.ms", "5000");
        properties.put("default.api.timeout.ms", "10000");
        return properties;
    }

    /** The first record on {@code topic} (from its start) that {@code wanted} accepts, read as the apps' user. */
    public ConsumerRecord<String, String> awaitRecord(String topic, Predicate<ConsumerRecord<String, String>> wanted,
                                                      Duration within) {
        Properties props = clientProperties(APP_USER);
        props.put("group.id", "reader-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (wanted.test(r)) {
                        return r;
                    }
                }
            }
        }
        throw new IllegalStateException("no such record on " + topic + " within " + within);
    }

    /** Every record on {@code topic} now, from its start, read as the apps' user. */
    public List<ConsumerRecord<String, String>> records(String topic) {
        Properties props = clientProperties(APP_USER);
        props.put("group.id", "reader-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public String password(String user) {
        return passwords.getProperty(user);
    }

    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    private static final String LOGGING = String.join("\n",
            "rootLogger.level=INFO",
            "rootLogger.appenderRef.out.ref=out",
            "appender.out.type=Console",
            "appender.out.name=out",
            "appender.out.layout.type=PatternLayout",
            "appender.out.layout.pattern=[%d] %p %m (%c)%n",
            "logger.kafka.name=kafka",
            "logger.kafka.level=WARN",
            "logger.clients.name=org.apache.kafka",
            "logger.clients.level=WARN",
            "logger.controller.name=org.apache.kafka.controller",
            "logger.controller.level=WARN", "");
}
