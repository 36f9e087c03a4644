package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Answers a command on {@code gateway.replies}, key commandId, after its transaction committed.
 * The reply is a notification, not state: if it is lost the POS polls the query API (and a
 * redelivered command is answered again from the stored result), so a failed send is logged only.
 */
@ApplicationScoped
public class ReplySender {
    private static final Logger LOG = Logger.getLogger(ReplySender.class);

    private final MutinyEmitter<String> emitter;
    private final SettlementConfig config;

    public ReplySender(@Channel("gateway-replies") MutinyEmitter<String> emitter, SettlementConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    public Uni<Void> send(SettlementReply reply) {
        if (reply.commandId() == null) {
            return Uni.createFrom().voidItem(); // nobody waits for an anonymous command
        }
        Message<String> message = Message.of(Json.write(reply)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(reply.commandId())
                .withTopic(config.replyTopic())
                .build());
        return emitter.sendMessage(message)
                .onFailure().invoke(f -> LOG.warnf("reply to command %s not sent (the POS will poll): %s", reply.commandId(), f.toString()))
                .onFailure().recoverWithNull();
    }
}
