// The Worker host for the scenario suite (tests/scenarios): a fresh database in the `db`
// fixture, `edgefn migrate`, keys, and the Worker in workerd configured from them; the R2
// binding IMAGES backs the "images" controls. Scenarios that stop Postgres get a private
// cluster + gateway + Worker (as the native harness does; both use tests/scenarios/lib/stack.mjs).
import { startStacks } from '../scenarios/lib/stack.mjs';
import { APP } from '../scenarios/lib/runner.mjs';
import { startWorker } from './worker_host.mjs';

/**
 * Starts the Worker host. Returns {targetFor(scenario), notes, main, keys, runId, databaseUrl, stop()}.
 * @param {{bin: string, envFile: string, extraBindings?: Record<string,string>, wasm?: string, log?: (m: string) => void}} o
 */
export async function startWorkerHost({ bin, appBin = process.env.EDGEFN_APP_BIN, envFile, extraBindings = {}, wasm = `${APP}.wasm`, log = console.log }) {
  return startStacks({
    bin, appBin, envFile, extraBindings, log, workPrefix: 'edgefn-worker-scn-', dbPrefix: 'edgefn_wrk_',
    app: () => async ({ bindings }) => {
      const worker = await startWorker({ wasm, bindings });
      const images = async (name, args) => {
        const bucket = await worker.images();
        if (name === 'image-put') { await bucket.put(args.key, args.content ?? ''); return true; }
        if (name === 'image-exists') return (await bucket.head(args.key)) !== null;
        throw new Error(`unknown control ${name}`);
      };
      return { server: worker, baseUrl: worker.url, stop: worker.stop, images };
    },
  });
}
