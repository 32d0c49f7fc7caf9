// The reference wardrobe's field rules (routes.mjs): shared with the Worker benchmark's
// hand-written Worker (workers/by_hand.mjs), so both refuse the same bodies the same way.
export const STRING_FIELDS = ['name', 'size', 'type', 'color'];

/** Field errors of a create (all = true) or partial update body; {} when valid. */
export function invalidFields(body, all) {
  const fields = {};
  for (const k of Object.keys(body)) if (![...STRING_FIELDS, 'imageUrl'].includes(k)) fields[k] = 'is not a known field';
  for (const k of STRING_FIELDS) {
    const v = body[k];
    if (v !== undefined && v !== null && (typeof v !== 'string' || [...v].length > 256)) fields[k] = 'must be a string of at most 256 characters';
  }
  if ((all || body.imageUrl !== undefined)
    && (typeof body.imageUrl !== 'string' || !/^https?:\/\/[^/]/.test(body.imageUrl) || body.imageUrl.length > 2048)) {
    fields.imageUrl = 'must be an absolute http(s) URL';
  }
  return fields;
}
