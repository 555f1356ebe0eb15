package org.turnkey.account;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * Argon2id version 1.3 (RFC 9106) by Bouncy Castle, at most {@code concurrency} hashes at a time,
 * each on memory kept from earlier hashes.
 * <ul>
 * <li>The bound: a hash is pure CPU and memory, so more hashes at once than cores only add cache
 * misses and context switches, and a burst of logins would otherwise ask for 19 MiB each at once
 * (a thousand of them is 19 GiB). Waiting hashes queue in arrival order.</li>
 * <li>The reuse: without it every hash allocates, zeroes and leaves to the garbage collector one
 * 1 KiB block per KiB of memory. Bouncy Castle wipes each block before returning it, so idle
 * memory holds nothing derived from a password.</li>
 * </ul>
 * Public for the benchmark, which measures this class as the raw hash rate.
 */
public final class Argon2id {

    private final int keptBlocks;
    private final Semaphore slots;
    private final ConcurrentLinkedQueue<Memory> idle = new ConcurrentLinkedQueue<>();

    /** Sizes kept memory for the configured parameters; hashes with other parameters still work. */
    public Argon2id(int memoryKib, int parallelism, int concurrency) {
        keptBlocks = Argon2BytesGenerator.getBlockCount(memoryKib, parallelism);
        slots = new Semaphore(concurrency, true);
    }

    public byte[] hash(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        slots.acquireUninterruptibly();
        try {
            // At most one memory per slot exists, so the queue never holds more than the bound.
            Memory memory = idle.poll();
            if (memory == null) {
                memory = new Memory(keptBlocks);
            }
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(memoryKib)
                    .withIterations(iterations)
                    .withParallelism(parallelism)
                    .withSalt(salt)
                    .withBlockPool(memory)
                    .build());
            byte[] out = new byte[length];
            generator.generateBytes(password, out);
            // Only after a completed hash: then every block is back in the memory, wiped.
            idle.offer(memory);
            return out;
        } finally {
            slots.release();
        }
    }

    /** The blocks of one hash at a time; a plain stack, since only one thread holds it. */
    private static final class Memory implements Argon2BytesGenerator.BlockPool {
        private final Argon2BytesGenerator.Block[] blocks;
        private int size;

        Memory(int capacity) {
            blocks = new Argon2BytesGenerator.Block[capacity];
        }

        @Override
        public Argon2BytesGenerator.Block allocate() {
            return size > 0 ? blocks[--size] : new Argon2BytesGenerator.Block();
        }

        @Override
        public void deallocate(Argon2BytesGenerator.Block block) {
            if (size < blocks.length) {
                blocks[size++] = block;
            }
        }
    }
}
