package org.iclsam.morphology;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random masks for properties: small sizes, every density from empty to full, blobs and noise. */
final class Masks {
    private Masks() {
    }

    static Arbitrary<BinaryMask> small() {
        return Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.integers().between(1, 20),
                Arbitraries.integers().between(0, 5), Arbitraries.longs())
                .as(Masks::make);
    }

    /** Kinds: 0 empty, 1 full, 2 one pixel, 3 sparse noise, 4 dense noise, 5 blobs (rectangles and disks). */
    static BinaryMask make(int h, int w, int kind, long seed) {
        Random rnd = new Random(seed);
        boolean[] px = new boolean[h * w];
        switch (kind) {
            case 0:
                break;
            case 1:
                java.util.Arrays.fill(px, true);
                break;
            case 2:
                px[rnd.nextInt(h * w)] = true;
                break;
            case 3:
            case 4: {
                double p = kind == 3 ? 0.2 : 0.8;
                for (int i = 0; i < px.length; i++) {
                    px[i] = rnd.nextDouble() < p;
                }
                break;
            }
            default: {
                int blobs = 1 + rnd.nextInt(4);
                for (int b = 0; b < blobs; b++) {
                    int cy = rnd.nextInt(h), cx = rnd.nextInt(w), r = 1 + rnd.nextInt(6);
                    boolean disk = rnd.nextBoolean();
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            int dy = y - cy, dx = x - cx;
                            if (disk ? dx * dx + dy * dy <= r * r : Math.abs(dx) <= r && Math.abs(dy) <= r / 2 + 1) {
                                px[y * w + x] = true;
                            }
                        }
                    }
                }
            }
        }
        return BinaryMask.of(h, w, px);
    }
}
