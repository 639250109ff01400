import { test } from 'vitest';
import { loadPlaybook } from '../../src/playbook/index.js';
import { fakeRegistry } from './fake-registry.js';
test('smoke', () => {
  console.log(JSON.stringify(loadPlaybook('/tmp/pbt/smoke.yml', { modules: fakeRegistry() }), null, 1));
});
