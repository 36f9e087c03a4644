package cn.pharmacyclaims.deploy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiment switches of the local stack's child JVMs (PC_JIT, PC_GC, PC_NICE). */
class ManagedProcessTest {

    @Test
    void switchesNameAllOrListedProcesses() {
        assertTrue(ManagedProcess.named("c2", "c2", "audit-service"));
        assertTrue(ManagedProcess.named("kafka,audit-service", "c2", "audit-service"));
        assertFalse(ManagedProcess.named("kafka,audit-service", "c2", "settlement-service"));
        assertFalse(ManagedProcess.named(null, "c2", "kafka"));
    }

    @Test
    void nicenessIsGivenPerNamedProcess() {
        assertEquals(10, ManagedProcess.niceness("audit-service:10, agreement-service:5", "audit-service"));
        assertEquals(5, ManagedProcess.niceness("audit-service:10, agreement-service:5", "agreement-service"));
        assertNull(ManagedProcess.niceness("audit-service:10", "pharmacy-gateway"));
        assertNull(ManagedProcess.niceness(null, "audit-service"));
        assertThrows(IllegalArgumentException.class, () -> ManagedProcess.niceness("audit-service", "audit-service"));
    }
}
