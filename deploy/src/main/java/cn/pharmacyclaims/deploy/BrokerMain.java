package cn.pharmacyclaims.deploy;

import cn.pharmacyclaims.testinfra.RealKafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The Kafka broker of the local run, as a process of its own (so its CPU and memory are its own):
 * a single KRaft node on 127.0.0.1, data kept in the given directory across restarts.
 * Usage: BrokerMain LOG_DIR PORT
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path logDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        RealKafka kafka = RealKafka.start(logDir, port);
        kafka.createTopics();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stop.countDown();
        }));
        System.out.println("BROKER READY " + kafka.bootstrapServers());
        stop.await();
    }
}
