/*
 * JvmSleep: measures, on this machine's JVM, the timing that Maelstrom's delivery thread and its
 * setup phase add to a test (spec §2.3 step 1, §3.2), so that the harness's network model
 * (harness/world/network.c, network_delivery_time_us) takes its defaults from measurement:
 *
 *   sleep      Thread.sleep(n ms) overshoot: how much later than n ms it returns.
 *   deliver    Maelstrom's delivery loop, copied from maelstrom.net/recv! and
 *              maelstrom.process/stdin-thread: one thread per node polls a PriorityBlockingQueue
 *              of (deadline, message) with a 1000 ms timeout, computes dt = (deadline - now) / 1e6
 *              ms *after* the poll returned, sleeps (long dt) ms when dt > 0, then writes the line
 *              to the node's stdin (here: a `cat >/dev/null` process) and flushes. Measured:
 *                wake   put() on an idle thread -> poll() returns (the thread's wake-up cost);
 *                loop   a busy thread: one delivery's write + the next poll, per message;
 *                early  deadline - delivery time of a 100 ms message (positive: early);
 *                lat0   delivery - send of a 0 ms message (a client's): wake + the write.
 *   setup      Maelstrom's setup: one thread per node (jepsen control/on-nodes), each starts a
 *              process (ProcessBuilder.start) and writes its init line at once; the spread of the
 *              init writes over the nodes (first to last) and each node's offset from the first.
 *
 * It only measures; nothing here is used by the build. Run it with bench/jvm_sleep.sh.
 * Usage: java JvmSleep setup NODES CMD...          one setup round in a fresh JVM, as Maelstrom's
 *        java JvmSleep all SAMPLES NODES CMD...    three setup rounds, then sleep and deliver
 */
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

public final class JvmSleep {
    /* A message in the queue: ordered by deadline, as Maelstrom's queues are. */
    static final class Env implements Comparable<Env> {
        final long deadline, sent;
        long putAt;
        Env(long sent, long deadline) {
            this.sent = sent;
            this.deadline = deadline;
        }
        public int compareTo(Env o) {
            return Long.compare(deadline, o.deadline);
        }
    }

    static final byte[] LINE = ("{\"id\":12345,\"src\":\"n3\",\"dest\":\"n4\",\"body\":{\"type\":"
            + "\"broadcast_internal\",\"msg_id\":77,\"values\":[1,2,3,4,5,6,7,8]}}\n")
            .getBytes(StandardCharsets.UTF_8);

    /* Prints min, median, p90, p99 and max of v (ns) in microseconds. */
    static void report(String what, long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        System.out.printf("%-42s n=%4d  min %7.1f  p50 %7.1f  p90 %7.1f  p99 %7.1f  max %8.1f  us%n",
                what, n, s[0] / 1e3, s[n / 2] / 1e3, s[(int) (n * 0.9)] / 1e3,
                s[Math.min(n - 1, (int) (n * 0.99))] / 1e3, s[n - 1] / 1e3);
    }

    static void sleepOvershoot(int samples) throws InterruptedException {
        for (long ms : new long[] {1, 10, 99}) {
            long[] over = new long[samples];
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                Thread.sleep(ms);
                over[i] = System.nanoTime() - t0 - ms * 1_000_000L;
                if (ms >= 10 && i >= 60) { // keep the long sleeps' run short
                    over = Arrays.copyOf(over, i + 1);
                    break;
                }
            }
            report("Thread.sleep(" + ms + ") overshoot", over);
        }
    }

    /* Maelstrom's delivery loop for one node; records what the caller asked for. */
    static final class Deliverer extends Thread {
        final PriorityBlockingQueue<Env> q = new PriorityBlockingQueue<>();
        final OutputStream stdin;
        final List<long[]> done = new ArrayList<>(); // {sent, deadline, putAt, woke, delivered}
        volatile boolean running = true;
        Deliverer(OutputStream stdin) {
            this.stdin = stdin;
            setDaemon(true);
        }
        @Override public void run() {
            try {
                while (running) {
                    Env e = q.poll(1000, TimeUnit.MILLISECONDS);
                    if (e == null) continue;
                    long woke = System.nanoTime();
                    double dt = (e.deadline - System.nanoTime()) / 1e6;
                    if (dt > 0) Thread.sleep((long) dt);
                    stdin.write(LINE);
                    stdin.flush();
                    long delivered = System.nanoTime(); // the line is in the node's pipe
                    synchronized (done) {
                        done.add(new long[] {e.sent, e.deadline, e.putAt, woke, delivered});
                        done.notifyAll();
                    }
                }
            } catch (InterruptedException | IOException ex) {
                // the end of the run
            }
        }
        void send(long latencyNs) {
            long now = System.nanoTime();
            Env e = new Env(now, now + latencyNs);
            e.putAt = System.nanoTime();
            q.put(e);
        }
        long[] await(int count) throws InterruptedException {
            synchronized (done) {
                while (done.size() < count) done.wait();
                return done.get(count - 1);
            }
        }
    }

    static void delivery(int samples) throws Exception {
        Process cat = new ProcessBuilder("sh", "-c", "cat >/dev/null").start();
        Deliverer d = new Deliverer(cat.getOutputStream());
        d.start();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int k = 0;
        // Warm-up (JIT), not recorded.
        for (int i = 0; i < 200; i++) {
            d.send(0);
            d.await(++k);
        }
        long[] wake = new long[samples], lat0 = new long[samples];
        for (int i = 0; i < samples; i++) {
            Thread.sleep(1 + r.nextInt(5)); // the thread is parked in poll() again
            d.send(0);
            long[] x = d.await(++k);
            wake[i] = x[3] - x[2];
            lat0[i] = x[4] - x[0];
        }
        report("wake: put() on an idle thread -> poll()", wake);
        report("lat0: a 0 ms message, send -> delivery", lat0);
        int n100 = Math.min(samples, 120);
        long[] early = new long[n100], lat = new long[n100];
        for (int i = 0; i < n100; i++) {
            Thread.sleep(1 + r.nextInt(5));
            d.send(100_000_000L);
            long[] x = d.await(++k);
            early[i] = x[1] - x[4];
            lat[i] = x[4] - x[0];
        }
        report("early: deadline - delivery, 100 ms message", early);
        report("lat100: send -> delivery, 100 ms message", lat);
        // Busy: a burst of due messages; per message, the time from one delivery to the next.
        int burst = samples;
        long now = System.nanoTime();
        for (int i = 0; i < burst; i++) d.q.put(new Env(now, now));
        d.await(k + burst);
        long[] loop = new long[burst - 1];
        synchronized (d.done) {
            for (int i = 1; i < burst; i++)
                loop[i - 1] = d.done.get(k + i)[4] - d.done.get(k + i - 1)[4];
        }
        report("loop: busy thread, delivery -> next delivery", loop);
        d.running = false;
        d.interrupt();
        cat.destroyForcibly();
    }

    static void setup(int nodes, String[] cmd, int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            long[] initAt = new long[nodes];
            Process[] ps = new Process[nodes];
            CountDownLatch go = new CountDownLatch(1);
            Thread[] ts = new Thread[nodes];
            for (int i = 0; i < nodes; i++) {
                final int id = i;
                ts[i] = new Thread(() -> {
                    try {
                        go.await();
                        ps[id] = new ProcessBuilder(cmd).start();
                        OutputStream in = ps[id].getOutputStream();
                        in.write(LINE);
                        in.flush();
                        initAt[id] = System.nanoTime();
                    } catch (Exception ex) {
                        throw new RuntimeException(ex);
                    }
                });
                ts[i].start();
            }
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread t : ts) t.join();
            long first = Long.MAX_VALUE, last = 0;
            for (long t : initAt) {
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
            long[] offs = new long[nodes];
            for (int i = 0; i < nodes; i++) offs[i] = initAt[i] - first;
            System.out.printf("setup round %d: %d nodes, first init written %.1f ms after the "
                    + "threads were released, spread (first to last) %.1f ms%n",
                    round + 1, nodes, (first - t0) / 1e6, (last - first) / 1e6);
            report("  init offsets from the first", offs);
            for (Process p : ps) p.destroyForcibly().waitFor();
        }
    }

    public static void main(String[] args) throws Exception {
        boolean all = args.length > 0 && args[0].equals("all");
        if (args.length < (all ? 4 : 3) || !(all || args[0].equals("setup"))) {
            System.err.println("usage: java JvmSleep setup NODES CMD... | all SAMPLES NODES CMD...");
            System.exit(2);
        }
        int k = all ? 2 : 1;
        int samples = all ? Integer.parseInt(args[1]) : 0;
        int nodes = Integer.parseInt(args[k]);
        String[] cmd = Arrays.copyOfRange(args, k + 1, args.length);
        if (!all) { // setup runs in a JVM that has just started: one round, cold
            setup(nodes, cmd, 1);
            return;
        }
        System.out.printf("java %s, %s; %d cpus%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors());
        setup(nodes, cmd, 3);
        sleepOvershoot(samples);
        delivery(samples);
    }
}
