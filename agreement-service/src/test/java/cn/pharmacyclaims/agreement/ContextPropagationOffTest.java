package cn.pharmacyclaims.agreement;

import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutiny hands every callback to SmallRye Context Propagation ({@code Infrastructure.decorate}); with a non-empty
 * propagation plan each one is wrapped in a {@code Slow*Contextual*} object that captures and restores the CDI and
 * JTA contexts around every step (about 40% of the CPU samples under load). application.properties empties the plan
 * (mp.context.ThreadContext.*): the callbacks must come back as they went in.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class ContextPropagationOffTest {

    @Test
    void mutinyCallbacksAreNotWrappedForContextPropagation() {
        Function<String, String> function = s -> s;
        Consumer<String> consumer = s -> { };
        Supplier<String> supplier = () -> "x";
        assertThat(Infrastructure.decorate(function)).as("decorated Function").isSameAs(function);
        assertThat(Infrastructure.decorate(consumer)).as("decorated Consumer").isSameAs(consumer);
        assertThat(Infrastructure.decorate(supplier)).as("decorated Supplier").isSameAs(supplier);
    }
}
