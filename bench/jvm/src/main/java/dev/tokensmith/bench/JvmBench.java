package dev.tokensmith.bench;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import dev.tokensmith.AkoolClient;
import dev.tokensmith.ClientConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.json.JSONObject;

/**
 * JVM benchmark driver; prints one JSON line for bench/run.py.
 *
 * <pre>
 *   load tokensmith|okhttp BASE THREADS SECONDS            blocking calls from platform threads
 *   async-load tokensmith|okhttp|okhttp-coroutines BASE CONCURRENCY SECONDS
 *                                                          coroutines (tokensmith), OkHttp's enqueue with a
 *                                                          callback chain, or enqueue awaited from coroutines
 *   auth-headers BASE ITERATIONS                           ns per authHeaders() with the token cached
 *   cold-start BASE                                        class load + client + first request with getToken
 *   construct BASE N                                       N clients with distinct keys, kept: median, RSS each
 *   tenants BASE N                                         N tenants in turn, a client each for one call
 * </pre>
 *
 * The load lines also carry {@code cs} and {@code cs_involuntary}: the context switches of the whole JVM (every
 * thread: getrusage's RUSAGE_SELF, called through JNA) from the end of the warm-up to the end of the run, and
 * {@code cpu_us}: the JVM's CPU time (user plus system, µs) over the same section.
 *
 * The OkHttp path does what the vendor's Java snippet does (one shared client, as OkHttp recommends): send
 * x-api-key, parse the JSON, check code == 1000.
 */
public final class JvmBench {
    private static final String PATH = "/api/open/v3/faceswap/quota/info";
    private static final String API_KEY = "mock-api-key-0123456789abcdefghi";
    private static final long WARMUP_NANOS = 1_000_000_000L; // the JIT needs longer than Python's warm-up

    interface Work {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "load" -> load(args[1], args[2], Integer.parseInt(args[3]), Double.parseDouble(args[4]));
            case "async-load" -> asyncLoad(args[1], args[2], Integer.parseInt(args[3]), Double.parseDouble(args[4]));
            case "auth-headers" -> authHeaders(args[1], Integer.parseInt(args[2]));
            case "cold-start" -> coldStart(args[1]);
            case "construct" -> construct(args[1], Integer.parseInt(args[2]));
            case "tenants" -> tenants(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static ClientConfig config(String base) {
        return new ClientConfig(base);
    }

    /** What the vendor's Java snippet does with an answer: parse the JSON, check code == 1000, read data. */
    private static void checkAnswer(Response answer) throws IOException {
        JSONObject body = new JSONObject(answer.body().string());
        if (body.getInt("code") != 1000) throw new IllegalStateException(body.toString());
        body.getJSONObject("data");
    }

    private static Request quotaRequest(String base) {
        return new Request.Builder().url(base + PATH).header("x-api-key", API_KEY).build();
    }

    /**
     * THREADS platform threads, each making one blocking call after another for SECONDS after a warm-up: the jar
     * (one client shared by all threads) against OkHttp's {@code execute} (one shared client, as OkHttp advises).
     */
    private static void load(String kind, String base, int threads, double seconds) throws Exception {
        Supplier<Work> make;
        if (kind.equals("tokensmith")) {
            AkoolClient client = AkoolClient.Companion.fromApiKey(API_KEY, config(base));
            make = () -> () -> client.request("GET", PATH, null, null);
        } else {
            OkHttpClient http = new OkHttpClient();
            make = () -> () -> {
                try (Response answer = http.newCall(quotaRequest(base)).execute()) {
                    checkAnswer(answer);
                }
            };
        }
        CyclicBarrier barrier = new CyclicBarrier(threads + 1); // and this thread, which counts the switches
        List<long[]> results = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    Work call = make.get();
                    barrier.await();
                    long warmUntil = System.nanoTime() + WARMUP_NANOS;
                    while (System.nanoTime() < warmUntil) call.run();
                    long[] latencies = new long[1 << 20];
                    int n = 0;
                    long end = System.nanoTime() + (long) (seconds * 1e9);
                    while (true) {
                        long started = System.nanoTime();
                        if (started >= end || n == latencies.length) break;
                        call.run();
                        latencies[n++] = System.nanoTime() - started;
                    }
                    results.add(java.util.Arrays.copyOf(latencies, n));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        barrier.await();
        Thread.sleep(WARMUP_NANOS / 1_000_000);
        long[] before = switches();
        for (Thread worker : workers) worker.join();
        report(results, seconds, since(before));
    }

    /**
     * CONCURRENCY calls in flight for SECONDS after a warm-up, each started when the previous one of its chain
     * ends, every chain sharing one client: the jar's suspend {@code request} from as many coroutines on
     * {@code Dispatchers.Default} (see Coroutines.kt), against OkHttp's asynchronous {@code enqueue}, whose
     * callback starts the next call. Each is its library's own way to have many calls in flight without a
     * thread per call; both do the same work per call as the {@code load} rows.
     */
    private static void asyncLoad(String kind, String base, int concurrency, double seconds) throws Exception {
        long warmUntil = System.nanoTime() + WARMUP_NANOS;
        long end = warmUntil + (long) (seconds * 1e9);
        long[][] before = new long[1][];
        Thread counter = new Thread(() -> {
            try {
                Thread.sleep(Math.max(0, (warmUntil - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            before[0] = switches();
        });
        counter.start();
        List<long[]> results = switch (kind) {
            case "tokensmith" -> Coroutines.load(base, API_KEY, PATH, concurrency, warmUntil, end);
            case "okhttp" -> okHttpEnqueue(base, concurrency, warmUntil, end);
            case "okhttp-coroutines" -> {
                OkHttpClient http = okHttpForConcurrency(concurrency);
                yield Coroutines.okHttpLoad(() -> http.newCall(quotaRequest(base)), answer -> {
                    try {
                        checkAnswer(answer);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, concurrency, warmUntil, end);
            }
            default -> throw new IllegalArgumentException(kind);
        };
        counter.join();
        report(results, seconds, since(before[0]));
    }

    /**
     * OkHttp's async API with CONCURRENCY chains of callbacks. Its dispatcher allows 5 calls per host and its pool
     * keeps 5 idle connections by default; both are raised to CONCURRENCY, as anyone sending that many calls to
     * one host must, so that no call queues in the dispatcher and no connection is closed and reopened.
     */
    private static List<long[]> okHttpEnqueue(String base, int concurrency, long warmUntil, long end)
            throws Exception {
        OkHttpClient http = okHttpForConcurrency(concurrency);
        CountDownLatch done = new CountDownLatch(concurrency);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<CallbackChain> chains = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            CallbackChain chain = new CallbackChain(http, base, warmUntil, end, done, failure);
            chains.add(chain);
            chain.next();
        }
        done.await();
        if (failure.get() != null) throw new IllegalStateException("a call failed", failure.get());
        return chains.stream().map(chain -> chain.latencies.toArray()).toList();
    }

    /** An OkHttp client whose dispatcher and pool let CONCURRENCY calls to one host run at once (see above). */
    private static OkHttpClient okHttpForConcurrency(int concurrency) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(concurrency);
        dispatcher.setMaxRequestsPerHost(concurrency);
        return new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(concurrency, 5, TimeUnit.MINUTES))
            .build();
    }

    /** One call in flight at a time: each answer's callback records the latency and enqueues the next call. */
    private static final class CallbackChain implements Callback {
        private final OkHttpClient http;
        private final String base;
        private final long warmUntil;
        private final long end;
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure;
        final Latencies latencies = new Latencies();
        private long started;

        CallbackChain(OkHttpClient http, String base, long warmUntil, long end, CountDownLatch done,
                      AtomicReference<Throwable> failure) {
            this.http = http;
            this.base = base;
            this.warmUntil = warmUntil;
            this.end = end;
            this.done = done;
            this.failure = failure;
        }

        void next() {
            started = System.nanoTime();
            if (started >= end || failure.get() != null) {
                done.countDown();
                return;
            }
            http.newCall(quotaRequest(base)).enqueue(this);
        }

        @Override
        public void onResponse(Call call, Response answer) {
            try (answer) {
                checkAnswer(answer);
            } catch (Exception e) {
                onError(e);
                return;
            }
            if (started >= warmUntil) latencies.add(System.nanoTime() - started);
            next();
        }

        @Override
        public void onFailure(Call call, IOException e) {
            onError(e);
        }

        private void onError(Throwable e) {
            failure.compareAndSet(null, e);
            done.countDown();
        }
    }

    /**
     * Prints the JSON line of a load run: throughput, p50 and p99 over every worker's latencies (ns), and the
     * context switches {voluntary, involuntary} and the CPU time (µs) counted over the run; exits.
     */
    private static void report(List<long[]> results, double seconds, long[] switches) {
        long[] all = results.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        System.out.printf(
            "{\"requests\": %d, \"rps\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f, \"cs\": %d, \"cs_involuntary\": %d, \"cpu_us\": %d}%n",
            all.length, all.length / seconds, all[(int) (all.length * 0.5)] / 1000.0,
            all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1000.0, switches[0] + switches[1], switches[1],
            switches[2]);
        System.exit(0); // OkHttp's pool threads would keep the JVM alive for a minute
    }

    private static final Function GETRUSAGE = NativeLibrary.getInstance("c").getFunction("getrusage");
    private static final Memory RUSAGE = new Memory(144); // struct rusage on 64-bit Linux

    /**
     * The context switches of every thread of the JVM so far and its CPU time, {voluntary, involuntary, µs}:
     * getrusage(RUSAGE_SELF), which starts with ru_utime and ru_stime (timevals: seconds, then µs) and whose ru_nvcsw
     * and ru_nivcsw are the 15th and 16th of its longs (after the two timevals and 12 longs).
     */
    private static synchronized long[] switches() {
        if (GETRUSAGE.invokeInt(new Object[] {0, RUSAGE}) != 0) throw new IllegalStateException("getrusage");
        long cpuMicros = (RUSAGE.getLong(0) + RUSAGE.getLong(16)) * 1_000_000 + RUSAGE.getLong(8) + RUSAGE.getLong(24);
        return new long[] {RUSAGE.getLong(128), RUSAGE.getLong(136), cpuMicros};
    }

    private static long[] since(long[] before) {
        long[] now = switches();
        return new long[] {now[0] - before[0], now[1] - before[1], now[2] - before[2]};
    }

    private static void authHeaders(String base, int iterations) throws Exception {
        if ("on".equals(System.getenv("BENCH_TELEMETRY"))) {
            // OpenTelemetry's SDK registered, its spans dropped by the exporter: what telemetry costs the call.
            var dropping = new io.opentelemetry.sdk.trace.export.SpanExporter() {
                public io.opentelemetry.sdk.common.CompletableResultCode export(
                        java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
                    return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
                }
                public io.opentelemetry.sdk.common.CompletableResultCode flush() {
                    return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
                }
                public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
                    return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
                }
            };
            io.opentelemetry.api.GlobalOpenTelemetry.set(io.opentelemetry.sdk.OpenTelemetrySdk.builder()
                .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                    .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(dropping)).build())
                .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(
                    io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()))
                .build());
        }
        AkoolClient client = AkoolClient.Companion.fromClientCredentials("mock-client-id", API_KEY, config(base));
        client.token();
        for (int i = 0; i < iterations / 10; i++) client.authHeaders(); // JIT warm-up
        long started = System.nanoTime();
        for (int i = 0; i < iterations; i++) client.authHeaders();
        System.out.printf("{\"ns_per_call\": %.1f}%n", (System.nanoTime() - started) / (double) iterations);
    }

    private static void coldStart(String base) throws Exception {
        long started = System.nanoTime();
        AkoolClient client = AkoolClient.Companion.fromClientCredentials("mock-client-id", API_KEY, config(base));
        client.request("GET", PATH, null, null);
        System.out.printf("{\"ms\": %.1f}%n", (System.nanoTime() - started) / 1e6);
    }

    /** Tenant i's API key, as bench/run.py registers it with the mock. */
    private static String tenantKey(int i) {
        return "tenant" + i + "-key-0123456789abcdef";
    }

    /**
     * What this JVM holds, in KiB, after a GC: its resident set (VmRSS) plus the live heap. bench/run.py starts
     * the {@code construct} JVM with a fixed heap touched up front ({@code -Xms = -Xmx}, AlwaysPreTouch), so the
     * resident set moves with native memory (the core's clients, metaspace, JIT code) and the heap's share of the
     * clients is its live bytes, not how much heap the GC chose to commit.
     */
    private static double heldKib() throws IOException {
        System.gc();
        Runtime heap = Runtime.getRuntime();
        return rssKib() + (heap.totalMemory() - heap.freeMemory()) / 1024.0;
    }

    /** This JVM's resident set (VmRSS), in KiB. */
    private static double rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Double.parseDouble(line.split("\\s+")[1]);
        }
        throw new IllegalStateException("no VmRSS");
    }

    private static double medianMicros(long[] nanos) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1000.0;
    }

    /** N clients with distinct API keys, all kept: the median construction, and the memory held per client. */
    private static void construct(String base, int n) throws Exception {
        AkoolClient.Companion.fromApiKey("warm-up-key-0123456789abcdef", config(base)).close();
        double heldBefore = heldKib();
        List<AkoolClient> kept = new ArrayList<>(n);
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            String key = tenantKey(i);
            long started = System.nanoTime();
            kept.add(AkoolClient.Companion.fromApiKey(key, config(base)));
            nanos[i] = System.nanoTime() - started;
        }
        double perClient = (heldKib() - heldBefore) / n;
        System.out.printf("{\"clients\": %d, \"median_us\": %.2f, \"rss_kib_per_client\": %.2f}%n",
            kept.size(), medianMicros(nanos), perClient);
    }

    /** N tenants in turn: a client built with the tenant's key for one call, then closed. */
    private static void tenants(String base, int n) throws Exception {
        long[] build = new long[n];
        long[] call = new long[n];
        long[] before = switches();
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            try (AkoolClient client = AkoolClient.Companion.fromApiKey(tenantKey(i), config(base))) {
                long t1 = System.nanoTime();
                client.request("GET", PATH, null, null);
                call[i] = System.nanoTime() - t1;
                build[i] = t1 - t0;
            }
        }
        double perTenant = (System.nanoTime() - started) / 1000.0 / n;
        long[] switches = since(before);
        System.out.printf(
            "{\"tenants\": %d, \"us_per_tenant\": %.1f, \"build_p50_us\": %.2f, \"call_p50_us\": %.1f, \"cs\": %d, \"cs_involuntary\": %d, \"cpu_us\": %d}%n",
            n, perTenant, medianMicros(build), medianMicros(call), switches[0] + switches[1], switches[1], switches[2]);
    }
}
