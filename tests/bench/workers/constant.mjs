// The constant Worker of the Worker benchmark: answers a fixed JSON body, no I/O (what a cache
// hit is compared with).
const BODY = JSON.stringify({ total: 100 });
export default {
  fetch() {
    return new Response(BODY, { headers: { 'Content-Type': 'application/json' } });
  },
};
