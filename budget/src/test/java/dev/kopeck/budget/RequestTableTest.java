package dev.kopeck.budget;

import dev.kopeck.budget.internal.SipHash;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestTableTest {
  /** The bytes 00 01 .. n-1 as a string of UTF-16LE chars (n even), as the reference vectors hash them. */
  private static String bytes(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i += 2) {
      s.append((char) (i | (i + 1) << 8));
    }
    return s.toString();
  }

  /** SipHash-2-4 of the reference key 00..0f over the bytes 00 01 .. n-1 (veorq/SipHash vectors.h), n even. */
  @Test
  void sipHashMatchesTheReferenceVectors() {
    SipHash sip = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, 2, 4);
    long[] want = {0x726fdb47dd0e0e31L, 0x0d6c8009d9a94f5aL, 0xcf2794e0277187b7L, 0xcbc9466e58fee3ceL,
        0x93f5f5799a932462L, 0x7a5dbbc594ddb9f3L, 0x751e8fbc860ee5fbL, 0xf723ca908e7af2eeL, 0x3f2acc7f57c29bdbL};
    for (int k = 0; k < want.length; k++) {
      assertThat(sip.hash(bytes(2 * k))).as("%d bytes", 2 * k).isEqualTo(want[k]);
    }
  }

  /** SipHash-2-4-128 likewise (vectors_sip128 of the same file): the two halves, little-endian. */
  @Test
  void sipHash128MatchesTheReferenceVectors() {
    SipHash sip = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, 2, 4);
    long[][] want = {
        {0xe6a825ba047f81a3L, 0x930255c71472f66dL}, {0xc75da4a48d227781L, 0xe4ff0af6de8ba3fcL},
        {0xaf8f9c2dc16481f8L, 0x7955cd7b7c6e0f7dL}, {0x1386208b33caee14L, 0x5ea1d78f30a05e48L},
        {0x61f55862baa9623bL, 0xb49714f364e2830fL}, {0x56691478c30d1100L, 0xbafbd0f3d34754c9L},
        {0x58f35e9066b226d6L, 0x25c13285f64d6382L}, {0x9cded766aceffc31L, 0x024949e45f48c77eL},
        {0xbb54b067caa4e26eL, 0x77052385bf1533fdL}};
    long[] out = new long[2];
    for (int k = 0; k < want.length; k++) {
      sip.hash128(bytes(2 * k), out, 0);
      assertThat(out).as("%d bytes", 2 * k).containsExactly(want[k]);
    }
  }

  private static final class Tag extends RequestTable.Charged {}

  /** What the model says the table must answer for one id. */
  private record Entry(int state, long finishedAt, long amount, long actual) {}

  /**
   * Random reserves, commits and releases over a set of ids, with time moving, against a plain
   * map: the table always answers what the model remembers, through slot reuse, purges in place,
   * growth, and shrinking after a quiet spell. Inserts go as the ledger makes them.
   */
  @Test
  void theTableAgreesWithAPlainMapThroughReuseAndPurges() {
    long window = 50;
    RequestTable t = new RequestTable(window);
    Random r = new Random(42);
    Map<String, Entry> model = new HashMap<>();
    Tag tag = new Tag();
    List<Object> expired = new ArrayList<>();
    RequestTable.Expiry expiry = (charge, amount) -> expired.add(charge);
    long now = 1_000_000;
    long[] h = new long[2];
    int purgesSeen = 0;
    for (int step = 0; step < 400_000; step++) {
      now += r.nextInt(3);
      if (step == 200_000) {
        now += 10 * window; // a quiet spell: everything finished is forgotten
      }
      String id = "id-" + r.nextInt(step < 200_000 ? 20_000 : 500);
      t.hash(id, h, 0);
      RequestTable.Segment seg = t.segment(h[0]);
      Entry m = model.get(id);
      boolean known = m != null && (m.state == RequestTable.RESERVED || m.finishedAt + window > now);
      int op = r.nextInt(3);
      long purges = -1;
      long[] s = seg.lock(h[0]);
      boolean locked = true;
      try {
        int at = seg.find(s, h[0], h[1], now);
        assertThat(at >= 0).as("step %d: %s known", step, id).isEqualTo(known);
        if (known) {
          assertThat(seg.amount(s, at)).isEqualTo(m.amount);
          assertThat(RequestTable.state(seg.stateWord(s, at))).isEqualTo(m.state);
          assertThat(seg.charge(s, at)).isSameAs(tag);
          if (m.state == RequestTable.COMMITTED) {
            assertThat(seg.actual(s, at)).isEqualTo(m.actual);
          }
        }
        if (op == 0 && !known) {
          int ci = at == RequestTable.FULL ? -1 : seg.register(tag);
          while (ci >= 0 && at != RequestTable.FULL && !seg.claim(s, -1 - at, h[1], now)) {
            at = seg.find(s, h[0], h[1], now);
          }
          if (ci < 0 || at == RequestTable.FULL) {
            purges = seg.purges(s);
          } else {
            long amount = r.nextInt(1000);
            if (seg.crowded(s)) {
              purges = seg.purges(s);
            }
            locked = false;
            seg.fillAndUnlock(s, -1 - at, h[0], h[1], amount, now + 10_000_000, ci);
            model.put(id, new Entry(RequestTable.RESERVED, 0, amount, 0));
          }
        } else if (op > 0 && known && m.state == RequestTable.RESERVED) {
          int state = op == 1 ? RequestTable.COMMITTED : RequestTable.RELEASED;
          long actual = op == 1 ? r.nextInt(2000) : 0;
          if (r.nextBoolean()) {
            locked = false;
            seg.finishAndUnlock(s, at, h[0], state, now, actual);
          } else {
            assertThat(seg.finish(s, at, seg.stateWord(s, at), state, now, actual)).isTrue();
          }
          model.put(id, new Entry(state, now, m.amount, actual));
        }
      } finally {
        if (locked) {
          seg.unlock(s, h[0]);
        }
      }
      if (purges >= 0) {
        seg.purge(s, purges, now, expiry);
        purgesSeen++;
      }
    }
    long end = now;
    int inTable = 0;
    int capacity = 0;
    for (RequestTable.Segment s : t.segments()) {
      inTable += s.remembered(now);
      capacity += s.capacity();
    }
    long open = model.values().stream().filter(v -> v.state == RequestTable.RESERVED).count();
    long recent = model.values().stream().filter(v -> v.state != RequestTable.RESERVED && v.finishedAt + window > end).count();
    assertThat(inTable).isEqualTo(open + recent).isPositive();
    assertThat(purgesSeen).isGreaterThan(100);
    assertThat(expired).isEmpty(); // no reservation outlived its time to live here
    // 20,000 ids early on, a few hundred live at the end: the segments did not keep their peak size
    assertThat(capacity).isLessThan(64 * 4096);
  }

  /** A purge expires a reservation past its time to live, tells of it, and remembers it for the window. */
  @Test
  void aPurgeExpiresReservationsPastTheirTimeToLive() {
    RequestTable t = new RequestTable(1_000);
    Tag tag = new Tag();
    long[] h = new long[2];
    t.hash("abandoned", h, 0);
    RequestTable.Segment seg = t.segment(h[0]);
    long[] s = seg.lock(h[0]);
    int at = -1 - seg.find(s, h[0], h[1], 0);
    assertThat(seg.claim(s, at, h[1], 0)).isTrue();
    long purges = seg.purges(s);
    seg.fillAndUnlock(s, at, h[0], h[1], 700, 500, seg.register(tag));
    List<Long> returned = new ArrayList<>();
    seg.purge(s, purges, 600, (charge, amount) -> {
      assertThat(charge).isSameAs(tag);
      returned.add(amount);
    });
    assertThat(returned).containsExactly(700L);
    s = seg.lock(h[0]);
    try {
      int found = seg.find(s, h[0], h[1], 1_599);
      assertThat(RequestTable.state(seg.stateWord(s, found))).isEqualTo(RequestTable.EXPIRED);
      assertThat(seg.find(s, h[0], h[1], 1_600)).isNegative(); // a window after it expired: forgotten
    } finally {
      seg.unlock(s, h[0]);
    }
  }

  /** Every distinct list of scopes gets a register index; a purge keeps only those live entries use. */
  @Test
  void thePurgeCompactsTheRegisterOfCharges() {
    RequestTable t = new RequestTable(10);
    RequestTable.Segment seg = t.segments()[0];
    List<Tag> tags = new ArrayList<>();
    long[] s = seg.slots;
    for (int i = 0; i < 64; i++) {
      Tag g = new Tag();
      tags.add(g);
      assertThat(seg.register(g)).isEqualTo(i);
      assertThat(seg.register(g)).isEqualTo(i); // the cached index
    }
    assertThat(seg.register(new Tag())).isEqualTo(-1); // full until a purge
    seg.purge(s, seg.purges(s), 0, (c, a) -> {});
    Tag fresh = new Tag();
    assertThat(seg.register(fresh)).isZero(); // no entry used the old ones: all dropped
    assertThat(seg.register(tags.get(5))).isEqualTo(1); // registered again, at a new index
  }

  /** Inserts a reservation for the fingerprint (h1, h2) as the ledger does; returns its slot. */
  private static int insert(RequestTable.Segment seg, long h1, long h2, long now, Tag tag) {
    long[] s = seg.lock(h1);
    int at = seg.find(s, h1, h2, now);
    assertThat(at).isNegative();
    assertThat(seg.claim(s, -1 - at, h2, now)).isTrue();
    seg.fillAndUnlock(s, -1 - at, h1, h2, 100, now + 1_000_000, seg.register(tag));
    return -1 - at;
  }

  private static void finish(RequestTable.Segment seg, long h1, long h2, long now) {
    long[] s = seg.lock(h1);
    seg.finishAndUnlock(s, seg.find(s, h1, h2, now), h1, RequestTable.COMMITTED, now, 1);
  }

  private static boolean remembered(RequestTable.Segment seg, long h1, long h2, long now) {
    long[] s = seg.lock(h1);
    try {
      return seg.find(s, h1, h2, now) >= 0;
    } finally {
      seg.unlock(s, h1);
    }
  }

  /**
   * A purge in place must start after a slot that was empty before it, not one it just emptied.
   * In a 16-slot segment: P (home 15) at 15, Q (home 15) at 0, R (home 1) at 1, S (home 2) at 2,
   * X (home 0) at 3, Y (home 1) at 4; P and S are forgotten. Started after slot 2 (the first empty
   * one once S is dropped), X moves to 2 and Y to 3; then Q goes back to 15, and X, taken again
   * last, from 2 to 0, leaving slot 2 empty between Y's home and Y: Y is lost.
   */
  @Test
  void aPurgeInPlaceKeepsEveryProbeSequenceWhole() {
    RequestTable t = new RequestTable(10);
    RequestTable.Segment seg = t.segments()[0];
    Tag tag = new Tag();
    long p = 15;
    long q = 16 + 15;
    long r = 1;
    long st = 2;
    long x = 16;
    assertThat(insert(seg, p, 1, 0, tag)).isEqualTo(15);
    assertThat(insert(seg, q, 2, 0, tag)).isZero();
    assertThat(insert(seg, r, 3, 0, tag)).isEqualTo(1);
    assertThat(insert(seg, st, 4, 0, tag)).isEqualTo(2);
    assertThat(insert(seg, x, 5, 0, tag)).isEqualTo(3);
    long y = 16 + 1;
    assertThat(insert(seg, y, 6, 0, tag)).isEqualTo(4);
    finish(seg, p, 1, 0);
    finish(seg, st, 4, 0);
    long[] s = seg.slots;
    seg.purge(s, seg.purges(s), 10, (c, a) -> {});
    assertThat(seg.slots).isSameAs(s); // in place
    assertThat(remembered(seg, q, 2, 10)).isTrue();
    assertThat(remembered(seg, r, 3, 10)).isTrue();
    assertThat(remembered(seg, x, 5, 10)).isTrue();
    assertThat(remembered(seg, y, 6, 10)).isTrue();
    assertThat(remembered(seg, p, 1, 10)).isFalse();
    assertThat(remembered(seg, st, 4, 10)).isFalse();
    assertThat(seg.remembered(10)).isEqualTo(4);
  }

  /**
   * A segment with no empty slot left has no place to start a purge in place: it is purged into a
   * new array, of the same size here (4 ids stay), every live id still found.
   */
  @Test
  void aFullSegmentIsPurgedIntoANewArray() {
    RequestTable t = new RequestTable(10);
    RequestTable.Segment seg = t.segments()[0];
    Tag tag = new Tag();
    for (int i = 0; i < 16; i++) {
      insert(seg, i * 7L % 16, 100 + i, 0, tag); // all 16 slots
    }
    for (int i = 0; i < 16; i++) {
      if (i % 4 != 0) {
        finish(seg, i * 7L % 16, 100 + i, 0);
      }
    }
    long[] s = seg.slots;
    long[] probe = seg.lock(99);
    assertThat(seg.find(probe, 99, 1, 0)).isEqualTo(RequestTable.FULL);
    seg.unlock(probe, 99);
    seg.purge(s, seg.purges(s), 10, (c, a) -> {});
    assertThat(seg.slots).isNotSameAs(s).hasSameSizeAs(s);
    for (int i = 0; i < 16; i++) {
      assertThat(remembered(seg, i * 7L % 16, 100 + i, 10)).as("id %d", i).isEqualTo(i % 4 == 0);
    }
  }

  /**
   * A purge that compacts the register and expires a reservation in the same pass tells the
   * expiry the reservation's own charge: the index in its slot is into the register as it was
   * before the purge.
   */
  @Test
  void aPurgeThatCompactsTheRegisterExpiresWithTheRightCharge() {
    RequestTable t = new RequestTable(10);
    RequestTable.Segment seg = t.segments()[0];
    List<Tag> tags = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Tag g = new Tag();
      tags.add(g);
      seg.register(g); // 40 of 64: over half, so the purge compacts
    }
    Tag abandoned = tags.get(37);
    long[] s = seg.lock(5);
    int at = -1 - seg.find(s, 5, 1, 0);
    assertThat(seg.claim(s, at, 1, 0)).isTrue();
    seg.fillAndUnlock(s, at, 5, 1, 700, 500, seg.register(abandoned));
    List<Object> told = new ArrayList<>();
    s = seg.slots;
    seg.purge(s, seg.purges(s), 600, (charge, amount) -> told.add(charge));
    assertThat(told).containsExactly(abandoned);
    assertThat(seg.register(abandoned)).isZero(); // the only charge kept: renumbered to 0
    s = seg.lock(5);
    try {
      assertThat(seg.charge(s, seg.find(s, 5, 1, 601))).isSameAs(abandoned);
    } finally {
      seg.unlock(s, 5);
    }
  }
}
