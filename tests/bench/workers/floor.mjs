// The floor Worker of the Worker benchmark: one POST /sql (the request body, {query, params},
// sent as the official driver sends it) and the response body returned unchanged. What any
// Worker answering from the database pays at least.
export default {
  async fetch(request, env) {
    const res = await fetch(env.NEON_FETCH_ENDPOINT, {
      method: 'POST',
      headers: {
        'Neon-Connection-String': env.DATABASE_URL, 'Neon-Raw-Text-Output': 'true', 'Neon-Array-Mode': 'true',
        'Content-Type': 'application/json',
      },
      body: await request.text(),
    });
    return new Response(await res.arrayBuffer(), { status: res.status, headers: { 'Content-Type': 'application/json' } });
  },
};
