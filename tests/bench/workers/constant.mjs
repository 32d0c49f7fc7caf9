// The constant Worker of the Worker benchmark: answers a fixed JSON body, no I/O (what a cache
// hit is compared with). Its body is `{"total":100}`, or the BODY binding's text when given
// (the bench passes the bytes of a 100-item list, so that a list hit is compared with a Worker
// sending the same bytes, not with one sending 13), encoded once per isolate.
const SMALL = JSON.stringify({ total: 100 });
let body = null;
export default {
  fetch(request, env) {
    body ??= env.BODY ? new TextEncoder().encode(env.BODY) : SMALL;
    return new Response(body, { headers: { 'Content-Type': 'application/json' } });
  },
};
