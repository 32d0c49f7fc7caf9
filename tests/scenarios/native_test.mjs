// The scenario suite against `edgefn serve` (ctest: scenarios_native). One node:test test per
// scenario; see harness.mjs for what is started and README.md for the scenario language.
import { after, before, test } from 'node:test';
import { loadScenarios, loadSuite, runScenario } from './lib/runner.mjs';
import { startNative } from './harness.mjs';

const scenarios = loadScenarios(undefined, process.env.EDGEFN_SCENARIO_FILTER);
const cfg = loadSuite();
let host;

before(async () => {
  host = await startNative({ bin: process.env.EDGEFN_BIN, envFile: process.env.EDGEFN_TEST_ENV_FILE, log: (m) => console.log(m) });
}, { timeout: 180_000 });

after(async () => {
  for (const n of host?.notes ?? []) console.log(n);
  await host?.stop();
});

for (const s of scenarios) {
  test(`${s.file} :: ${s.name}`, { timeout: 180_000 }, async (t) => {
    if (!host) throw new Error('the native host did not start');
    const r = await runScenario(s, await host.targetFor(s), cfg);
    if (r.skipped) t.skip(r.skipped);
    else t.diagnostic(`${r.steps} steps, ${r.requests} requests`);
  });
}
