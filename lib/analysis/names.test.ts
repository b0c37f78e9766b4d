import { describe, expect, it } from 'vitest';
import { nameHints } from './names';

describe('hostname hints', () => {
  it('reads application, role and environment from conventional names', () => {
    expect(nameHints('orders-api-02-stg')).toEqual({ stem: 'orders', role: 'api', env: 'staging' });
    expect(nameHints('storefront-eu-web-01')).toEqual({ stem: 'storefront-eu', role: 'web', env: null });
    expect(nameHints('prd-payments-pg01.corp.example')).toEqual({ stem: 'payments', role: 'db', env: 'prod' });
    expect(nameHints('hr-portal-redis-01-dev')).toEqual({ stem: 'hr-portal', role: 'cache', env: 'dev' });
  });

  it('takes tier and environment words off names written without separators', () => {
    expect(nameHints('financesql1')).toEqual({ stem: 'finance', role: 'db', env: null });
    expect(nameHints('ediapiprdsvc01')).toEqual({ stem: 'ediapi', role: 'api', env: 'prod' });
    expect(nameHints('docsweb001')).toEqual({ stem: 'docs', role: 'web', env: null });
    // too little would remain, or nothing known ends the word
    expect(nameHints('contest-01').stem).toBe('contest');
    expect(nameHints('storefront-01').stem).toBe('storefront');
  });

  it('reads the environment of machine codes and no application from them', () => {
    expect(nameHints('prdlx4407')).toEqual({ stem: null, role: null, env: 'prod' });
    expect(nameHints('stgwn0012')).toEqual({ stem: null, role: null, env: 'staging' });
    expect(nameHints('devaix0042')).toEqual({ stem: null, role: null, env: 'dev' });
    // a word that carried a tier is an application's name, whatever it begins with
    expect(nameHints('tstfinanceapi01')).toEqual({ stem: 'tstfinance', role: 'api', env: null });
    // more than an OS code after the environment word: a name
    expect(nameHints('testrail01').stem).toBe('testrail');
  });

  it('finds nothing in machine names', () => {
    for (const n of ['vm-3f2a1', 'srv4102', 'ip-10-20-3-4', 'WIN-8K2J3AB', 'i-0abcdef1234567890', 'ec2-54-1-2-3']) {
      expect(nameHints(n).stem, n).toBeNull();
    }
  });
});
