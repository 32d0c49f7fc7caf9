// The scenario suite (tests/scenarios) against the Worker in workerd (ctest: scenarios_worker).
// One node:test test per scenario; EDGEFN_SCENARIO_FILTER narrows it.
import { after, before, test } from 'node:test';
import { loadScenarios, loadSuite, runScenario } from '../scenarios/lib/runner.mjs';
import { startWorkerHost } from './scenario_host.mjs';

const scenarios = loadScenarios(undefined, process.env.EDGEFN_SCENARIO_FILTER);
const cfg = loadSuite();
let host;

before(async () => {
  host = await startWorkerHost({ bin: process.env.EDGEFN_BIN, envFile: process.env.EDGEFN_TEST_ENV_FILE });
}, { timeout: 180_000 });

after(async () => {
  for (const n of host?.notes ?? []) console.log(n);
  await host?.stop();
});

for (const s of scenarios) {
  test(`${s.file} :: ${s.name}`, { timeout: 180_000 }, async (t) => {
    if (!host) throw new Error('the Worker host did not start');
    const r = await runScenario(s, await host.targetFor(s), cfg);
    if (r.skipped) t.skip(r.skipped);
    else t.diagnostic(`${r.steps} steps, ${r.requests} requests`);
  });
}
