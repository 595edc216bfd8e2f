package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TripParserTest {

    /** The workshop's example record, verbatim. */
    static final String WORKSHOP = "{\"id\":\"id0190469\",\"vendorId\":2,\"pickupDate\":\"2016-01-01T00:00:00\","
            + "\"dropoffDate\":\"2016-01-01T00:14:00\",\"passengerCount\":5,\"pickupLongitude\":-73.98174,"
            + "\"pickupLatitude\":40.71916,\"dropoffLongitude\":-73.93883,\"dropoffLatitude\":40.82918,"
            + "\"storeAndFwdFlag\":\"N\",\"gcDistance\":7.9288297,\"tripDuration\":849,\"googleDistance\":15309,"
            + "\"googleDuration\":1109}";

    static final Trip WORKSHOP_TRIP = new Trip("id0190469", 2, LocalDateTime.of(2016, 1, 1, 0, 0),
            LocalDateTime.of(2016, 1, 1, 0, 14), 5, -73.98174, 40.71916, -73.93883, 40.82918, "N",
            7.9288297, 849L, 15309L, 1109L);

    /** The smallest clean record: the four required fields. */
    static final String MINIMAL = "{\"id\":\"a\",\"vendorId\":1,\"pickupDate\":\"2016-01-01T00:00:00\",\"passengerCount\":1}";

    private final TripParser parser = new TripParser();

    private TripResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private Trip clean(String json) {
        TripResult r = parse(json);
        assertThat(r).as("parse of %s", json).isInstanceOf(Trip.class);
        return (Trip) r;
    }

    private Rejection rejected(String json) {
        TripResult r = parse(json);
        assertThat(r).as("parse of %s", json).isInstanceOf(Rejection.class);
        return (Rejection) r;
    }

    /** The minimal record with one field added or replaced. */
    private static String minimalWith(String field, String jsonValue) {
        String base = MINIMAL.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*)[,]?", "");
        base = base.endsWith(",}") ? base.substring(0, base.length() - 2) + "}" : base;
        return base.substring(0, base.length() - 1) + (base.length() > 2 ? "," : "")
                + "\"" + field + "\":" + jsonValue + "}";
    }

    @Nested
    @DisplayName("clean records")
    class Clean {
        @Test
        void the_workshop_example_gives_every_field() {
            assertThat(clean(WORKSHOP)).isEqualTo(WORKSHOP_TRIP);
        }

        @Test
        void every_value_written_as_a_string_means_the_same_trip() {
            String allStrings = "{\"id\":\"id0190469\",\"vendorId\":\"2\",\"pickupDate\":\"2016-01-01T00:00:00\","
                    + "\"dropoffDate\":\"2016-01-01T00:14:00\",\"passengerCount\":\"5\",\"pickupLongitude\":\"-73.98174\","
                    + "\"pickupLatitude\":\"40.71916\",\"dropoffLongitude\":\"-73.93883\",\"dropoffLatitude\":\"40.82918\","
                    + "\"storeAndFwdFlag\":\"N\",\"gcDistance\":\"7.9288297\",\"tripDuration\":\"849\","
                    + "\"googleDistance\":\"15309\",\"googleDuration\":\"1109\"}";
            assertThat(clean(allStrings)).isEqualTo(WORKSHOP_TRIP);
        }

        @Test
        void only_the_four_required_fields_leave_the_optional_ones_null() {
            Trip t = clean(MINIMAL);
            assertThat(t.id()).isEqualTo("a");
            assertThat(t.dropoffDate()).isNull();
            assertThat(t.pickupLongitude()).isNull();
            assertThat(t.storeAndFwdFlag()).isNull();
            assertThat(t.gcDistance()).isNull();
            assertThat(t.tripDuration()).isNull();
            assertThat(t.googleDistance()).isNull();
            assertThat(t.googleDuration()).isNull();
        }

        @Test
        void fields_may_come_in_any_order() {
            Trip t = clean("{\"passengerCount\":3,\"pickupDate\":\"2016-01-01T00:00:00\",\"vendorId\":1,\"id\":\"z\"}");
            assertThat(t.passengerCount()).isEqualTo(3);
            assertThat(t.id()).isEqualTo("z");
        }

        @Test
        void unknown_fields_of_every_json_type_are_skipped() {
            String json = "{\"extra\":{\"a\":[1,{\"b\":null}],\"vendorId\":99},\"list\":[[],{}],\"n\":1e5,"
                    + "\"t\":true,\"s\":\"x\",\"z\":null," + MINIMAL.substring(1);
            assertThat(clean(json)).isEqualTo(clean(MINIMAL));
        }

        @Test
        void an_unknown_field_between_fields_in_the_usual_order_changes_nothing() {
            String json = WORKSHOP.replace(",\"passengerCount\"", ",\"note\":{\"passengerCount\":7},\"passengerCount\"")
                    .replace(",\"googleDistance\"", ",\"extra\":[2,{\"vendorId\":3}],\"googleDistance\"");
            assertThat(clean(json)).isEqualTo(WORKSHOP_TRIP);
        }

        @Test
        void null_for_an_optional_field_means_absent() {
            assertThat(clean(minimalWith("gcDistance", "null")).gcDistance()).isNull();
            assertThat(clean(minimalWith("dropoffDate", "null")).dropoffDate()).isNull();
            assertThat(clean(minimalWith("storeAndFwdFlag", "null")).storeAndFwdFlag()).isNull();
        }

        @Test
        void an_empty_string_for_an_optional_field_means_absent() {
            // what the all-strings producer writes for the CSV's empty Google columns
            assertThat(clean(minimalWith("googleDistance", "\"\"")).googleDistance()).isNull();
            assertThat(clean(minimalWith("dropoffDate", "\"\"")).dropoffDate()).isNull();
        }

        @ParameterizedTest(name = "vendorId {0} is the integer 2")
        @ValueSource(strings = {"2", "2.0", "2e0", "0.2e1", "\"2\"", "\"2.0\""})
        void an_integral_decimal_counts_as_an_integer(String value) {
            assertThat(clean(minimalWith("vendorId", value)).vendorId()).isEqualTo(2);
        }

        @Test
        void boundaries_of_the_ranges_are_inside() {
            assertThat(clean(minimalWith("passengerCount", "0")).passengerCount()).isZero();
            assertThat(clean(minimalWith("passengerCount", "9")).passengerCount()).isEqualTo(9);
            assertThat(clean(minimalWith("pickupLongitude", "-180")).pickupLongitude()).isEqualTo(-180.0);
            assertThat(clean(minimalWith("dropoffLatitude", "90")).dropoffLatitude()).isEqualTo(90.0);
            assertThat(clean(minimalWith("tripDuration", "0")).tripDuration()).isZero();
            assertThat(clean(minimalWith("dropoffDate", "\"2016-01-01T00:00:00\"")).dropoffDate())
                    .isEqualTo(LocalDateTime.of(2016, 1, 1, 0, 0));
        }

        @Test
        void the_flag_keeps_its_value() {
            assertThat(clean(minimalWith("storeAndFwdFlag", "\"Y\"")).storeAndFwdFlag()).isEqualTo("Y");
        }

        @Test
        void a_record_inside_a_larger_buffer_is_read_from_its_offset() {
            byte[] record = WORKSHOP.getBytes(StandardCharsets.UTF_8);
            byte[] buf = new byte[record.length + 20];
            java.util.Arrays.fill(buf, (byte) '#');
            System.arraycopy(record, 0, buf, 7, record.length);
            assertThat(parser.parse(buf, 7, record.length)).isEqualTo(WORKSHOP_TRIP);
        }

        @Test
        void non_ascii_text_is_kept() {
            assertThat(clean(minimalWith("id", "\"trip-é-東京-😀\"")).id()).isEqualTo("trip-é-東京-😀");
        }

        @Test
        void a_field_given_twice_is_ambiguous_and_not_counted() {
            // the id twice: the partition key may carry the first, a reader keeping the last would store the second
            assertThat(rejected(minimalWith("id", "\"t-1\",\"id\":\"t-2\""))).isEqualTo(new Rejection(RejectReason.MALFORMED_JSON,
                    "id", "the record has id twice, and which of its values is meant is ambiguous"));
            assertThat(rejected(minimalWith("gcDistance", "1.5,\"gcDistance\":2.5")).detail())
                    .isEqualTo("the record has gcDistance twice, and which of its values is meant is ambiguous");
            assertThat(rejected(minimalWith("passengerCount", "1,\"passengerCount\":9")).field()).isEqualTo("passengerCount");
            // a field this function does not read may come twice: nothing depends on it
            assertThat(clean(minimalWith("gcDistance", "1.5,\"note\":1,\"note\":2")).gcDistance()).isEqualTo(1.5);
        }
    }

    @Nested
    @DisplayName("dates")
    class Dates {
        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource({
                "2016-01-01T00:14:00, 2016-01-01T00:14:00",
                "2016-01-01T00:14, 2016-01-01T00:14:00",
                "2016-01-01T00:14:00.250, 2016-01-01T00:14:00.250",
                "2016-01-01T00:14:00Z, 2016-01-01T00:14:00",
                "2016-01-01T00:14:00-05:00, 2016-01-01T05:14:00",
                "2016-01-01T00:14:00.5+01:00, 2015-12-31T23:14:00.5",
                "2016-07-01T12:00:00-04:00[America/New_York], 2016-07-01T16:00:00",
                "2016-02-29T23:59:59, 2016-02-29T23:59:59",
        })
        void iso_local_date_times_are_read_and_zoned_ones_converted_to_utc(String text, String expected) {
            assertThat(clean(minimalWith("pickupDate", "\"" + text + "\"")).pickupDate())
                    .isEqualTo(LocalDateTime.parse(expected));
        }

        @ParameterizedTest(name = "\"{0}\" is not a date")
        @ValueSource(strings = {"2016-02-30T00:00:00", "2015-02-29T00:00:00", "2016-13-01T00:00:00",
                "2016-01-01T24:00:00", "2016-01-01T00:60:00", "2016-01-01T00:00:60", "2016-01-01 00:00:00",
                "1/1/2016 0:14", "2016-01-01", "yesterday", "2016-01-01T00:00:00+25:00", "2016-0a-01T00:00:00",
                "+999999999-12-31T23:59:59", "+10000-01-01T00:00:00", "-0001-01-01T00:00:00", "9999-12-31T23:59:59-01:00"})
        void a_string_that_is_not_an_iso_date_time_is_a_wrong_type(String text) {
            Rejection r = rejected(minimalWith("pickupDate", "\"" + text + "\""));
            assertThat(r.reason()).isEqualTo(RejectReason.WRONG_TYPE);
            assertThat(r.field()).isEqualTo("pickupDate");
            assertThat(r.detail()).isEqualTo("pickupDate \"" + text + "\" is not a date-time this function reads (ISO-8601, such as"
                    + " 2016-01-01T00:14:00; a real calendar day, years 0000-9999 once in UTC, hours 0-23, seconds 0-59)");
        }

        @Test
        void a_number_for_a_date_is_a_wrong_type() {
            Rejection r = rejected(minimalWith("dropoffDate", "1451606400"));
            assertThat(r.reason()).isEqualTo(RejectReason.WRONG_TYPE);
            assertThat(r.detail()).isEqualTo("dropoffDate is a number, not an ISO-8601 date-time string");
        }

        @Test
        void a_dropoff_before_the_pickup_is_out_of_range() {
            Rejection r = rejected(minimalWith("dropoffDate", "\"2015-12-31T23:59:59\""));
            assertThat(r).isEqualTo(new Rejection(RejectReason.OUT_OF_RANGE, "dropoffDate",
                    "dropoffDate 2015-12-31T23:59:59 is before pickupDate 2016-01-01T00:00:00"));
        }

        @Test
        void a_dropoff_more_than_31_days_after_the_pickup_is_out_of_range_as_a_trip_duration_is() {
            clean(minimalWith("dropoffDate", "\"2016-02-01T00:00:00\"")); // exactly 31 days after 2016-01-01T00:00
            assertThat(rejected(minimalWith("dropoffDate", "\"2016-02-01T00:00:01\""))).isEqualTo(new Rejection(RejectReason.OUT_OF_RANGE,
                    "dropoffDate", "dropoffDate 2016-02-01T00:00:01 is more than 31 days after pickupDate 2016-01-01T00:00:00"));
            assertThat(rejected(minimalWith("dropoffDate", "\"2116-01-01T00:00:00\"")).field()).isEqualTo("dropoffDate");
            // 31 days apart on the calendar, a second less than 31 days in time; and a second more
            clean(minimalWith("pickupDate", "\"2016-01-01T12:00:00\",\"dropoffDate\":\"2016-02-01T11:59:59\""));
            clean(minimalWith("pickupDate", "\"2016-01-01T12:00:00\",\"dropoffDate\":\"2016-02-01T12:00:00\""));
            assertThat(rejected(minimalWith("pickupDate", "\"2016-01-01T12:00:00\",\"dropoffDate\":\"2016-02-01T12:00:01\""))
                    .field()).isEqualTo("dropoffDate");
        }
    }

    @Nested
    @DisplayName("missing fields")
    class Missing {
        @ParameterizedTest(name = "without {0}")
        @ValueSource(strings = {"id", "vendorId", "pickupDate", "passengerCount"})
        void a_required_field_that_is_absent_is_missing(String field) {
            String json = MINIMAL.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*),?", "").replace(",}", "}");
            assertThat(rejected(json)).isEqualTo(
                    new Rejection(RejectReason.MISSING_FIELD, field, "the record has no " + field));
        }

        @ParameterizedTest(name = "{0} null")
        @ValueSource(strings = {"id", "vendorId", "pickupDate", "passengerCount"})
        void a_required_field_that_is_null_is_missing(String field) {
            assertThat(rejected(minimalWith(field, "null")))
                    .isEqualTo(new Rejection(RejectReason.MISSING_FIELD, field, field + " is null"));
        }

        @ParameterizedTest(name = "{0} empty")
        @ValueSource(strings = {"id", "vendorId", "pickupDate", "passengerCount"})
        void a_required_field_that_is_an_empty_string_is_missing(String field) {
            assertThat(rejected(minimalWith(field, "\"\"")))
                    .isEqualTo(new Rejection(RejectReason.MISSING_FIELD, field, field + " is empty"));
        }

        @Test
        void an_empty_object_misses_the_id_first() {
            assertThat(rejected("{}").field()).isEqualTo("id");
        }
    }

    @Nested
    @DisplayName("wrong types")
    class WrongTypes {
        @Test
        void a_fraction_for_an_integer_field_is_a_wrong_type() {
            assertThat(rejected(minimalWith("vendorId", "2.5")))
                    .isEqualTo(new Rejection(RejectReason.WRONG_TYPE, "vendorId", "vendorId 2.5 is not a whole number"));
            assertThat(rejected(minimalWith("tripDuration", "\"849.5\"")).reason()).isEqualTo(RejectReason.WRONG_TYPE);
        }

        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', value = {"passengerCount|3.0", "passengerCount|3.000000000000000000000000000000000000000000",
                "vendorId|2e0", "tripDuration|8.4e2", "googleDuration|\"840.00\"",
                // a number is its nearest double: this fraction is below a double's precision, so it reads as 3
                "passengerCount|3.00000000000000001"})
        void a_whole_number_written_with_a_fraction_or_an_exponent_is_whole(String field, String value) {
            clean(minimalWith(field, value));
        }

        @ParameterizedTest(name = "passengerCount {0}")
        @CsvSource(delimiter = '|', value = {
                "\"abc\"|passengerCount \"abc\" is not a number",
                "\"NaN\"|passengerCount \"NaN\" is not a number",
                "\" 5\"|passengerCount \" 5\" is not a number",
                "\"5d\"|passengerCount \"5d\" is not a number",
                "\"0x5\"|passengerCount \"0x5\" is not a number",
                "true|passengerCount is a boolean, not a number",
                "{\"n\":5}|passengerCount is a JSON object, not a number",
                "[5]|passengerCount is a JSON array, not a number"})
        void a_value_that_cannot_mean_a_number_is_a_wrong_type(String value, String detail) {
            assertThat(rejected(minimalWith("passengerCount", value)))
                    .isEqualTo(new Rejection(RejectReason.WRONG_TYPE, "passengerCount", detail));
        }

        @Test
        void a_number_for_the_id_is_a_wrong_type() {
            assertThat(rejected(minimalWith("id", "12345")))
                    .isEqualTo(new Rejection(RejectReason.WRONG_TYPE, "id", "id is a number, not a string"));
        }

        @Test
        void a_boolean_for_the_flag_is_a_wrong_type() {
            assertThat(rejected(minimalWith("storeAndFwdFlag", "false")).reason()).isEqualTo(RejectReason.WRONG_TYPE);
        }

        @Test
        void a_coordinate_in_an_object_is_a_wrong_type_even_when_nested_deeper() {
            Rejection r = rejected(minimalWith("pickupLatitude", "{\"value\":{\"deg\":40.7}}"));
            assertThat(r.reason()).isEqualTo(RejectReason.WRONG_TYPE);
            assertThat(r.field()).isEqualTo("pickupLatitude");
        }
    }

    @Nested
    @DisplayName("out of range")
    class OutOfRange {
        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', value = {
                "passengerCount|12|passengerCount 12 is outside 0..9",
                "passengerCount|-1|passengerCount -1 is outside 0..9",
                "passengerCount|\"10\"|passengerCount 10 is outside 0..9",
                "vendorId|0|vendorId 0 is outside 1..2147483647",
                "vendorId|3000000000|vendorId 3000000000 is outside 1..2147483647",
                "vendorId|99999999999999999999|vendorId 99999999999999999999 is outside 1..2147483647",
                "vendorId|1e300|vendorId 1e300 is outside 1..2147483647",
                "passengerCount|\"-99999999999999999999\"|passengerCount -99999999999999999999 is outside 0..9",
                "googleDistance|99999999999999999999|googleDistance 99999999999999999999 is too large for a 64-bit integer",
                "tripDuration|-1e30|tripDuration -1e30 is negative",
                "pickupLongitude|-180.5|pickupLongitude -180.5 is outside -180..180",
                "dropoffLongitude|\"181\"|dropoffLongitude 181.0 is outside -180..180",
                "pickupLatitude|90.0001|pickupLatitude 90.0001 is outside -90..90",
                "dropoffLatitude|-91|dropoffLatitude -91.0 is outside -90..90",
                "gcDistance|-0.5|gcDistance -0.5 is not a finite number at least 0",
                "gcDistance|1e400|gcDistance Infinity is not a finite number at least 0",
                "tripDuration|-1|tripDuration -1 is negative",
                "googleDistance|\"-15309\"|googleDistance -15309 is negative",
                "googleDuration|-1.0|googleDuration -1 is negative",
                "gcDistance|1e200|gcDistance 1.0E200 miles is more than any distance on Earth",
                "gcDistance|12500.001|gcDistance 12500.001 miles is more than any distance on Earth",
                "gcDistance|1e-131|gcDistance 1.0E-131 is too small for DynamoDB to store (a number other than 0 is at least 1E-130)",
                // below a double's smallest: read as 0, but not 0 as written
                "gcDistance|1e-400|gcDistance 1e-400 is too small for DynamoDB to store (a number other than 0 is at least 1E-130)",
                "pickupLatitude|\"-1e-999999999\"|pickupLatitude -1e-999999999 is too small for DynamoDB to store (a number other than 0 is at least 1E-130)",
                "dropoffLongitude|1e-9999999999|dropoffLongitude 1e-9999999999 is too small for DynamoDB to store (a number other than 0 is at least 1E-130)",
                "gcDistance|0.001e-9999999999|gcDistance 0.001e-9999999999 is too small for DynamoDB to store (a number other than 0 is at least 1E-130)",
                "passengerCount|1e-400|passengerCount 1e-400 is too small for DynamoDB to store (a number other than 0 is at least 1E-130)",

                "pickupLatitude|1e-200|pickupLatitude 1.0E-200 is too small for DynamoDB to store (a number other than 0 is at least 1E-130)",
                "dropoffLongitude|-4.9e-324|dropoffLongitude -4.9E-324 is too small for DynamoDB to store (a number other than 0 is at least 1E-130)",
                "tripDuration|2678401|tripDuration 2678401 seconds is more than 31 days",
                "googleDuration|9223372036854775807|googleDuration 9223372036854775807 seconds is more than 31 days",
                "googleDistance|40075001|googleDistance 40075001 metres is more than around the Earth",
                "storeAndFwdFlag|\"X\"|storeAndFwdFlag \"X\" is neither Y nor N",
                "storeAndFwdFlag|\"yes\"|storeAndFwdFlag \"yes\" is neither Y nor N"})
        void a_well_typed_value_outside_its_range_is_out_of_range(String field, String value, String detail) {
            assertThat(rejected(minimalWith(field, value)))
                    .isEqualTo(new Rejection(RejectReason.OUT_OF_RANGE, field, detail));
        }

        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', value = {
                "gcDistance|12500", "gcDistance|1e-130", "gcDistance|0", "pickupLatitude|-1e-130", "pickupLatitude|0.0",
                "gcDistance|1.2345678901234567890123456789012345678", "pickupLatitude|40.0000000000000000000000000000000000000000000",
                "gcDistance|1.23456789012345678901234567890123456789",
                "gcDistance|0e-400", "gcDistance|0e-999999999999", "pickupLatitude|\"-0.000e99999999999\"", "gcDistance|0.000000000000000000000000000000000000000000",
                "tripDuration|2678400", "googleDuration|2678400", "googleDistance|40075000", "dropoffLongitude|-180"})
        void a_value_at_its_limit_is_clean(String field, String value) {
            clean(minimalWith(field, value));
        }

        @Test
        void an_id_longer_than_a_kinesis_partition_key_is_out_of_range() {
            assertThat(clean(minimalWith("id", "\"" + "é".repeat(256) + "\"")).id()).hasSize(256);
            Rejection r = rejected(minimalWith("id", "\"" + "x".repeat(257) + "\""));
            assertThat(r.reason()).isEqualTo(RejectReason.OUT_OF_RANGE);
            assertThat(r.detail()).isEqualTo("id is 257 characters long, more than the 256 a Kinesis partition key allows");
        }

        @ParameterizedTest(name = "id {0}")
        @ValueSource(strings = {"\"a\\ud800\"", "\"\\udc00a\"", "\"a\\ud800\\ud800\"", "\"\\ud83d\""})
        void an_id_with_a_lone_surrogate_is_out_of_range(String id) {
            // UTF-8, DynamoDB's encoding, cannot carry it: the item's key would be another id
            assertThat(rejected(minimalWith("id", id)))
                    .isEqualTo(new Rejection(RejectReason.OUT_OF_RANGE, "id", "id has a lone UTF-16 surrogate, which is not text"));
        }

        @Test
        void an_id_of_paired_surrogates_is_clean() {
            assertThat(clean(minimalWith("id", "\"\\ud83d\\ude95" + "\uD83D\uDE95".repeat(255) + "\"")).id()).hasSize(512);
        }
    }

    @Nested
    @DisplayName("malformed, not an object, not UTF-8, oversized")
    class WholeRecord {
        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"{\"id\":\"a\"", "{\"id\" \"a\"}", "{id:\"a\"}", "{\"id\":'a'}", "{\"a\":1,}",
                "{\"a\":NaN}", "{\"a\":01}", "nul", "{\"a\":\"tab\there\"}", "{} x", "{\"a\":1}}"})
        void text_that_is_not_json_is_malformed(String text) {
            Rejection r = rejected(text);
            assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED_JSON);
            assertThat(r.field()).isNull();
            assertThat(r.detail()).startsWith("the record is not valid JSON: ").doesNotContain("Source");
        }

        @Test
        void jacksons_limits_and_advice_are_told_in_plain_words() {
            String deep = "[".repeat(1001) + "]".repeat(1001);
            assertThat(rejected(minimalWith("note", deep)).detail())
                    .isEqualTo("the record's JSON goes past what this function reads: Document nesting depth (1001) exceeds the maximum allowed (1000)");
            assertThat(rejected(minimalWith("note", "1" + "0".repeat(5_000))).detail())
                    .isEqualTo("the record's JSON goes past what this function reads: Number value length (5001) exceeds the maximum allowed (1000)");
            assertThat(rejected(minimalWith("gcDistance", "NaN")).detail())
                    .isEqualTo("the record is not valid JSON: Non-standard token 'NaN': JSON has no such value");
        }

        @Test
        void an_empty_or_blank_record_is_malformed() {
            assertThat(rejected("")).isEqualTo(new Rejection(RejectReason.MALFORMED_JSON, null, "the record is empty"));
            assertThat(rejected(" \n\t ")).isEqualTo(new Rejection(RejectReason.MALFORMED_JSON, null, "the record is empty"));
        }

        @Test
        void two_objects_in_one_record_are_malformed() {
            assertThat(rejected(MINIMAL + MINIMAL)).isEqualTo(new Rejection(RejectReason.MALFORMED_JSON, null,
                    "the record has more JSON after its first value"));
        }

        @Test
        void a_syntax_error_after_a_bad_field_is_reported_as_malformed() {
            // the syntax of the whole record comes first, whatever the order of the problems
            assertThat(rejected("{\"vendorId\":\"abc\",\"id\":").reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "[1,2]|the record is a JSON array, not an object",
                "\"id0190469\"|the record is a string, not an object",
                "42|the record is a number, not an object",
                "null|the record is null, not an object",
                "true|the record is a boolean, not an object"})
        void valid_json_that_is_not_an_object_is_not_an_object(String json, String detail) {
            assertThat(rejected(json)).isEqualTo(new Rejection(RejectReason.NOT_AN_OBJECT, null, detail));
        }

        @Test
        void a_truncated_array_is_malformed_rather_than_not_an_object() {
            assertThat(rejected("[1,2").reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        }

        @Test
        void bytes_that_are_not_utf8_are_rejected_even_inside_a_skipped_field() {
            byte[] good = minimalWith("comment", "\"caf\u00e9\"").getBytes(StandardCharsets.UTF_8);
            assertThat(parser.parse(good)).isInstanceOf(Trip.class);
            byte[] latin1 = minimalWith("comment", "\"caf\u00e9\"").getBytes(StandardCharsets.ISO_8859_1);
            TripResult r = parser.parse(latin1);
            assertThat(r).isInstanceOf(Rejection.class);
            Rejection rejection = (Rejection) r;
            assertThat(rejection.reason()).isEqualTo(RejectReason.NOT_UTF8);
            int offset = new String(latin1, StandardCharsets.ISO_8859_1).indexOf('\u00e9');
            assertThat(rejection.detail()).isEqualTo("the record is not valid UTF-8: byte 0xE9 at offset "
                    + offset + " does not start a valid sequence");
        }

        @Test
        void a_record_above_the_maximum_size_is_oversized_before_anything_else() {
            TripParser small = new TripParser(100);
            byte[] record = WORKSHOP.getBytes(StandardCharsets.UTF_8);
            assertThat(small.parse(record)).isEqualTo(new Rejection(RejectReason.OVERSIZED, null,
                    "the record has " + record.length + " bytes, more than the maximum of 100"));
            assertThat(small.parse(MINIMAL.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Trip.class);
        }

        @Test
        void the_default_maximum_is_one_mebibyte() {
            assertThat(parser.maxRecordBytes()).isEqualTo(1 << 20);
            String padded = minimalWith("padding", "\"" + "x".repeat((1 << 20) - MINIMAL.length() - ",\"padding\":\"\"".length()) + "\"");
            assertThat(padded.length()).isEqualTo(1 << 20);
            assertThat(parse(padded)).isInstanceOf(Trip.class);
            assertThat(rejected(padded.replace("\"x", "\"xx")).reason()).isEqualTo(RejectReason.OVERSIZED);
        }

        @Test
        void nesting_deeper_than_jacksons_limit_is_malformed_not_a_crash() {
            String deep = "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "," + MINIMAL.substring(1);
            assertThat(rejected(deep).reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        }

        @Test
        void offsets_outside_the_buffer_are_a_callers_bug() {
            assertThatThrownBy(() -> parser.parse(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> new TripParser(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
