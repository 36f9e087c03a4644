package cn.pharmacyclaims.platform.json;

import cn.pharmacyclaims.common.json.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** REST bodies use the same JSON rules as Kafka payloads (amounts as exact decimal strings). */
@Singleton
public class JsonCustomizer implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        Json.configure(mapper);
    }
}
