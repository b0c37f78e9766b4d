// One string order for every tie-break in discovery: code-unit order, the same on every machine
// and locale (localeCompare is not) and much cheaper on large lists, so the same data gives the same result everywhere.
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
