// One error vocabulary: every error class lib/ raises for people is a BulkheadError with a kind
// and its own name, recognised whichever bundle's copy made it. The front ends' mappings are
// tested beside them (app/api/_lib/route.test.ts, cli/cli.test.ts).
import { describe, expect, it } from 'vitest';
import { DemoError } from './demo/load';
import { AccountError } from './auth/errors';
import { WindowError } from './analysis/window';
import { EditError } from './applications/edit';
import { ConfigError } from './config';
import { BulkheadError, ERROR_KINDS, isBulkheadError } from './errors';
import { NftUnavailableError } from './export/nft-check';
import { NotFoundError, PolicyError } from './policy/model';
import { FlowQueryError } from './read/flows';
import { StoreBusyError } from './store/connection';

describe('errors', () => {
  const made = [
    new AccountError('a', 'conflict'),
    new PolicyError('p'),
    new NotFoundError('n'),
    new ConfigError('c'),
    new StoreBusyError('/data', 'pid 1'),
    new NftUnavailableError('nft'),
    new DemoError('d'),
    new WindowError('w'),
    new EditError('e'),
    new FlowQueryError('f'),
  ];

  it('gives every class its own name and a kind, and keeps the message for people', () => {
    for (const e of made) {
      expect(e.name).toBe(e.constructor.name);
      expect(isBulkheadError(e)).toBe(true);
      expect(ERROR_KINDS).toContain(e.kind);
      expect(e.message.length).toBeGreaterThan(0);
    }
    expect(made.map((e) => e.kind)).toEqual(['conflict', 'invalid', 'not-found', 'invalid', 'busy', 'unavailable', 'invalid', 'invalid', 'invalid', 'invalid']);
  });

  it("recognises an error made by another bundle's copy of the module, and nothing else", () => {
    // what a second copy of lib/errors.ts (the Next.js bundle beside the CLI's) would make
    class OtherCopy extends Error {
      readonly kind = 'not-found';
      constructor(m: string) {
        super(m);
        Object.defineProperty(this, Symbol.for('bulkhead.error'), { value: true });
      }
    }
    expect(isBulkheadError(new OtherCopy('no rule x'))).toBe(true);
    expect(isBulkheadError(new Error('plain'))).toBe(false);
    expect(isBulkheadError(Object.assign(new Error('named like one'), { name: 'UserError', kind: 'invalid' }))).toBe(false);
    expect(isBulkheadError(null)).toBe(false);
    expect(isBulkheadError('invalid')).toBe(false);
  });

  it('makes an error of any kind directly', () => {
    const e = new BulkheadError('busy', 'held');
    expect({ kind: e.kind, name: e.name, message: e.message, ours: isBulkheadError(e) }).toEqual({ kind: 'busy', name: 'BulkheadError', message: 'held', ours: true });
  });
});
