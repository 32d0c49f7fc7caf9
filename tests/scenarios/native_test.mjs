// The scenario suite against `edgefn serve` (ctest: scenarios_native). One node:test test per
// scenario; see harness.mjs for what is started and README.md for the scenario language.
import { defineScenarioTests } from './lib/node_suite.mjs';
import { startNative } from './harness.mjs';

defineScenarioTests('native', () =>
  startNative({ bin: process.env.EDGEFN_BIN, envFile: process.env.EDGEFN_TEST_ENV_FILE, log: (m) => console.log(m) }));
