package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * DynamoDB's number range at the double next to each end: a double is stored as its shortest decimal, so the question is
 * which doubles print as a number DynamoDB accepts (1E-130 to 9.9999999999999999999999999999999999999E+125).
 */
class DynamoDbNumberRangeTest {

    private static final BigDecimal LARGEST = new BigDecimal("9.9999999999999999999999999999999999999E+125");
    private static final BigDecimal SMALLEST = new BigDecimal("1E-130");

    @Test
    void theLargestStorableDoubleIsTheOneJustBelow1e126() {
        // DynamoDB's largest, as a double, rounds up to 1e126, which prints as 1.0E126: beyond the range
        assertThat(LARGEST.doubleValue()).isEqualTo(1e126);
        assertThat(new BigDecimal(Double.toString(1e126))).isGreaterThan(LARGEST);
        assertThat(TripRules.storableProblem("gcDistance", 1e126)).isNotNull();
        assertThat(TripRules.storableProblem("gcDistance", -1e126)).isNotNull();

        double below = Math.nextDown(1e126);
        assertThat(new BigDecimal(Double.toString(below))).isLessThanOrEqualTo(LARGEST);
        assertThat(TripRules.storableProblem("gcDistance", below)).isNull();
    }

    @Test
    void theSmallestStorableDoubleIs1eMinus130AndTheOneBelowIsRefused() {
        assertThat(new BigDecimal(Double.toString(1e-130))).isGreaterThanOrEqualTo(SMALLEST);
        assertThat(TripRules.storableProblem("gcDistance", 1e-130)).isNull();
        double below = Math.nextDown(1e-130);
        assertThat(new BigDecimal(Double.toString(below))).isLessThan(SMALLEST);
        assertThat(TripRules.storableProblem("gcDistance", below)).isNotNull();
        assertThat(TripRules.storableProblem("gcDistance", 0.0)).isNull();
    }
}
