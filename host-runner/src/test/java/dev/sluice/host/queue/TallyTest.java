package dev.sluice.host.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-destination counts, with one destination held in fields and more in a map. */
class TallyTest {

    private static List<String> contents(Tally tally) {
        List<String> out = new ArrayList<>();
        tally.<RuntimeException>forEach((id, events, bytes) -> out.add(id + " " + events + " " + bytes));
        return out;
    }

    @Test
    void countsOneDestinationAndSeveral() {
        Tally tally = new Tally();
        assertThat(contents(tally)).isEmpty();

        tally.add("a", 1, 10);
        tally.add("a", 2, 20);
        assertThat(contents(tally)).containsExactly("a 3 30");

        tally.add("b", 1, 5);
        tally.add("c", 4, 8);
        tally.add("b", 1, 5);
        tally.add("a", 1, 1);
        assertThat(contents(tally)).containsExactlyInAnyOrder("a 4 31", "b 2 10", "c 4 8");
        assertThat(tally.events("b")).isEqualTo(2);
        assertThat(tally.bytes("b")).isEqualTo(10);
        assertThat(tally.events("a")).isEqualTo(4);
        assertThat(tally.events("none")).isZero();
        assertThat(tally.bytes("none")).isZero();
    }

    @Test
    void addsAnotherTally() {
        Tally moved = new Tally();
        Tally first = new Tally();
        first.add("b", 2, 200);
        Tally second = new Tally();
        second.add("a", 1, 100);
        second.add("b", 1, 100);
        moved.addAll(first);
        moved.addAll(second);
        assertThat(contents(moved)).containsExactlyInAnyOrder("a 1 100", "b 3 300");
    }

    @Test
    void aVisitorsExceptionReachesTheCaller() {
        Tally tally = new Tally();
        tally.add("a", 1, 1);
        assertThatThrownBy(() -> tally.forEach((id, events, bytes) -> {
            throw new java.io.IOException("refused " + id);
        })).isInstanceOf(java.io.IOException.class).hasMessage("refused a");
    }
}
