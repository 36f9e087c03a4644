package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;


/**
 * Answers a command on {@code gateway.replies}, key commandId, after its transaction committed.
 * The reply is a notification, not state: if it is lost the POS polls the query API (and a
 * redelivered command is answered again from the stored result), so it is handed to the producer
 * and not waited for (the consumer goes on with the next command at once), and a failed send is
 * logged only. A plain producer: it buffers (and, if ever full, blocks briefly) rather than
 * dropping, and costs less per record than an emitter channel.
 */
@ApplicationScoped
public class ReplySender {
    private static final Logger LOG = Logger.getLogger(ReplySender.class);

    private final SettlementConfig config;
    private final String bootstrapServers;
    private volatile KafkaProducer<String, String> producer;

    public ReplySender(SettlementConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent ev) {
        producer = Producers.create(bootstrapServers, "settlement-replies", false);
    }

    void stop(@Observes ShutdownEvent ev) {
        KafkaProducer<String, String> p = producer;
        producer = null;
        Producers.close(p);
    }

    public void send(SettlementReply reply) {
        KafkaProducer<String, String> p = producer;
        if (reply.commandId() == null || p == null) {
            return; // nobody waits for an anonymous command; stopping: the POS polls
        }
        try {
            p.send(new ProducerRecord<>(config.replyTopic(), reply.commandId(), Json.write(reply)), (md, ex) -> {
                if (ex != null) {
                    LOG.warnf("reply to command %s not sent (the POS will poll): %s", reply.commandId(), ex.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("reply to command %s not sent (the POS will poll): %s", reply.commandId(), e.toString());
        }
    }
}
