package org.lvsha.health.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RiseFallCounterTest {
    /** Results as a string of + and -; states after each result as U (up), D (down). */
    @ParameterizedTest(name = "rise {0} fall {1}: {2} gives {3}")
    @CsvSource({
            "2,3,+,U",
            "2,3,-,D",
            "2,3,+--,UUU",
            "2,3,+---,UUUD",
            "2,3,+--+---,UUUUUUD",
            "2,3,-+,DD",
            "2,3,-++,DDU",
            "2,3,-+-++,DDDDU",
            "1,1,+-+-,UDUD",
            "3,1,-++-+++,DDDDDDU"})
    void statesFollowConsecutiveResults(int rise, int fall, String results, String states) {
        RiseFallCounter c = new RiseFallCounter(rise, fall);
        StringBuilder seen = new StringBuilder();
        for (char r : results.toCharArray()) {
            c.record(r == '+');
            seen.append(c.state() == RiseFallCounter.State.UP ? 'U' : 'D');
        }
        assertThat(seen.toString()).isEqualTo(states);
    }

    @ParameterizedTest(name = "after {0} the counter is in transition: {1}")
    @CsvSource({"+,false", "+-,true", "+--,true", "+---,false", "-+,true", "-++,false", "+-+,false"})
    void aDisagreeingResultStartsATransition(String results, boolean inTransition) {
        RiseFallCounter c = new RiseFallCounter(2, 3);
        for (char r : results.toCharArray()) {
            c.record(r == '+');
        }
        assertThat(c.inTransition()).isEqualTo(inTransition);
    }

    @ParameterizedTest
    @CsvSource({"+,true", "++,false", "+-,false", "+---,true"})
    void recordSaysWhenTheStateChanged(String results, boolean lastChanged) {
        RiseFallCounter c = new RiseFallCounter(2, 3);
        boolean changed = false;
        for (char r : results.toCharArray()) {
            changed = c.record(r == '+');
        }
        assertThat(changed).isEqualTo(lastChanged);
    }
}
