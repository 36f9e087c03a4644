package cn.pharmacyclaims.agreement.publish;

import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.platform.outbox.Outbox;
import cn.pharmacyclaims.platform.outbox.OutboxMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * SEC-01: the terminal registry on the compacted {@code agreement.terminals} topic (key terminalId).
 * The secret travels only as the ciphertext stored in the database; the clear secret never leaves
 * the registration or rotation answer.
 */
@ApplicationScoped
public class TerminalEvents {
    private final Outbox outbox;

    public TerminalEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> add(SqlClient tx, TerminalChanged event) {
        return outbox.add(tx, message(event));
    }

    public static OutboxMessage message(TerminalChanged e) {
        return new OutboxMessage("terminal:" + e.terminalId() + ":" + e.version(), Topics.TERMINALS, e.terminalId(), Json.write(e));
    }
}
