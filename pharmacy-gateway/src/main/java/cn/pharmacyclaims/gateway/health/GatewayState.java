package cn.pharmacyclaims.gateway.health;

import cn.pharmacyclaims.gateway.command.CommandProducer;
import cn.pharmacyclaims.gateway.config.InstanceId;
import cn.pharmacyclaims.gateway.reply.ReplyConsumer;
import cn.pharmacyclaims.gateway.terminal.TerminalRegistry;
import cn.pharmacyclaims.gateway.terminal.TerminalRegistryConsumer;
import jakarta.inject.Singleton;

/**
 * Whether this instance can answer a POS correctly: the terminal registry has read
 * {@code agreement.terminals} up to where it stood at start (else registered terminals would be
 * refused as unknown), and the replies consumer has its partitions with pinned positions (else a
 * reply could go by unseen and every call would end in 202), and the command producer knows the
 * partitions of {@code claims.settlement-requests} (its sends never wait for them). Until then POS
 * calls get 503 and readiness is DOWN.
 */
@Singleton
public class GatewayState {
    private final TerminalRegistryConsumer terminals;
    private final TerminalRegistry registry;
    private final ReplyConsumer replies;
    private final CommandProducer commands;
    private final InstanceId instanceId;
    private volatile boolean registryLoaded;

    public GatewayState(TerminalRegistryConsumer terminals, TerminalRegistry registry, ReplyConsumer replies,
                        CommandProducer commands, InstanceId instanceId) {
        this.terminals = terminals;
        this.registry = registry;
        this.replies = replies;
        this.commands = commands;
        this.instanceId = instanceId;
    }

    public boolean ready() {
        if (!registryLoaded && terminals.caughtUp()) {
            registryLoaded = true;
        }
        return registryLoaded && replies.assigned() && commands.ready();
    }

    public String instanceId() {
        return instanceId.value();
    }

    public boolean registryCaughtUp() {
        return terminals.caughtUp();
    }

    public int terminals() {
        return registry.size();
    }

    public boolean repliesAssigned() {
        return replies.assigned();
    }

    public boolean commandPartitionsKnown() {
        return commands.ready();
    }
}
