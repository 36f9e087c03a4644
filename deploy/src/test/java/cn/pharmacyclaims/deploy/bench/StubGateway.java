package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.security.PosSignature;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
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
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the gateway's POS door: answers every POST with the same 200 SETTLED body
 * (POS-API.md §1, as the gateway's settlement answer looks) after a fixed delay, on one event loop
 * of its own (keep-alive, as the gateway). With terminal secrets it also checks each request's
 * SEC-01 signature and records nonces and Host headers, for the load generator's tests. {@link #main}
 * runs it as a separate process for {@link LoadGeneratorCpuBench}, so that its CPU is not counted as
 * the load generator's.
 */
final class StubGateway implements AutoCloseable {
    static final String SETTLED = """
            {"setlId":"S-20261123-000000001","msgId":"20261123000000000001","status":"SETTLED",\
            "totals":{"total":"24.68","overLimit":"0.00","outOfScope":"0.00","selfPayFirst":"0.00",\
            "fundPay":"0.00","accountPay":"24.68","cashPay":"0.00"},\
            "lines":[{"lineNo":1,"amount":"24.68","overLimit":"0.00","outOfScope":"0.00",\
            "selfPayFirst":"0.00","eligible":"24.68","fundPay":"0.00","benefit":"NONE"}],\
            "accountBalanceAfter":"975.32","rejects":[],"settledAt":"2026-11-23T10:15:00.120+08:00"}""";

    private final NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("stub-gateway", true));
    private final Channel server;
    private final long delayMs;
    private final Map<String, String> secrets; // null: no checks
    private final ByteBuf answer = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(SETTLED, StandardCharsets.UTF_8));
    final AtomicLong requests = new AtomicLong();
    final AtomicLong badSignatures = new AtomicLong();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger mostRequestsOnAConnection = new AtomicInteger();
    final AtomicInteger inProgress = new AtomicInteger();
    final AtomicInteger maxInProgress = new AtomicInteger();
    final Set<String> nonces = ConcurrentHashMap.newKeySet();
    final Set<String> hosts = ConcurrentHashMap.newKeySet();

    /** {@code delayMs < 0}: never answer (the client's timeout is tested). */
    StubGateway(long delayMs, Map<String, String> secretsByTerminal) throws InterruptedException {
        this.delayMs = delayMs;
        this.secrets = secretsByTerminal;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), new Door());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Door extends SimpleChannelInboundHandler<FullHttpRequest> {
        private int served; // on this connection

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            mostRequestsOnAConnection.accumulateAndGet(++served, Math::max);
            int now = inProgress.incrementAndGet();
            maxInProgress.accumulateAndGet(now, Math::max);
            requests.incrementAndGet();
            if (secrets != null) {
                check(req);
            }
            if (delayMs == 0) {
                answer(ctx);
            } else if (delayMs > 0) {
                ctx.executor().schedule(() -> answer(ctx), delayMs, TimeUnit.MILLISECONDS);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            inProgress.decrementAndGet();
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, answer.duplicate());
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.readableBytes());
            ctx.writeAndFlush(response);
        }
    }

    private void check(FullHttpRequest req) {
        String terminal = req.headers().get(PosSignature.HEADER_TERMINAL);
        String nonce = req.headers().get(PosSignature.HEADER_NONCE);
        String secret = terminal == null ? null : secrets.get(terminal);
        boolean ok = secret != null && nonce != null && req.method().name().equals("POST")
                && "application/json".equals(req.headers().get(HttpHeaderNames.CONTENT_TYPE))
                && PosSignature.verify(secret, "POST", new QueryStringDecoder(req.uri()).path(),
                req.headers().get(PosSignature.HEADER_TIMESTAMP), nonce, ByteBufUtil.getBytes(req.content()),
                req.headers().get(PosSignature.HEADER_SIGNATURE));
        if (!ok) {
            badSignatures.incrementAndGet();
        }
        nonces.add(String.valueOf(nonce));
        hosts.add(String.valueOf(req.headers().get(HttpHeaderNames.HOST)));
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * As a separate process: {@code StubGateway <delayMs>}; prints "port N", then answers each line
     * on stdin with "connections N" (accepted so far); stops when stdin closes.
     */
    public static void main(String[] args) throws Exception {
        try (StubGateway stub = new StubGateway(Long.parseLong(args[0]), null)) {
            System.out.println("port " + stub.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                System.out.println("connections " + stub.connections.get());
                System.out.flush();
            }
        }
    }
}
