// The scenario suite (tests/scenarios) against the Worker in workerd (ctest: scenarios_worker).
// One node:test test per scenario; EDGEFN_SCENARIO_FILTER narrows it.
import { defineScenarioTests } from '../scenarios/lib/node_suite.mjs';
import { startWorkerHost } from './scenario_host.mjs';

defineScenarioTests('Worker', () =>
  startWorkerHost({ bin: process.env.EDGEFN_BIN, envFile: process.env.EDGEFN_TEST_ENV_FILE }));
