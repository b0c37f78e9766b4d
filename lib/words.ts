// Counts as sentences say them, for the pages and the CLI alike: "1 application", "3 applications".
// Browser-safe (no Node imports).

const nf = new Intl.NumberFormat('en-US');

/** The plural of an English noun of this product's vocabulary (dependency, address, workload, ...). */
export function plural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/** A count and its noun in agreement, the count grouped by thousands: "1 application", "1,204 dependencies". */
export function count(n: number, noun: string, nouns = plural(noun)): string {
  return `${nf.format(n)} ${n === 1 ? noun : nouns}`;
}

/**
 * What to write after an endpoint's name to say what it is: nothing for a workload, whose name
 * says it, nor for the internet, whose name is its kind ("internet internet" otherwise).
 */
export function endpointKindNote(e: { name: string; kind: string }): string {
  return e.kind === 'workload' || e.name === e.kind ? '' : e.kind;
}

/** An endpoint as a line of text: "orders-api-01", "internet", "corp-users (network)", "192.0.2.7 (address)". */
export function endpointText(e: { name: string; kind: string }): string {
  const note = endpointKindNote(e);
  return note ? `${e.name} (${note})` : e.name;
}
