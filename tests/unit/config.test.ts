// The settings object: read once, every value checked, every limit in one place.
import { describe, expect, it } from 'vitest';
import { ConfigError, LIMIT_SPECS, readConfig } from '../../server/config';

describe('configuration', () => {
  it('has a default for every limit, inside its own range', () => {
    const { limits } = readConfig({});
    for (const [key, spec] of Object.entries(LIMIT_SPECS)) {
      expect(limits[key as keyof typeof limits], key).toBe(spec.default);
      expect(spec.default).toBeGreaterThanOrEqual(spec.min);
      expect(spec.default).toBeLessThanOrEqual(spec.max);
    }
  });

  it('reads every limit from its LIMIT_* variable', () => {
    const env = Object.fromEntries(Object.values(LIMIT_SPECS).map((s) => [s.env, String(s.min)]));
    env.LIMIT_MESSAGE_BYTES = env.LIMIT_DOC_BYTES; // the message limit may not pass the document's
    const { limits } = readConfig(env);
    for (const [key, spec] of Object.entries(LIMIT_SPECS)) {
      if (key !== 'maxMessageBytes') expect(limits[key as keyof typeof limits], key).toBe(spec.min);
    }
  });

  it('refuses a limit it does not know (a typo), naming it', () => {
    expect(() => readConfig({ LIMIT_DOCS_BYTES: '5' })).toThrow(ConfigError);
    expect(() => readConfig({ LIMIT_DOCS_BYTES: '5' })).toThrow(/LIMIT_DOCS_BYTES/);
    expect(() => readConfig({ SQLITE_SYNC: 'FULL' })).toThrow(/SQLITE_SYNC/);
  });

  it('refuses values that are not whole numbers in range, naming the variable', () => {
    for (const bad of ['-1', '1.5', 'lots', '99999999999']) {
      expect(() => readConfig({ LIMIT_DOC_BYTES: bad }), bad).toThrow(/LIMIT_DOC_BYTES/);
    }
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => readConfig({ LIMIT_MESSAGE_BYTES: '4096', LIMIT_DOC_BYTES: '2048' })).toThrow(/LIMIT_MESSAGE_BYTES/);
  });

  it('reads SQLITE_SYNCHRONOUS, TRUST_PROXY and LOG_LEVEL in any case, and refuses anything else', () => {
    expect(readConfig({ SQLITE_SYNCHRONOUS: 'full' }).sqliteSynchronous).toBe('FULL');
    expect(readConfig({ SQLITE_SYNCHRONOUS: 'Normal' }).sqliteSynchronous).toBe('NORMAL');
    expect(readConfig({}).sqliteSynchronous).toBe('FULL');
    expect(() => readConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/SQLITE_SYNCHRONOUS/);
    expect(readConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(readConfig({ TRUST_PROXY: 'TRUE' }).trustProxy).toBe(true);
    expect(readConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(() => readConfig({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY/);
    expect(readConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('checks addresses: PUBLIC_URL and ALLOWED_ORIGINS must be http or https', () => {
    expect(readConfig({ PUBLIC_URL: 'https://roundtable.example.org/' }).publicUrl).toBe('https://roundtable.example.org');
    expect(() => readConfig({ PUBLIC_URL: 'roundtable.example.org' })).toThrow(/PUBLIC_URL/);
    expect(readConfig({ ALLOWED_ORIGINS: 'https://a.example, http://b.example:8080/x' }).extraOrigins).toEqual([
      'https://a.example',
      'http://b.example:8080'
    ]);
    expect(() => readConfig({ ALLOWED_ORIGINS: 'ftp://a.example' })).toThrow(/ALLOWED_ORIGINS/);
  });

  it('reads DATABASE_URL: a postgres:// address naming a database selects Postgres; anything else is refused without showing its password', () => {
    expect(readConfig({}).databaseUrl).toBeNull();
    expect(readConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeNull();
    const url = 'postgres://rt:pw@db.example:5432/roundtable';
    expect(readConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(readConfig({ DATABASE_URL: 'postgresql://db.example/roundtable' }).databaseUrl).toBe('postgresql://db.example/roundtable');
    for (const bad of [
      'mysql://rt:hunter2@db.example/roundtable',
      'not a url',
      'postgres://rt:hunter2@db.example',
      'postgres://rt:hunter2@db.example/'
    ]) {
      let message = '';
      try {
        readConfig({ DATABASE_URL: bad });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, bad).toMatch(/^DATABASE_URL must/);
      expect(message, bad).not.toMatch(/hunter2/);
    }
  });
});
