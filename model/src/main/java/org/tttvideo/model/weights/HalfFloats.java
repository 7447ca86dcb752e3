package org.tttvideo.model.weights;

/**
 * Conversions between float32 and the 16-bit formats IEEE 754 binary16 ({@code F16}) and bfloat16
 * ({@code BF16}). Java 17 has no {@code Float.float16ToFloat}, hence these.
 *
 * <p>Widening is exact. Narrowing rounds to nearest, ties to even; values beyond the largest finite
 * half (65504, plus half an ulp) become infinity; NaN stays NaN (quiet, sign kept).
 */
final class HalfFloats {
  private HalfFloats() {}

  /** The float32 value of the binary16 bit pattern {@code h} (exact, subnormals included). */
  static float f16ToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      // infinity (mant == 0) or NaN, payload kept in the top mantissa bits
      return Float.intBitsToFloat(sign | 0x7f80_0000 | (mant << 13));
    }
    if (exp == 0) {
      // zero or subnormal: mant * 2^-24, exact in float32 since mant < 2^10
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    // normal: rebias the exponent from 15 to 127
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** The binary16 bit pattern nearest to {@code f} (ties to even). */
  static short floatToF16(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fff_ffff;
    if (abs > 0x7f80_0000) {
      // NaN: keep the top payload bits, force the quiet bit so the result cannot become infinity
      return (short) (sign | 0x7c00 | 0x200 | ((abs >>> 13) & 0x3ff));
    }
    if (abs >= 0x477f_f000) {
      // >= 65520 = 65504 + half an ulp (a tie that rounds to the even side, 2^16): infinity
      return (short) (sign | 0x7c00);
    }
    int exp = abs >>> 23; // biased float32 exponent
    if (exp >= 113) {
      // normal half (unbiased exponent >= -14): rebias, drop 13 mantissa bits, round
      int h = (abs - (112 << 23)) >>> 13;
      int rest = abs & 0x1fff;
      if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
        h++; // a carry out of the mantissa correctly bumps the exponent
      }
      return (short) (sign | h);
    }
    if (exp < 102) {
      // below 2^-25, half of the smallest subnormal: rounds to zero
      return (short) sign;
    }
    // subnormal half: value / 2^-24 = mant24 * 2^(exp - 126)
    int mant = (abs & 0x7f_ffff) | 0x80_0000;
    int shift = 126 - exp; // 14..24
    int h = mant >>> shift;
    int rest = mant & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (h & 1) != 0)) {
      h++; // may reach 0x400, the smallest normal, which is right
    }
    return (short) (sign | h);
  }

  /** The float32 value of the bfloat16 bit pattern {@code b} (exact). */
  static float bf16ToFloat(short b) {
    return Float.intBitsToFloat((b & 0xffff) << 16);
  }

  /** The bfloat16 bit pattern nearest to {@code f} (ties to even). */
  static short floatToBf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
      // NaN: truncating could clear every payload bit and give infinity; force the quiet bit
      return (short) ((bits >>> 16) | 0x40);
    }
    int lsb = (bits >>> 16) & 1;
    // adding 0x7fff + lsb rounds half to even; overflow carries into the exponent (-> infinity)
    return (short) ((bits + 0x7fff + lsb) >>> 16);
  }
}
