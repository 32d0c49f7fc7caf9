// The scenario suite as node:test tests, one per scenario, against a host started once for all
// of them (tests/scenarios/native_test.mjs, tests/worker/scenarios_worker_test.mjs).
// EDGEFN_SCENARIO_FILTER narrows it.
import { after, before, test } from 'node:test';
import { loadScenarios, loadSuite, runScenario } from './runner.mjs';

/**
 * Registers the tests. `start()` resolves to a host {targetFor(scenario), notes, stop()};
 * `hostName` names it in the failure when it did not start.
 */
export function defineScenarioTests(hostName, start) {
  const scenarios = loadScenarios(undefined, process.env.EDGEFN_SCENARIO_FILTER);
  const cfg = loadSuite();
  let host;

  before(async () => {
    host = await start();
  }, { timeout: 180_000 });

  after(async () => {
    for (const n of host?.notes ?? []) console.log(n);
    await host?.stop();
  });

  for (const s of scenarios) {
    test(`${s.file} :: ${s.name}`, { timeout: 180_000 }, async (t) => {
      if (!host) throw new Error(`the ${hostName} host did not start`);
      const r = await runScenario(s, await host.targetFor(s), cfg);
      if (r.skipped) t.skip(r.skipped);
      else t.diagnostic(`${r.steps} steps, ${r.requests} requests`);
    });
  }
}
