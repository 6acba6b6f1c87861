/**
 * The error function as glibc computes it (sysdeps/ieee754/dbl-64/s_erf.c: Sun's fdlibm
 * rational approximations, with the polynomials split into even/odd halves for pipelined CPUs),
 * which is what CPython's `math.erf` calls on Linux. JavaScript has no `Math.erf`; following
 * glibc's operation order keeps River's Gaussian CDF bit-exact wherever V8's `Math.exp` agrees
 * with glibc's `exp` (most inputs; otherwise the result differs in the last bit).
 */

const view = new DataView(new ArrayBuffer(8));

function highWord(x: number): number {
  view.setFloat64(0, x);
  return view.getInt32(0);
}

/** x with its low 32 bits cleared (fdlibm's `SET_LOW_WORD(z, 0)`). */
function clearLowWord(x: number): number {
  view.setFloat64(0, x);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

const TINY = 1e-300;
const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;
const PP = [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5];
const QQ = [0, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6];
const PA = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3];
const QA = [0, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2];
const RA = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592];
const SA = [0, 1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2];
const RB = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2];
const SB = [0, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1];

/** erf(x) on |x| < 0.84375: x + x·P(x²)/Q(x²). */
function erfSmall(x: number, ix: number): number {
  if (ix < 0x3e300000) {
    if (ix < 0x00800000) return 0.0625 * (16.0 * x + 16.0 * EFX * x);
    return x + EFX * x;
  }
  const z = x * x;
  const r1 = PP[0] + z * PP[1];
  const z2 = z * z;
  const r2 = PP[2] + z * PP[3];
  const z4 = z2 * z2;
  const s1 = 1 + z * QQ[1];
  const s2 = QQ[2] + z * QQ[3];
  const s3 = QQ[4] + z * QQ[5];
  const r = r1 + z2 * r2 + z4 * PP[4];
  const s = s1 + z2 * s2 + z4 * s3;
  return x + x * (r / s);
}

/** erf(x) on 0.84375 ≤ |x| < 1.25: erx + P(s)/Q(s) with s = |x| - 1. */
function erfMiddle(x: number, hx: number): number {
  const s = Math.abs(x) - 1;
  const P1 = PA[0] + s * PA[1];
  const s2 = s * s;
  const Q1 = 1 + s * QA[1];
  const s4 = s2 * s2;
  const P2 = PA[2] + s * PA[3];
  const s6 = s4 * s2;
  const Q2 = QA[2] + s * QA[3];
  const P3 = PA[4] + s * PA[5];
  const Q3 = QA[4] + s * QA[5];
  const P = P1 + s2 * P2 + s4 * P3 + s6 * PA[6];
  const Q = Q1 + s2 * Q2 + s4 * Q3 + s6 * QA[6];
  return hx >= 0 ? ERX + P / Q : -ERX - P / Q;
}

/** erf(x) on 1.25 ≤ |x| < 6: 1 - exp(-x² - 0.5625 + R/S) / x. */
function erfLarge(x: number, hx: number, ix: number): number {
  const ax = Math.abs(x);
  const s = 1 / (ax * ax);
  let R: number;
  let S: number;
  const s2 = s * s;
  const s4 = s2 * s2;
  const s6 = s4 * s2;
  if (ix < 0x4006db6e) {
    const s8 = s4 * s4;
    R = RA[0] + s * RA[1] + s2 * (RA[2] + s * RA[3]) + s4 * (RA[4] + s * RA[5]) + s6 * (RA[6] + s * RA[7]);
    S = 1 + s * SA[1] + s2 * (SA[2] + s * SA[3]) + s4 * (SA[4] + s * SA[5]) + s6 * (SA[6] + s * SA[7]) + s8 * SA[8];
  } else {
    R = RB[0] + s * RB[1] + s2 * (RB[2] + s * RB[3]) + s4 * (RB[4] + s * RB[5]) + s6 * RB[6];
    S = 1 + s * SB[1] + s2 * (SB[2] + s * SB[3]) + s4 * (SB[4] + s * SB[5]) + s6 * (SB[6] + s * SB[7]);
  }
  const z = clearLowWord(ax);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + R / S);
  return hx >= 0 ? 1 - r / ax : r / ax - 1;
}

/** The error function, as CPython's `math.erf` (glibc's `erf`). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return x > 0 ? 1 : -1;
  if (ix < 0x3feb0000) return erfSmall(x, ix);
  if (ix < 0x3ff40000) return erfMiddle(x, hx);
  if (ix >= 0x40180000) return hx >= 0 ? 1 - TINY : TINY - 1;
  return erfLarge(x, hx, ix);
}
