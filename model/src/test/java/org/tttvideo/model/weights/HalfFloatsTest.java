package org.tttvideo.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tttvideo.model.weights.HalfFloats.bf16ToFloat;
import static org.tttvideo.model.weights.HalfFloats.f16ToFloat;
import static org.tttvideo.model.weights.HalfFloats.floatToBf16;
import static org.tttvideo.model.weights.HalfFloats.floatToF16;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bit patterns from IEEE 754-2008 binary16 and the bfloat16 definition. */
class HalfFloatsTest {

  @ParameterizedTest(name = "F16 0x{0} = {1}")
  @CsvSource({
    "3c00, 1.0",
    "c000, -2.0",
    "3800, 0.5",
    "7bff, 65504.0",
    "fbff, -65504.0",
    "0001, 5.9604645E-8", // smallest subnormal, 2^-24
    "03ff, 6.097555E-5", // largest subnormal, 1023 * 2^-24
    "0400, 6.1035156E-5", // smallest normal, 2^-14
    "3555, 0.33325195", // nearest to 1/3
    "7c00, Infinity",
    "fc00, -Infinity",
    "0000, 0.0",
    "8000, -0.0",
  })
  void f16BitPatterns(String hex, float value) {
    short bits = (short) Integer.parseInt(hex, 16);
    assertThat(Float.floatToRawIntBits(f16ToFloat(bits))).isEqualTo(Float.floatToRawIntBits(value));
    assertThat(floatToF16(value)).isEqualTo(bits);
  }

  @Test
  void f16NaNStaysNaN() {
    assertThat(f16ToFloat((short) 0x7e00)).isNaN();
    assertThat(f16ToFloat((short) 0x7c01)).isNaN();
    assertThat(f16ToFloat((short) 0xfe00)).isNaN();
    assertThat(floatToF16(Float.NaN)).isEqualTo((short) 0x7e00);
    // a float NaN whose payload lies only in the bits that are dropped must not become infinity
    assertThat(f16ToFloat(floatToF16(Float.intBitsToFloat(0x7f80_0001)))).isNaN();
    assertThat(floatToF16(Float.intBitsToFloat(0xffc0_0000)) & 0xffff).isEqualTo(0xfe00);
  }

  @ParameterizedTest(name = "{0} -> F16 0x{1}")
  @CsvSource({
    "65519.0, 7bff", // below the midpoint to 2^16
    "65520.0, 7c00", // the midpoint, ties to the even side: infinity
    "1.0E6, 7c00",
    "3.4028235E38, 7c00",
    "1.00048828125, 3c00", // 1 + 2^-11, tie between 0x3c00 and 0x3c01: even
    "1.00146484375, 3c02", // 1 + 3 * 2^-11, tie between 0x3c01 and 0x3c02: even
    "1.0004884, 3c01", // just above the first tie
    "2.9802322E-8, 0000", // 2^-25, tie between 0 and the smallest subnormal: even (0)
    "2.9802326E-8, 0001", // the next float up
    "8.940697E-8, 0002", // 3 * 2^-25, tie between 0x0001 and 0x0002: even
    "6.1005354E-5, 0400", // 2^-14 - 2^-25, tie between 0x03ff and 0x0400: even
    "1.0E-10, 0000",
    "-1.0E-10, 8000",
  })
  void f16RoundsToNearestEven(float value, String hex) {
    assertThat(floatToF16(value) & 0xffff).isEqualTo(Integer.parseInt(hex, 16));
  }

  @Test
  void everyF16RoundTripsAndEveryMidpointRoundsToTheEvenNeighbour() {
    for (int h = 0; h < 0x10000; h++) {
      float f = f16ToFloat((short) h);
      if (Float.isNaN(f)) {
        assertThat((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0).isTrue();
        assertThat(f16ToFloat(floatToF16(f))).isNaN();
        continue;
      }
      assertThat(floatToF16(f) & 0xffff).as("0x%04x", h).isEqualTo(h);
      if ((h & 0x7fff) < 0x7bff) {
        // halfway to the next magnitude up: exact in float32, must round to the even pattern
        double next = f16ToFloat((short) (h + 1));
        float mid = (float) ((f + next) / 2);
        int even = (h & 1) == 0 ? h : h + 1;
        assertThat(floatToF16(mid) & 0xffff).as("midpoint above 0x%04x", h).isEqualTo(even);
      }
    }
  }

  @ParameterizedTest(name = "BF16 0x{0} = {1}")
  @CsvSource({
    "3f80, 1.0",
    "c000, -2.0",
    "7f7f, 3.3895314E38", // largest finite
    "0080, 1.17549435E-38", // smallest normal, 2^-126
    "0001, 9.18355E-41", // smallest subnormal, 2^-133
    "7f80, Infinity",
    "ff80, -Infinity",
    "8000, -0.0",
  })
  void bf16BitPatterns(String hex, float value) {
    short bits = (short) Integer.parseInt(hex, 16);
    assertThat(Float.floatToRawIntBits(bf16ToFloat(bits)))
        .isEqualTo(Float.floatToRawIntBits(value));
    assertThat(floatToBf16(value)).isEqualTo(bits);
  }

  @Test
  void bf16RoundsToNearestEven() {
    assertThat(floatToBf16(Float.intBitsToFloat(0x3f80_8000))).isEqualTo((short) 0x3f80);
    assertThat(floatToBf16(Float.intBitsToFloat(0x3f81_8000))).isEqualTo((short) 0x3f82);
    assertThat(floatToBf16(Float.intBitsToFloat(0x3f80_8001))).isEqualTo((short) 0x3f81);
    assertThat(floatToBf16(Float.intBitsToFloat(0x3f80_7fff))).isEqualTo((short) 0x3f80);
    assertThat(floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80);
    assertThat(floatToBf16(-Float.MAX_VALUE)).isEqualTo((short) 0xff80);
    assertThat(floatToBf16((float) Math.PI)).isEqualTo((short) 0x4049);
  }

  @Test
  void bf16NaNStaysNaN() {
    assertThat(bf16ToFloat((short) 0x7fc0)).isNaN();
    assertThat(floatToBf16(Float.NaN)).isEqualTo((short) 0x7fc0);
    assertThat(bf16ToFloat(floatToBf16(Float.intBitsToFloat(0x7f80_0001)))).isNaN();
    assertThat(bf16ToFloat(floatToBf16(Float.intBitsToFloat(0xff80_0001)))).isNaN();
  }

  @Test
  void everyBf16RoundTrips() {
    for (int b = 0; b < 0x10000; b++) {
      float f = bf16ToFloat((short) b);
      if (Float.isNaN(f)) {
        assertThat(bf16ToFloat(floatToBf16(f))).isNaN();
      } else {
        assertThat(floatToBf16(f) & 0xffff).as("0x%04x", b).isEqualTo(b);
      }
    }
  }
}
