import { describe, expect, it } from 'vitest';
import { exporterPortsText } from './collector-status';

describe('where exporters can send flows', () => {
  it('names the open listeners only', () => {
    expect(
      exporterPortsText([
        { kind: 'netflow', port: 2055 },
        { kind: 'sflow', port: 6343 },
      ]),
    ).toBe('NetFlow v5/v9 to UDP port 2055, sFlow to UDP port 6343');
  });

  it('names none when no collector listens, rather than port 0', () => {
    expect(exporterPortsText([])).toBeNull();
    expect(exporterPortsText([{ kind: 'ipfix', port: 0 }])).toBeNull();
  });
});
