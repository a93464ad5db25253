/** Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1G`, `1e3`), without a sign: requests and limits are never negative. */

const quantityPattern = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const suffixFactor: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export const quantityFormatHint = 'a Kubernetes quantity, e.g. 100m, 0.5, 128Mi, 1Gi';

export function isQuantity(text: string): boolean {
  return quantityPattern.test(text);
}

/** The value of a quantity in base units (cores, bytes), or undefined when `text` is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const match = quantityPattern.exec(text);
  if (!match) return undefined;
  const [, amount = '', suffix = ''] = match;
  if (suffix.startsWith('e') || suffix.startsWith('E')) return Number(amount) * 10 ** Number(suffix.slice(1));
  return Number(amount) * (suffixFactor[suffix] ?? Number.NaN);
}
