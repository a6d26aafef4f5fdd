package dev.tokensmith.bench;

import dev.tokensmith.AkoolClient;
import dev.tokensmith.ClientConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.json.JSONObject;

/**
 * JVM benchmark driver; prints one JSON line for bench/run.py.
 *
 * <pre>
 *   load tokensmith|okhttp BASE THREADS SECONDS
 *   auth-headers BASE ITERATIONS
 *   cold-start BASE          class load + client + first request including getToken
 * </pre>
 *
 * The OkHttp path does what the vendor's Java snippet does (one shared client, as OkHttp recommends): send
 * x-api-key, parse the JSON, check code == 1000.
 */
public final class JvmBench {
    private static final String PATH = "/api/open/v3/faceswap/quota/info";
    private static final String API_KEY = "mock-api-key-0123456789abcdefghi";

    interface Call {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "load" -> load(args[1], args[2], Integer.parseInt(args[3]), Double.parseDouble(args[4]));
            case "auth-headers" -> authHeaders(args[1], Integer.parseInt(args[2]));
            case "cold-start" -> coldStart(args[1]);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static ClientConfig config(String base) {
        return new ClientConfig(base, null, null, null, null, null, List.of());
    }

    private static void load(String kind, String base, int threads, double seconds) throws Exception {
        Supplier<Call> make;
        if (kind.equals("tokensmith")) {
            AkoolClient client = AkoolClient.Companion.fromApiKey(API_KEY, config(base));
            make = () -> () -> client.request("GET", PATH, null);
        } else {
            OkHttpClient http = new OkHttpClient();
            make = () -> () -> {
                Request request = new Request.Builder().url(base + PATH).header("x-api-key", API_KEY).build();
                try (Response answer = http.newCall(request).execute()) {
                    JSONObject body = new JSONObject(answer.body().string());
                    if (body.getInt("code") != 1000) throw new IllegalStateException(body.toString());
                    body.getJSONObject("data");
                }
            };
        }
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<long[]> results = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    Call call = make.get();
                    barrier.await();
                    long warmUntil = System.nanoTime() + 1_000_000_000L; // the JIT needs longer than Python's warm-up
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
        for (Thread worker : workers) worker.join();
        long[] all = results.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        System.out.printf("{\"requests\": %d, \"rps\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f}%n",
            all.length, all.length / seconds, all[(int) (all.length * 0.5)] / 1000.0,
            all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1000.0);
        System.exit(0); // OkHttp's pool threads would keep the JVM alive for a minute
    }

    private static void authHeaders(String base, int iterations) throws Exception {
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
        client.request("GET", PATH, null);
        System.out.printf("{\"ms\": %.1f}%n", (System.nanoTime() - started) / 1e6);
    }
}
