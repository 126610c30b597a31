package com.kahula.eventpersister.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTests {

    /** An item of a given size; a batch is shown by its items' names. */
    private record Item(String name, long bytes) {}

    @Test
    void makesNoBatchOfNothing() {
        assertThat(Batcher.split(List.<Item>of(), 10, 100, Item::bytes)).isEmpty();
        assertThat(new Batcher<Item>(10, 100, Item::bytes).rest()).isEmpty();
    }

    @Test
    void closesABatchWhenItHoldsMaxEntries() {
        assertThat(split(3, 100, item("a", 1), item("b", 1), item("c", 1), item("d", 1), item("e", 1)))
                .containsExactly(List.of("a", "b", "c"), List.of("d", "e"));
    }

    @Test
    void closesABatchBeforeItWouldGrowBeyondMaxBytes() {
        assertThat(split(10, 10, item("a", 4), item("b", 4), item("c", 4), item("d", 4), item("e", 3)))
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
    }

    @Test
    void fillsABatchToExactlyMaxBytes() {
        assertThat(split(10, 10, item("a", 4), item("b", 6), item("c", 10), item("d", 1)))
                .containsExactly(List.of("a", "b"), List.of("c"), List.of("d"));
    }

    @Test
    void whicheverLimitIsReachedFirstClosesTheBatch() {
        assertThat(split(
                        3,
                        10,
                        item("a", 1),
                        item("b", 1),
                        item("c", 1),
                        item("d", 1),
                        item("e", 9),
                        item("f", 2),
                        item("g", 1),
                        item("h", 1)))
                .containsExactly(List.of("a", "b", "c"), List.of("d", "e"), List.of("f", "g", "h"));
    }

    @Test
    void sendsAnItemLargerThanMaxBytesInABatchOfItsOwn() {
        assertThat(split(10, 10, item("a", 3), item("big", 11), item("c", 2)))
                .containsExactly(List.of("a"), List.of("big"), List.of("c"));
        assertThat(split(10, 10, item("big", 11), item("huge", 500), item("c", 2)))
                .containsExactly(List.of("big"), List.of("huge"), List.of("c"));
    }

    @Test
    void keepsTheItemsInTheirOrder() {
        assertThat(split(2, 1_000, item("k", 1), item("c", 1), item("x", 1), item("a", 1), item("q", 1)))
                .containsExactly(List.of("k", "c"), List.of("x", "a"), List.of("q"));
    }

    @Test
    void handsOnTheClosedBatchBeforeTheItemThatDidNotFitAndTheRestAtTheEnd() {
        Batcher<Item> batcher = new Batcher<>(2, 262_144, Item::bytes);

        assertThat(batcher.add(item("a", 262_000))).isEmpty();
        assertThat(batcher.add(item("b", 145))).containsExactly(item("a", 262_000));
        assertThat(batcher.add(item("c", 1))).isEmpty();
        assertThat(batcher.add(item("d", 1))).containsExactly(item("b", 145), item("c", 1));
        assertThat(batcher.rest()).containsExactly(item("d", 1));
        assertThat(batcher.rest()).isEmpty();
    }

    @Test
    void aClosedBatchIsNotChangedByWhatIsAddedLater() {
        Batcher<Item> batcher = new Batcher<>(1, 100, Item::bytes);
        batcher.add(item("a", 1));
        List<Item> closed = batcher.add(item("b", 1));

        batcher.add(item("c", 1));

        assertThat(closed).containsExactly(item("a", 1));
        assertThatThrownBy(() -> closed.add(item("x", 1))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesLimitsThatNoBatchCouldMeet() {
        assertThatThrownBy(() -> new Batcher<Item>(0, 100, Item::bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEntries must be at least 1, was 0");
        assertThatThrownBy(() -> new Batcher<Item>(10, 0, Item::bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBytes must be at least 1, was 0");
    }

    private static Item item(String name, long bytes) {
        return new Item(name, bytes);
    }

    private static List<List<String>> split(int maxEntries, long maxBytes, Item... items) {
        return Batcher.split(List.of(items), maxEntries, maxBytes, Item::bytes).stream()
                .map(batch -> batch.stream().map(Item::name).toList())
                .toList();
    }
}
