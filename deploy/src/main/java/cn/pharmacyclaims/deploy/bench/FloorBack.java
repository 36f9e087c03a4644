package cn.pharmacyclaims.deploy.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor's settlement and audit sides (docs/performance.md, "The floor"), in one process: the least work per purchase that
 * keeps it durable. Not exactly once: a redelivered command is skipped by msgId but answered afresh, and with ROWS
 * {@code required} its debit is applied again (doing it right takes a dependent round trip the floor leaves out). A poll of {@code floor.commands} is one database transaction (one row per purchase,
 * request and answer as text, duplicates skipped by msgId, synchronous commit), then each purchase's answer goes to
 * {@code floor.replies} and its decision to {@code floor.decisions}, then the offsets are committed. A poll of
 * {@code floor.decisions} is one more transaction (one row per decision, duplicates skipped). Left out, so the floor stays a
 * lower bound: adjudication and its reads, accounts and accumulators, lines, supplies, the outbox and its relay (here the
 * events are sent after the commit: a dual write no real service may make), the fraud rules.
 *
 * <p>With ROWS {@code required} the same transactions also write the rows the rules require of any implementation, each the
 * cheapest way: the terminal's nonce (SEC, in this transaction instead of the gateway's own), one row per line (CLM-16), the
 * person's account and year accumulator (CLM-12, read once per poll and updated), the outbox row (exactly once) marked
 * published once the broker has acknowledged it, in the next poll's transaction (session 13: before, a second transaction
 * after a flush sat on every poll's path), and on the audit side a window row per decision beside its processed-message
 * row. Still no adjudication, no fraud rule, no framework.
 *
 * <p>{@code PC_FLOOR_BACKS} settle threads (default 1), each with its own consumer of the group and its own connection.
 * Two (as settlement's two consumers) cost more CPU per purchase and were not faster at 500/s (session 13, runs FL4 and
 * FL5). Its producer has no linger (FL6). Usage: FloorBack BOOTSTRAP JDBC_URL USER PASSWORD [plumbing|required]
 */
public final class FloorBack {
    private static final AtomicLong SETL = new AtomicLong();

    private FloorBack() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String url = args[1] + (args[1].contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        // no linger, as settlement's reply producer: the client's default (5 ms) held every answer back that long
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        boolean required = args.length > 4 && args[4].equals("required");
        int backs = Math.max(1, Integer.parseInt(System.getenv().getOrDefault("PC_FLOOR_BACKS", "1")));
        List<Thread> settles = new ArrayList<>();
        for (int b = 0; b < backs; b++) {
            settles.add(new Thread(() -> settle(bootstrap, connect(url, args[2], args[3]), producer, required), "floor-settle-" + b));
        }
        Thread audit = new Thread(() -> audit(bootstrap, connect(url, args[2], args[3]), required), "floor-audit");
        settles.forEach(Thread::start);
        audit.start();
        System.out.println("FLOOR BACK READY");
        for (Thread t : settles) {
            t.join();
        }
    }

    private static Connection connect(String url, String user, String password) {
        try {
            Connection c = DriverManager.getConnection(url, user, password);
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String group, String topic) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500),
                new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    private static void settle(String bootstrap, Connection db, KafkaProducer<String, byte[]> producer, boolean required) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, "floor-settle", FloorFront.COMMANDS);
             PreparedStatement insert = db.prepareStatement(
                     "INSERT INTO floor_settlement (msg_id, psn_no, request, answer) VALUES (?, ?, ?, ?) ON CONFLICT (msg_id) DO NOTHING");
             PreparedStatement accounts = db.prepareStatement("SELECT psn_no, balance FROM floor_account WHERE psn_no = ANY(?)");
             PreparedStatement nonce = db.prepareStatement(
                     "INSERT INTO floor_nonce (terminal_id, nonce) VALUES (?, ?) ON CONFLICT DO NOTHING");
             PreparedStatement line = db.prepareStatement(
                     "INSERT INTO floor_line (msg_id, seq, item_code, amount) VALUES (?, ?, ?, 1.00) ON CONFLICT DO NOTHING");
             PreparedStatement debit = db.prepareStatement("UPDATE floor_account SET balance = balance - 0.01 WHERE psn_no = ?");
             PreparedStatement accumulate = db.prepareStatement(
                     "UPDATE floor_accumulator SET fund_paid = fund_paid + 0.01 WHERE psn_no = ? AND year = 2026");
             PreparedStatement outbox = db.prepareStatement(
                     "INSERT INTO floor_outbox (event_id, msg_key, payload) VALUES (?, ?, ?) ON CONFLICT (event_id) DO NOTHING");
             PreparedStatement published = db.prepareStatement(
                     "UPDATE floor_outbox SET published_at = now() WHERE event_id = ANY(?)")) {
            // outbox rows the broker has acknowledged, marked in the next poll's transaction
            Queue<String> acked = new ConcurrentLinkedQueue<>();
            while (true) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                String[] msgIds = new String[batch.count()];
                String[] persons = new String[batch.count()];
                byte[][] answers = new byte[batch.count()][];
                int i = 0;
                for (ConsumerRecord<String, byte[]> r : batch) {
                    String request = new String(r.value(), StandardCharsets.UTF_8);
                    msgIds[i] = field(request, "msgId");
                    persons[i] = r.key();
                    String answer = "{\"msgId\":\"" + msgIds[i] + "\",\"status\":\"SETTLED\",\"setlId\":\"F" + SETL.incrementAndGet()
                            + "\",\"totals\":{\"total\":\"0.00\",\"fundPay\":\"0.00\",\"accountPay\":\"0.00\",\"cashPay\":\"0.00\"}}";
                    answers[i] = answer.getBytes(StandardCharsets.UTF_8);
                    insert.setString(1, msgIds[i]);
                    insert.setString(2, r.key());
                    insert.setString(3, request);
                    insert.setString(4, answer);
                    insert.addBatch();
                    if (required) {
                        nonce.setString(1, header(r, "terminal"));
                        nonce.setString(2, header(r, "nonce"));
                        nonce.addBatch();
                        int seq = 0;
                        for (int at = request.indexOf("\"itemCode\""); at >= 0; at = request.indexOf("\"itemCode\"", at + 1)) {
                            line.setString(1, msgIds[i]);
                            line.setInt(2, seq++);
                            line.setString(3, field(request.substring(at - 1), "itemCode"));
                            line.addBatch();
                        }
                        debit.setString(1, r.key());
                        debit.addBatch();
                        accumulate.setString(1, r.key());
                        accumulate.addBatch();
                        outbox.setString(1, msgIds[i]);
                        outbox.setString(2, r.key());
                        outbox.setString(3, answer);
                        outbox.addBatch();
                    }
                    i++;
                }
                if (required) {
                    List<String> marks = new ArrayList<>();
                    for (String id = acked.poll(); id != null; id = acked.poll()) {
                        marks.add(id);
                    }
                    if (!marks.isEmpty()) { // the relay's mark of what the broker has
                        published.setArray(1, db.createArrayOf("text", marks.toArray()));
                        published.executeUpdate();
                    }
                    accounts.setArray(1, db.createArrayOf("text", persons));
                    try (ResultSet rs = accounts.executeQuery()) {
                        while (rs.next()) {
                            rs.getBigDecimal(2); // the snapshot adjudication would read
                        }
                    }
                    nonce.executeBatch();
                    line.executeBatch();
                    debit.executeBatch();
                    accumulate.executeBatch();
                    outbox.executeBatch();
                }
                insert.executeBatch();
                db.commit();
                i = 0;
                for (ConsumerRecord<String, byte[]> r : batch) {
                    producer.send(new ProducerRecord<>(FloorFront.REPLIES, msgIds[i], answers[i]));
                    String msgId = msgIds[i];
                    producer.send(new ProducerRecord<>(FloorFront.DECISIONS, r.key(), answers[i]), (md, e) -> {
                        if (e == null && required) {
                            acked.add(msgId);
                        }
                    });
                    i++;
                }
                consumer.commitAsync();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void audit(String bootstrap, Connection db, boolean required) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, "floor-audit", FloorFront.DECISIONS);
             PreparedStatement insert = db.prepareStatement(
                     "INSERT INTO floor_decision (msg_id, psn_no, decision) VALUES (?, ?, ?) ON CONFLICT (msg_id) DO NOTHING");
             PreparedStatement window = db.prepareStatement(
                     "INSERT INTO floor_window (msg_id, psn_no) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            while (true) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> r : batch) {
                    String decision = new String(r.value(), StandardCharsets.UTF_8);
                    insert.setString(1, field(decision, "msgId"));
                    insert.setString(2, r.key());
                    insert.setString(3, decision);
                    insert.addBatch();
                    if (required) {
                        window.setString(1, field(decision, "msgId"));
                        window.setString(2, r.key());
                        window.addBatch();
                    }
                }
                insert.executeBatch();
                if (required) {
                    window.executeBatch();
                }
                db.commit();
                consumer.commitAsync();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The first string field of that name in a JSON object written by the load generator or by this class (no parser: a
     * floor); in those bodies the wanted field comes before any nested one of the same name.
     */
    static String field(String json, String name) {
        String key = "\"" + name + "\"";
        int k = json.indexOf(key);
        if (k < 0) {
            return null;
        }
        int start = json.indexOf('"', json.indexOf(':', k + key.length()) + 1);
        return json.substring(start + 1, json.indexOf('"', start + 1));
    }
}
