package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.security.PosSignature;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The floor's POS door (docs/performance.md, "The floor"): what any gateway of this design must do per purchase and no more.
 * It reads the HTTP request, checks its HMAC signature, reads msgId and psnNo from the JSON body, sends the body to
 * {@code floor.commands} keyed by psnNo (acks=all, idempotent, 1 ms linger, as the gateway) and answers the POS with the reply
 * that comes back on {@code floor.replies}. Left out, so the floor stays a lower bound: field validation, the nonce store,
 * rate limits, metrics, the framework. Usage: FloorFront HTTP_PORT BOOTSTRAP SECRET
 */
public final class FloorFront {
    static final String COMMANDS = "floor.commands";
    static final String REPLIES = "floor.replies";
    static final String DECISIONS = "floor.decisions";

    private final Map<String, ChannelHandlerContext> waiting = new ConcurrentHashMap<>();
    private final KafkaProducer<String, byte[]> producer;
    private final String secret;

    private FloorFront(String bootstrap, String secret) {
        this.secret = secret;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer());
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        FloorFront front = new FloorFront(args[1], args[2]);
        Thread replies = new Thread(() -> front.readReplies(args[1]), "floor-replies");
        replies.setDaemon(true);
        replies.start();
        NioEventLoopGroup loops = new NioEventLoopGroup(2);
        new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), front.new Requests());
                    }
                })
                .bind("127.0.0.1", port).sync();
        System.out.println("FLOOR FRONT READY " + port);
        Thread.currentThread().join();
    }

    private final class Requests extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            byte[] body = ByteBufUtil.getBytes(req.content());
            String path = req.uri();
            int q = path.indexOf('?');
            if (q >= 0) {
                path = path.substring(0, q);
            }
            if (!PosSignature.verify(secret, req.method().name(), path, req.headers().get(PosSignature.HEADER_TIMESTAMP),
                    req.headers().get(PosSignature.HEADER_NONCE), body, req.headers().get(PosSignature.HEADER_SIGNATURE))) {
                answer(ctx, HttpResponseStatus.UNAUTHORIZED, "{\"code\":\"BAD_SIGNATURE\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(body);
            } catch (Exception e) {
                answer(ctx, HttpResponseStatus.BAD_REQUEST, "{\"code\":\"NOT_JSON\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String msgId = json.path("msgId").asText(UUID.randomUUID().toString());
            String psnNo = json.path("insured").path("psnNo").asText(msgId); // cancellations: keyed by their msgId
            ctx.channel().attr(KEEP_ALIVE).set(HttpUtil.isKeepAlive(req));
            waiting.put(msgId, ctx);
            ProducerRecord<String, byte[]> command = new ProducerRecord<>(COMMANDS, psnNo, body);
            // the back writes the nonce row when the floor includes the rows the rules require (FloorBack)
            command.headers().add("terminal", bytes(req.headers().get(PosSignature.HEADER_TERMINAL)))
                    .add("nonce", bytes(req.headers().get(PosSignature.HEADER_NONCE)));
            producer.send(command, (meta, e) -> {
                if (e != null && waiting.remove(msgId) != null) {
                    ctx.executor().execute(() -> answer(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "{\"code\":\"KAFKA\"}".getBytes(StandardCharsets.UTF_8)));
                }
            });
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static final io.netty.util.AttributeKey<Boolean> KEEP_ALIVE = io.netty.util.AttributeKey.valueOf("keepAlive");

    private void readReplies(String bootstrap) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "floor-front-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(REPLIES));
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    ChannelHandlerContext ctx = waiting.remove(r.key());
                    if (ctx != null) {
                        byte[] value = r.value();
                        ctx.executor().execute(() -> answer(ctx, HttpResponseStatus.OK, value));
                    }
                }
            }
        }
    }

    private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        Boolean keepAlive = ctx.channel().attr(KEEP_ALIVE).get();
        if (keepAlive == null || keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
