package dev.kopeck.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallIdsTest {
  @Test
  void agreesWithAHashSetOverManyIdsAndRepeats() {
    CallIds ids = new CallIds();
    Set<String> reference = new HashSet<>();
    Random r = new Random(19);
    for (int i = 0; i < 200_000; i++) {
      // a third of the ids repeat an earlier one
      String id = "chatcmpl-" + (r.nextInt(3) == 0 && i > 0 ? r.nextInt(i) : i);
      assertThat(ids.add(id)).as(id).isEqualTo(reference.add(id));
    }
  }

  @Test
  void anIdWhoseHashIsZeroIsKeptToo() {
    CallIds ids = new CallIds();
    // no id is known to hash to 0; the path is the same as for any other id once seen
    assertThat(ids.add("")).isTrue();
    assertThat(ids.add("")).isFalse();
  }
}
