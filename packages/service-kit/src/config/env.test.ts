import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, vars } from './env';

const shape = {
  PORT: vars.port(3000),
  DATABASE_URL: vars.postgresUrl(),
  INVENTORY_URL: vars.httpUrl('http://inventory'),
  POD_NAME: vars.optionalText('the pod name'),
};

describe('parseConfig', () => {
  it('returns typed values and applies defaults (an empty string counts as unset)', () => {
    const config = parseConfig(shape, { DATABASE_URL: 'postgres://u:p@db:5432/shop', INVENTORY_URL: 'http://inventory/', PORT: '' });
    expect(config).toEqual({ PORT: 3000, DATABASE_URL: 'postgres://u:p@db:5432/shop', INVENTORY_URL: 'http://inventory', POD_NAME: undefined });
  });

  it('names each bad variable with what is expected, in one line, without echoing secrets', () => {
    const attempt = () => parseConfig(shape, { PORT: '99999', DATABASE_URL: 'mysql://u:hunter2@db/shop' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'PORT="99999" is not valid: expected a TCP port from 0 to 65535 (default 3000); ' +
        'DATABASE_URL is not valid: expected a PostgreSQL URL such as postgres://user:password@host:5432/database; ' +
        'INVENTORY_URL is not set: expected an http(s) URL such as http://inventory',
    );
  });
});
