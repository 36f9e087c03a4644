package cn.pharmacyclaims.deploy;

import cn.pharmacyclaims.testinfra.RealPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole system on this machine: a real PostgreSQL server (embedded binaries, in this JVM's
 * care), a real Kafka broker (a child JVM), and the four services, each a child JVM running its
 * packaged Quarkus application. Used by the local run ({@link Main}) and the system test.
 */
public final class LocalStack implements AutoCloseable {

    public enum Service {
        GATEWAY("pharmacy-gateway", "gateway"),
        SETTLEMENT("settlement-service", "settlement"),
        AGREEMENT("agreement-service", "agreement"),
        AUDIT("audit-service", "audit");

        public final String module;
        final String database;

        Service(String module, String database) {
            this.module = module;
            this.database = database;
        }
    }

    /**
     * Where things live and which ports they use; 0 for any free port. {@code extraServiceArgs}: JVM
     * arguments added to one service's command line (the benchmark raises the gateway's per-terminal
     * rate this way), never a change of the services' own configuration.
     */
    public record Options(Path projectRoot, Path home, boolean fresh, int pgPort, int kafkaPort,
                          Map<Service, Integer> ports, String serviceHeap, Map<Service, List<String>> extraServiceArgs) {
        public Options(Path projectRoot, Path home, boolean fresh, int pgPort, int kafkaPort,
                       Map<Service, Integer> ports, String serviceHeap) {
            this(projectRoot, home, fresh, pgPort, kafkaPort, ports, serviceHeap, Map.of());
        }

        public static Options local(Path projectRoot, boolean fresh) {
            Map<Service, Integer> ports = new LinkedHashMap<>();
            ports.put(Service.GATEWAY, 8080);
            ports.put(Service.SETTLEMENT, 8081);
            ports.put(Service.AGREEMENT, 8082);
            ports.put(Service.AUDIT, 8083);
            return new Options(projectRoot, projectRoot.resolve(".local"), fresh, 55432, 59092, ports, "256m");
        }
    }

    private final Options options;
    private final Map<Service, Integer> ports = new LinkedHashMap<>();
    private final Map<Service, ManagedProcess> services = new LinkedHashMap<>();
    private RealPostgres postgres;
    private ManagedProcess broker;
    private String bootstrap;

    private LocalStack(Options options) {
        this.options = options;
    }

    public static LocalStack start(Options options) {
        LocalStack stack = new LocalStack(options);
        try {
            stack.boot();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void boot() {
        Path home = options.home();
        if (options.fresh()) {
            deleteTree(home.resolve("pg"));
            deleteTree(home.resolve("kafka"));
            deleteTree(home.resolve("state"));
        }
        mkdirs(home.resolve("logs"));
        mkdirs(home.resolve("state"));
        for (Service s : Service.values()) {
            Path jar = serviceJar(s);
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build first (./mvnw install -DskipTests)");
            }
        }

        log("starting PostgreSQL");
        postgres = RealPostgres.start(home.resolve("pg"), options.pgPort());
        for (Service s : Service.values()) {
            postgres.createDatabase(s.database);
        }

        int kafkaPort = options.kafkaPort() > 0 ? options.kafkaPort() : cn.pharmacyclaims.testinfra.FreePorts.next();
        bootstrap = "127.0.0.1:" + kafkaPort;
        log("starting Kafka broker on " + bootstrap);
        broker = ManagedProcess.start("kafka", ManagedProcess.java("kafka", "512m", System.getProperty("java.class.path"), false,
                List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager"),
                BrokerMain.class.getName(), List.of(home.resolve("kafka").toAbsolutePath().toString(),
                        Integer.toString(kafkaPort))), home.resolve("logs"));
        broker.awaitLogLine("BROKER READY", Duration.ofSeconds(90));

        for (Service s : Service.values()) {
            int p = options.ports().getOrDefault(s, 0);
            ports.put(s, p > 0 ? p : cn.pharmacyclaims.testinfra.FreePorts.next());
        }
        // settlement first: the gateway forwards queries to it
        for (Service s : List.of(Service.AGREEMENT, Service.SETTLEMENT, Service.AUDIT, Service.GATEWAY)) {
            log("starting " + s.module + " on port " + ports.get(s));
            services.put(s, ManagedProcess.start(s.module, ManagedProcess.java(s.module, options.serviceHeap(),
                    serviceJar(s).toString(), true, serviceProperties(s), null, List.of()), home.resolve("logs")));
        }
        for (Map.Entry<Service, ManagedProcess> e : services.entrySet()) {
            e.getValue().awaitReady(url(e.getKey()), Duration.ofSeconds(180));
        }
        log("all services ready");
    }

    private List<String> serviceProperties(Service s) {
        List<String> p = new ArrayList<>();
        p.add("-Dquarkus.http.port=" + ports.get(s));
        p.add("-Dquarkus.datasource.username=" + postgres.user());
        p.add("-Dquarkus.datasource.password=" + postgres.password());
        p.add("-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(s.database));
        p.add("-Dquarkus.datasource.reactive.url=" + postgres.reactiveUrl(s.database));
        p.add("-Dkafka.bootstrap.servers=" + bootstrap);
        p.add("-Dquarkus.rest-client.settlement.url=" + url(Service.SETTLEMENT));
        p.addAll(options.extraServiceArgs().getOrDefault(s, List.of()));
        return p;
    }

    private Path serviceJar(Service s) {
        return options.projectRoot().resolve(s.module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public String url(Service s) {
        return "http://localhost:" + ports.get(s);
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public Path home() {
        return options.home();
    }

    public RealPostgres postgres() {
        return postgres;
    }

    /** Process ids by name (kafka and each service), for the benchmark's CPU and memory readings. */
    public Map<String, Long> pids() {
        Map<String, Long> m = new LinkedHashMap<>();
        if (broker != null) {
            m.put("kafka", broker.pid());
        }
        services.forEach((s, p) -> m.put(s.module, p.pid()));
        return m;
    }

    /** Kills one service without warning and starts it again (crash tests). */
    public void crashAndRestart(Service s) {
        ManagedProcess p = services.get(s);
        p.kill();
        ManagedProcess restarted = ManagedProcess.start(s.module, ManagedProcess.java(s.module, options.serviceHeap(),
                serviceJar(s).toString(), true, serviceProperties(s), null, List.of()), options.home().resolve("logs"));
        services.put(s, restarted);
        restarted.awaitReady(url(s), Duration.ofSeconds(180));
    }

    @Override
    public void close() {
        List<Service> order = new ArrayList<>(services.keySet());
        java.util.Collections.reverse(order);
        for (Service s : order) {
            services.get(s).close();
        }
        services.clear();
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    static void log(String msg) {
        System.out.println("[local] " + msg);
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
