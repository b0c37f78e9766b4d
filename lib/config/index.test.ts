import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redact } from './index';

const dir = () => mkdtempSync(join(tmpdir(), 'bulkhead-config-'));

describe('loadConfig', () => {
  it('defaults to embedded stores under .bulkhead in the working directory', () => {
    const cwd = dir();
    const c = loadConfig({ env: {}, cwd });
    expect(c.home).toBe(join(cwd, '.bulkhead'));
    expect(c.clickhouse).toEqual({ mode: 'embedded', dataDir: join(cwd, '.bulkhead/clickhouse'), database: 'bulkhead' });
    expect(c.database).toEqual({ provider: 'sqlite', file: join(cwd, '.bulkhead/bulkhead.db') });
    expect(c.collect).toMatchObject({ netflowPort: 2055, ipfixPort: 4739, sflowPort: 6343, listen: '0.0.0.0', allow: [] });
    expect(c.web.port).toBe(3000);
    expect(c.configFile).toBeNull();
  });

  it('takes servers and settings from the environment', () => {
    const c = loadConfig({
      cwd: dir(),
      env: {
        BULKHEAD_HOME: '/var/lib/bulkhead',
        CLICKHOUSE_URL: 'http://ch.example:8123',
        CLICKHOUSE_USER: 'ingest',
        CLICKHOUSE_PASSWORD: 's3cret',
        CLICKHOUSE_DATABASE: 'flows_prod',
        DATABASE_URL: 'postgresql://app:pw@db.example/bulkhead',
        BULKHEAD_PORT: '8080',
        BULKHEAD_EXPORTER_ALLOW: '192.0.2.0/24, 2001:db8::/32',
        BULKHEAD_FLOW_RETENTION_DAYS: '7',
      },
    });
    expect(c.home).toBe('/var/lib/bulkhead');
    expect(c.clickhouse).toEqual({ mode: 'server', url: 'http://ch.example:8123', username: 'ingest', password: 's3cret', database: 'flows_prod' });
    expect(c.database).toEqual({ provider: 'postgresql', url: 'postgresql://app:pw@db.example/bulkhead' });
    expect(c.web.port).toBe(8080);
    expect(c.collect.allow).toEqual(['192.0.2.0/24', '2001:db8::/32']);
    expect(c.retention.flowsDays).toBe(7);
    const shown = redact(c);
    expect(JSON.stringify(shown)).not.toContain('s3cret');
    expect(JSON.stringify(shown)).not.toContain(':pw@');
  });

  it('names the variable and the value when the environment is wrong', () => {
    expect(() => loadConfig({ cwd: dir(), env: { BULKHEAD_PORT: 'eighty' } })).toThrow(/BULKHEAD_PORT="eighty"/);
    expect(() => loadConfig({ cwd: dir(), env: { CLICKHOUSE_DATABASE: 'bad-name' } })).toThrow(/CLICKHOUSE_DATABASE="bad-name"/);
    expect(() => loadConfig({ cwd: dir(), env: { DATABASE_URL: 'mysql://x' } })).toThrow(ConfigError);
    expect(() => loadConfig({ cwd: dir(), env: { BULKHEAD_EXPORTER_ALLOW: '10.0.0.0/33' } })).toThrow(/BULKHEAD_EXPORTER_ALLOW: "10.0.0.0\/33" has an invalid prefix/);
  });

  it('reads bulkhead.yaml from the home directory; the environment wins over it', () => {
    const home = dir();
    writeFileSync(join(home, 'bulkhead.yaml'), 'web:\n  port: 9000\ncollect:\n  ipfixPort: 4740\n  allow: [10.1.0.0/16]\n');
    const c = loadConfig({ cwd: home, env: { BULKHEAD_HOME: home, BULKHEAD_PORT: '9100' } });
    expect(c.configFile).toBe(join(home, 'bulkhead.yaml'));
    expect(c.web.port).toBe(9100);
    expect(c.collect.ipfixPort).toBe(4740);
    expect(c.collect.allow).toEqual(['10.1.0.0/16']);
  });

  it('names the file and the key when the config file is wrong', () => {
    const home = dir();
    const file = join(home, 'custom.yaml');
    writeFileSync(file, 'web:\n  port: 70000\nunknownSection: 1\n');
    expect(() => loadConfig({ cwd: home, env: {}, configFile: file })).toThrow(new RegExp(`${file}[\\s\\S]*web.port[\\s\\S]*unknownSection|${file}[\\s\\S]*unknownSection[\\s\\S]*web.port`));
    writeFileSync(file, 'web: [unclosed\n');
    expect(() => loadConfig({ cwd: home, env: {}, configFile: file })).toThrow(/is not valid YAML or JSON/);
    expect(() => loadConfig({ cwd: home, env: {}, configFile: join(home, 'missing.yaml') })).toThrow(/does not exist \(from --config\)/);
  });

  it('accepts a SQLite file URL in DATABASE_URL', () => {
    const cwd = dir();
    expect(loadConfig({ cwd, env: { DATABASE_URL: 'file:state.db' } }).database).toEqual({ provider: 'sqlite', file: join(cwd, 'state.db') });
  });
});
