package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.deploy.PosClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop POS load: one sender thread walks the {@link Schedule}, waits for each intended
 * time (or sends at once when behind it), signs the request as its pharmacy's terminal (SEC-01, a
 * fresh nonce each time) and hands it to an asynchronous HTTP client, so a slow answer never delays
 * the next send. Latency is completion time minus intended send time. A bound on requests in
 * flight protects the machine; when it is reached the sender waits, and that wait shows up as
 * latency of the requests it delays, never as fewer requests.
 *
 * <p>The client is netty's HTTP/1.1 codec on one event loop thread ({@code bench-http}), with
 * keep-alive connections and no pipelining, as POS terminals talk to the gateway. It shares the
 * machine with the system it measures, so it is kept cheap: java.net.http cost 2.5 to 4 times the
 * CPU per request, and Vert.x's client about 1.2 to 1.7 times, whose pool looks through every
 * pooled connection at each request (docs/performance.md, "The load"). Idle connections wait on
 * a stack (the most recently used first); a request finding none opens one, so the client opens as
 * many connections as requests are in flight, as java.net.http did: no request queues inside the
 * client, and the gateway sheds what is over its own limit (503) exactly as before.
 */
public final class LoadGenerator {
    /** What the report's setup says about the client. */
    public static String describe(int maxInFlight, Duration requestTimeout) {
        return "netty HTTP/1.1 on one event loop, keep-alive, asynchronous, at most " + maxInFlight
                + " requests in flight, timeout " + requestTimeout.toSeconds() + " s";
    }

    private static final AsciiString TERMINAL = AsciiString.cached(PosSignature.HEADER_TERMINAL);
    private static final AsciiString TIMESTAMP = AsciiString.cached(PosSignature.HEADER_TIMESTAMP);
    private static final AsciiString NONCE = AsciiString.cached(PosSignature.HEADER_NONCE);
    private static final AsciiString SIGNATURE = AsciiString.cached(PosSignature.HEADER_SIGNATURE);
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int MAX_ANSWER_BYTES = 1 << 20;

    private final String hostHeader;
    private final Workload workload;
    private final Schedule schedule;
    private final Results results;
    private final AnswerBook answers;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Duration requestTimeout;
    private final AlertWatcher alerts;
    private final PathWatcher path; // null unless --path
    private final NioEventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    /** Keep-alive connections with no request on them, the most recently used on top; the event loop only. */
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();

    // the X-Timestamp of the current second (the sender thread only)
    private long stampSecond = Long.MIN_VALUE;
    private String stamp;

    public LoadGenerator(String gatewayUrl, Workload workload, Schedule schedule, Results results, int maxInFlight,
                         Duration requestTimeout, AlertWatcher alerts) {
        this(gatewayUrl, workload, schedule, results, maxInFlight, requestTimeout, alerts, null);
    }

    /** With {@code path} (may be null): told of every measured request's intended send and answer. */
    public LoadGenerator(String gatewayUrl, Workload workload, Schedule schedule, Results results, int maxInFlight,
                         Duration requestTimeout, AlertWatcher alerts, PathWatcher path) {
        URI uri = URI.create(gatewayUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        this.hostHeader = uri.getHost() + ":" + port;
        this.workload = workload;
        this.schedule = schedule;
        this.results = results;
        this.answers = new AnswerBook(workload, results);
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.requestTimeout = requestTimeout;
        this.alerts = alerts;
        this.path = path;
        // one thread does all the I/O and records the answers; a daemon, as java.net.http's threads were
        this.group = new NioEventLoopGroup(1, r -> {
            Thread t = new FastThreadLocalThread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .remoteAddress(new InetSocketAddress(resolve(uri.getHost()), port)) // once, as java.net.http did
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER_BYTES), new Answers());
                    }
                });
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("gateway host " + host, e);
        }
    }

    /** Sends every slot of the schedule, then waits for the last answers (at most the request timeout). */
    public void run() throws InterruptedException {
        try {
            long total = schedule.totalCount();
            for (long i = 0; i < total; i++) {
                long due = schedule.intendedNanos(i);
                waitUntil(due);
                boolean measured = schedule.measured(i);
                Workload.Planned p = workload.next(i, due, measured);
                if (p.kind() == Workload.Kind.NON_MEDICAL && measured) {
                    alerts.expect(p.msgId(), due);
                }
                if (measured && path != null) {
                    path.sent(p.msgId(), due);
                }
                Exchange x = signed(p, due);
                inFlight.acquire();
                results.sent(i, System.nanoTime() - due);
                loop.execute(x);
            }
            if (!inFlight.tryAcquire(maxInFlight, requestTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                System.out.println("[bench] warning: " + (maxInFlight - inFlight.availablePermits())
                        + " requests still unanswered after the timeout");
            } else {
                inFlight.release(maxInFlight);
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    private static void waitUntil(long due) {
        long now;
        while ((now = System.nanoTime()) < due) {
            long left = due - now;
            if (left > 200_000) {
                LockSupport.parkNanos(left - 100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** SEC-01 as POS-API.md §1: the body's bytes are built once, signed and sent as they are. */
    private Exchange signed(Workload.Planned p, long due) {
        byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
        String nonce = UUID.randomUUID().toString();
        String timestamp = timestamp();
        PosClient.Terminal t = p.terminal();
        String signature = PosSignature.sign(t.secret(), "POST", p.path(), timestamp, nonce, body);
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, p.path(),
                Unpooled.wrappedBuffer(body), false); // the header names and values below are known to be valid
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(TERMINAL, t.terminalId())
                .set(TIMESTAMP, timestamp)
                .set(NONCE, nonce)
                .set(SIGNATURE, signature)
                .set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return new Exchange(p, due, request);
    }

    /** Beijing time to the second (POS-API.md §1), formatted once per second rather than per request. */
    private String timestamp() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        if (second != stampSecond) {
            stampSecond = second;
            stamp = OffsetDateTime.ofInstant(Instant.ofEpochSecond(second), PosClient.BEIJING).toString();
        }
        return stamp;
    }

    /** The end of each connection's pipeline: the request waiting on it gets its answer, or the news that it closed. */
    private final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {
        private Exchange current;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange x = current;
            current = null;
            if (HttpUtil.isKeepAlive(response)) {
                idle.push(ctx.channel());
            } else {
                ctx.close();
            }
            if (x != null) {
                x.finish(response.status().code(), response.content(), null);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.remove(ctx.channel()); // rare: the gateway closed an idle connection, or a timed-out one was closed
            Exchange x = current;
            current = null;
            if (x != null) {
                x.finish(0, null, "io-error IOException"); // closed before the answer, as java.net.http reported it
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a write or decoding failure: the exchange on it ends in channelInactive
        }
    }

    /**
     * One request, from the moment the event loop takes it until its answer, failure or timeout;
     * touched by the event loop only. The timeout runs from the send (connection set-up included),
     * as {@code HttpRequest.timeout} did.
     */
    private final class Exchange implements Runnable {
        private final Workload.Planned p;
        private final long due;
        private final DefaultFullHttpRequest request;
        private ScheduledFuture<?> timer;
        private Channel channel;
        private boolean done;

        Exchange(Workload.Planned p, long due, DefaultFullHttpRequest request) {
            this.p = p;
            this.due = due;
            this.request = request;
        }

        /** On the event loop: the request goes out on an idle connection, or on a new one. */
        @Override
        public void run() {
            timer = loop.schedule(this::timedOut, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            Channel c;
            while ((c = idle.poll()) != null) {
                if (c.isActive()) {
                    send(c);
                    return;
                }
            }
            ChannelFuture connecting = bootstrap.connect();
            channel = connecting.channel();
            connecting.addListener(f -> {
                if (!f.isSuccess()) {
                    failed(f.cause());
                } else if (done) { // timed out while connecting: the connection serves the next request
                    idle.push(connecting.channel());
                } else {
                    send(connecting.channel());
                }
            });
        }

        private void send(Channel c) {
            channel = c;
            c.pipeline().get(Answers.class).current = this;
            c.writeAndFlush(request, c.voidPromise());
        }

        private void timedOut() {
            if (!done) {
                timer = null;
                finish(0, null, "timeout");
                if (channel != null) {
                    channel.close(); // as java.net.http did: the late answer is not read
                }
            }
        }

        private void failed(Throwable cause) {
            // netty's ConnectTimeoutException: java.net.http's HttpConnectTimeoutException was a timeout too
            finish(0, null, cause instanceof io.netty.channel.ConnectTimeoutException ? "timeout"
                    : cause instanceof ConnectException ? "io-error ConnectException" // netty's subclass has a longer name
                    : cause instanceof IOException ? "io-error " + cause.getClass().getSimpleName()
                    : "client-error " + cause.getClass().getSimpleName());
        }

        void finish(int code, ByteBuf answer, String failure) {
            if (done) {
                return;
            }
            done = true;
            long doneNanos = System.nanoTime();
            if (timer != null) {
                timer.cancel(false);
            }
            long index = p.index();
            if (path != null) {
                path.answered(p.msgId(), doneNanos);
            }
            try {
                complete(index, p, due, doneNanos, code, answer, failure);
            } catch (RuntimeException e) {
                results.completed(index, p.kind(), due, doneNanos, "client-error " + e.getClass().getSimpleName());
            } finally {
                inFlight.release(); // after recording: when run() returns, every answer is in the results
            }
        }
    }

    private void complete(long i, Workload.Planned p, long due, long done, int code, ByteBuf answer, String failure) {
        if (failure != null) {
            answers.failed(i, p, due, done, failure);
            return;
        }
        JsonNode json = null;
        String status = null;
        if (code == 200 || code == 202) {
            try {
                json = Json.MAPPER.readTree((InputStream) new ByteBufInputStream(answer.duplicate()));
                status = json.path("status").asText(null);
            } catch (IOException e) {
                status = "UNPARSEABLE";
            }
        }
        answers.answered(i, p, due, done, code, json, status);
    }
}
