// credit_code: valid 统一社会信用代码 for the tests — the GB 32100-2015 check character over
// the first 17 characters (core/credit_code.c computes the same): weights 3^i mod 31, check =
// (31 - sum mod 31) mod 31, in the code's alphabet (no I, O, S, V, Z).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function checkChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`not a credit code character: ${first17[i]}`);
    sum += v * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

// A valid code whose serial part is n (unique per n): 91 + 6-digit region + 9 characters.
export function creditCode(n, region = '210100') {
  const first17 = `91${region}${String(n).padStart(9, '0')}`;
  return first17 + checkChar(first17);
}

// The same code with a wrong check character.
export function wrongCreditCode(n, region = '210100') {
  const good = creditCode(n, region);
  const bad = ALPHABET[(ALPHABET.indexOf(good[17]) + 1) % 31];
  return good.slice(0, 17) + bad;
}
