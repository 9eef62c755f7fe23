package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabelLanesTest {
    @Test
    void labelsApartInTimeShareTheFirstRow() {
        LabelLanes lanes = new LabelLanes(3);
        assertThat(lanes.place(0, 100)).isZero();
        assertThat(lanes.place(104, 50)).isZero(); // exactly the gap after the first
        assertThat(lanes.place(300, 10)).isZero();
    }

    @Test
    void anOverlappingLabelGoesToTheNextFreeRowAndARowIsReusedOnceFree() {
        LabelLanes lanes = new LabelLanes(3);
        assertThat(lanes.place(0, 100)).isZero();
        assertThat(lanes.place(20, 100)).isEqualTo(1);
        assertThat(lanes.place(40, 30)).isEqualTo(2);
        assertThat(lanes.place(80, 10)).as("row 2 ends at 70, 80 - 70 >= gap").isEqualTo(2);
        assertThat(lanes.place(110, 10)).as("row 0 ends at 100").isZero();
    }

    @Test
    void whenEveryRowIsTakenTheOneThatFreesFirstIsShared() {
        LabelLanes lanes = new LabelLanes(2);
        assertThat(lanes.place(0, 300)).isZero();
        assertThat(lanes.place(10, 50)).isEqualTo(1);
        assertThat(lanes.place(20, 50)).as("row 1 ends at 60, before row 0's 300").isEqualTo(1);
        assertThat(lanes.place(66, 5)).as("row 1 now ends at 70, still before row 0").isEqualTo(1);
    }

    @Test
    void atLeastOneRow() {
        assertThatThrownBy(() -> new LabelLanes(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
