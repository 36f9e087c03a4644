package cn.pharmacyclaims.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The local run: {@code ./run.sh [--fresh] [--size tiny|small|city]}. Starts PostgreSQL, the Kafka
 * broker and the four services, loads the demo registry on the first run (or with --fresh), prints
 * the URLs and a purchase to try, and stops everything on Ctrl-C.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        boolean fresh = false;
        String size = "small";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fresh" -> fresh = true;
                case "--size" -> size = args[++i];
                case "--help", "-h" -> {
                    System.out.println("usage: ./run.sh [--fresh] [--size tiny|small|city]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path root = Path.of(System.getProperty("pc.project.root", ".")).toAbsolutePath().normalize();
        LocalStack stack = LocalStack.start(LocalStack.Options.local(root, fresh));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LocalStack.log("stopping");
            stack.close();
            stopped.countDown();
        }));

        Path state = stack.home().resolve("state");
        Path terminalsFile = state.resolve("terminals.csv");
        Path loaded = state.resolve("demo-loaded");
        AdminClient admin = new AdminClient("local-admin", "admin", "agency-officer", "auditor", "finance-maker");
        List<PosClient.Terminal> terminals;
        if (Files.exists(loaded) && Files.exists(terminalsFile)) {
            LocalStack.log("reusing the data of the previous run (--fresh starts over)");
            terminals = DemoData.readTerminals(terminalsFile);
        } else {
            LocalStack.log("loading the " + size + " demo registry through the admin imports");
            terminals = new DemoData(DemoData.Size.named(size)).load(stack, admin, terminalsFile);
            Files.writeString(loaded, size);
        }
        writeStackProperties(stack, state, admin);

        PosClient.Terminal demo = terminals.stream().filter(t -> t.pharmacyCode().equals(DemoData.DEMO_PHARMACY))
                .findFirst().orElse(terminals.get(0));
        PosClient pos = new PosClient(stack.url(LocalStack.Service.GATEWAY), demo);
        awaitEndToEnd(pos);

        int persons = DemoData.Size.named(Files.readString(loaded).trim()).persons();
        int someone = 2 + new java.util.Random().nextInt(persons - 2);
        String body = DemoData.purchase(pos.newMsgId(), demo.pharmacyCode(), DemoData.psnNo(someone), DemoData.certNo(someone),
                DemoData.ITEM_COLD_REMEDY, "1", "18.00");
        System.out.println();
        System.out.println("pharmacy-claims is running");
        for (LocalStack.Service s : LocalStack.Service.values()) {
            System.out.printf("  %-19s %s   (OpenAPI %s/q/openapi, metrics %s/q/metrics)%n", s.module, stack.url(s),
                    stack.url(s), stack.url(s));
        }
        System.out.println("  Kafka broker        " + stack.bootstrapServers());
        System.out.println("  PostgreSQL          " + stack.postgres().jdbcUrl("settlement") + " (user postgres; databases gateway, settlement, agreement, audit)");
        System.out.println("  logs                " + stack.home().resolve("logs"));
        System.out.println("  staff token (admin) " + state.resolve("admin.token"));
        System.out.println();
        System.out.println("Try a purchase at the counter (signs and sends a new request each time):");
        System.out.println("  ./pos.sh purchase            # a demo person buys a cold remedy (class B, over the payment standard)");
        System.out.println("  ./pos.sh rx                  # the chronic demo person buys amlodipine on an e-prescription");
        System.out.println("  ./pos.sh non-medical         # rejected NON_MEDICAL_ITEM, raises an AUD-01 alert");
        System.out.println("  ./pos.sh alerts              # the auditor's view of the alerts");
        System.out.println();
        System.out.println("Or paste this signed curl (valid 5 minutes, once: SEC-01):");
        System.out.println(pos.curl("/api/v1/settlements", body));
        System.out.println();
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
    }

    /** The gateway learns terminals and settlement learns pharmacies from Kafka: wait until a preview goes through. */
    private static void awaitEndToEnd(PosClient pos) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        PosClient.Response last = null;
        while (System.nanoTime() < deadline) {
            String body = DemoData.purchase(pos.newMsgId(), pos.terminal().pharmacyCode(), DemoData.DEMO_PSN,
                    DemoData.DEMO_CERT, DemoData.ITEM_COLD_REMEDY, "1", "18.00");
            last = pos.post("/api/v1/settlements/preview", body);
            if (last.status() == 200 && !last.body().contains("PHARMACY_UNKNOWN") && !last.body().contains("TERMINAL_PHARMACY_MISMATCH")) {
                LocalStack.log("end-to-end path ready (preview answered " + last.status() + ")");
                return;
            }
            Thread.sleep(500);
        }
        LocalStack.log("warning: the preview probe did not succeed: " + (last == null ? "no answer" : last.status() + " " + last.body()));
    }

    private static void writeStackProperties(LocalStack stack, Path state, AdminClient admin) throws IOException {
        Properties p = new Properties();
        for (LocalStack.Service s : LocalStack.Service.values()) {
            p.setProperty(s.module + ".url", stack.url(s));
        }
        p.setProperty("kafka.bootstrap.servers", stack.bootstrapServers());
        try (var out = Files.newBufferedWriter(state.resolve("stack.properties"))) {
            p.store(out, "written by the local run; read by pos.sh");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Files.writeString(state.resolve("admin.token"), admin.token());
    }
}
