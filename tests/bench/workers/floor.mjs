// The floor Worker of the Worker benchmark: one POST /sql (the request body, {query, params},
// sent as the official driver sends it) and the response body returned unchanged. What any
// Worker answering from the database pays at least. A delete also removes the item's image from
// R2, as every app does (the request's `object`, the key; not sent on): the floor of that route
// includes its second piece of I/O, so that its overhead, like the others', is the app's own work.
export default {
  async fetch(request, env) {
    const { object, ...statement } = await request.json();
    const res = await fetch(env.NEON_FETCH_ENDPOINT, {
      method: 'POST',
      headers: {
        'Neon-Connection-String': env.DATABASE_URL, 'Neon-Raw-Text-Output': 'true', 'Neon-Array-Mode': 'true',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(statement),
    });
    const body = await res.arrayBuffer();
    if (object !== undefined) await env.IMAGES.delete(object);
    return new Response(body, { status: res.status, headers: { 'Content-Type': 'application/json' } });
  },
};
